"""Demo data: the lead partner's performance contract, over last year and this one."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from clusters.models import ContractMeasure, ContractTarget, PerformanceContract
from district.models import SchoolYear, Unit

K = ContractMeasure.Kind
# (measure, target last year, target this year)
DEMO_TARGETS = [
    (K.SATISFACTION, "3.8", "4.0"),
    (K.GOALS_MET, "40", "50"),
    (K.RESPONSE_DAYS, "3", "2"),
    (K.WITHIN_TARGET, "70", "80"),
]


def build_contract_demo() -> None:
    """Give each lead partner a two-year contract ending this year, with a target per year."""
    years = list(SchoolYear.objects.order_by("start_date"))
    current = next((y for y in years if y.is_current), None)
    if current is None or len(years) < 2:
        return
    last = years[years.index(current) - 1]
    with transaction.atomic():
        for unit in Unit.objects.filter(kind=Unit.Kind.LEAD_PARTNER):
            contract = PerformanceContract.objects.create(
                unit=unit,
                start_year=last,
                end_year=current,
                signed_on=last.start_date,
                summary=(
                    f"{unit.name} leads instructional support for the {unit.cluster} cluster's schools and answers "
                    "to the district for how its principals rate it, how many of their growth goals are met and how "
                    "fast it answers their requests."
                ),
            )
            for order, (kind, first, second) in enumerate(DEMO_TARGETS):
                measure = ContractMeasure.objects.create(contract=contract, kind=kind, order=order)
                ContractTarget.objects.bulk_create(
                    [
                        ContractTarget(measure=measure, school_year=last, target=Decimal(first)),
                        ContractTarget(measure=measure, school_year=current, target=Decimal(second)),
                    ]
                )


def reset_contract_demo() -> None:
    PerformanceContract.objects.all().delete()
