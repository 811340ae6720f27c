"""The satisfaction and cabinet PDFs, built by the task worker (see the documents app).

Who may have each is the permission of the page that offers it; their inputs are the
versions (row counts, latest ids, change times) of the tables each one reads.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from clusters.models import ContractMeasure, ContractTarget, PerformanceContract
from coaching.models import Visit
from cycles.inquiry.models import CheckIn, CycleOfInquiry, PlanAction
from cycles.inquiry.selectors import cabinet_sections, cabinet_summary
from cycles.satisfaction.models import RequestRating, ResultSummary, Submission, Survey, SurveyItem
from cycles.satisfaction.selectors import unit_trends
from district.access import can
from district.models import Caseload, School, Term, Unit
from district.pdf import PAGE_SIZES, render_pdf
from documents.kinds import DocumentKind, Params, register, table_version
from service_menu.models import Request, RequestEvent, UnitSettings


def _satisfaction_inputs(unit_id: int | None) -> list[object]:
    by_unit: dict[str, Any] = {"unit_id": unit_id} if unit_id else {}
    return [
        table_version(Survey),
        table_version(SurveyItem),
        table_version(ResultSummary, **by_unit),
        table_version(Submission, **by_unit),
        table_version(School),
        table_version(Term),
    ]


def _cabinet_inputs(unit_id: int | None) -> list[object]:
    by_unit: dict[str, Any] = {"unit_id": unit_id} if unit_id else {}
    requests: dict[str, Any] = {"service__menu__unit_id": unit_id} if unit_id else {}
    return [
        *_satisfaction_inputs(unit_id),
        table_version(Unit),
        table_version(CycleOfInquiry, **by_unit),
        table_version(PlanAction, **({"cycle__unit_id": unit_id} if unit_id else {})),
        table_version(CheckIn, **({"action__cycle__unit_id": unit_id} if unit_id else {})),
        table_version(PerformanceContract, **by_unit),
        table_version(ContractMeasure),
        table_version(ContractTarget),
        table_version(Request, **requests),
        table_version(RequestEvent, **({"request__" + k: v for k, v in requests.items()})),
        table_version(UnitSettings),
    ]


# --- The cabinet packet ---------------------------------------------------------------


def _packet_inputs(params: Params) -> Iterable[object]:
    since = timezone.localdate() - datetime.timedelta(days=730)
    return [*_cabinet_inputs(None), table_version(Visit, date__gte=since), table_version(Caseload)]


def _packet_build(params: Params) -> bytes:
    return render_pdf(
        "cycles/inquiry/pdf/packet.html",
        {
            "sections": cabinet_sections(Unit.objects.order_by("name")),
            "summary": cabinet_summary(),
            "title": "Cabinet packet: satisfaction, service and coaching across the district",
            "toc": True,
            "page_size": PAGE_SIZES[params["size"]],
        },
    )


PACKET = register(
    DocumentKind(
        name="cabinet_packet",
        title=lambda params: "Cabinet packet",
        filename=lambda params: "cabinet-packet.pdf",
        allowed=lambda user, params: can(user, "cycles.view_overview"),
        inputs=_packet_inputs,
        build=_packet_build,
    )
)


# --- A unit's report to cabinet ---------------------------------------------------------


def _unit(params: Params) -> Unit:
    return Unit.objects.get(pk=params["unit"])


def _unit_cabinet_allowed(user: Any, params: Params) -> bool:
    unit = Unit.objects.filter(pk=params["unit"]).first()
    return unit is not None and can(user, "cycles.view_cycles", unit)


def _unit_cabinet_build(params: Params) -> bytes:
    unit = _unit(params)
    return render_pdf(
        "cycles/inquiry/pdf/packet.html",
        {
            "sections": cabinet_sections([unit]),
            "title": f"{unit.name}: report to cabinet",
            "toc": False,
            "page_size": PAGE_SIZES[params["size"]],
        },
    )


UNIT_CABINET = register(
    DocumentKind(
        name="unit_cabinet_report",
        title=lambda params: f"{_unit(params).name}: report to cabinet",
        filename=lambda params: f"cabinet-{params['unit']}.pdf",
        allowed=_unit_cabinet_allowed,
        inputs=lambda params: _cabinet_inputs(params["unit"]),
        build=_unit_cabinet_build,
    )
)


# --- A unit's satisfaction report -------------------------------------------------------


def _unit_report_allowed(user: Any, params: Params) -> bool:
    """The report page's permission; comments only for people who may read them."""
    unit = Unit.objects.filter(pk=params["unit"]).first()
    if unit is None or not can(user, "cycles.view_unit_results", unit):
        return False
    return not params["comments"] or can(user, "cycles.view_unit_comments", unit)


def _unit_report_build(params: Params) -> bytes:
    unit = _unit(params)
    up_to = Term.objects.filter(pk=params["term"]).first() if params["term"] else None
    trends = unit_trends(unit=unit, show_comments=params["comments"], up_to=up_to)
    return render_pdf(
        "cycles/satisfaction/pdf/unit_report.html",
        {
            "t": trends,
            "term": trends.latest.term if trends.latest else None,
            "page_size": PAGE_SIZES[params["size"]],
        },
    )


UNIT_REPORT = register(
    DocumentKind(
        name="unit_satisfaction_report",
        title=lambda params: f"{_unit(params).name}: satisfaction report",
        filename=lambda params: f"satisfaction-{params['unit']}.pdf",
        allowed=_unit_report_allowed,
        inputs=lambda params: [*_satisfaction_inputs(params["unit"]), table_version(RequestRating)],
        build=_unit_report_build,
    )
)
