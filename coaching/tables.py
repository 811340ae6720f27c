from __future__ import annotations

from collections.abc import Iterator

import django_tables2 as tables
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from coaching.models import LeadRole, Visit
from district.listing import EXPORT_CHUNK
from district.models import School
from district.tables import WIDE_ONLY


class CaseloadTable(tables.Table):
    """One row per school in an ILD's caseload, with the coaching numbers that matter."""

    name = tables.Column(verbose_name="School", linkify=("coaching:growth", {"code": tables.A("code")}))
    principal = tables.Column(accessor="principal__full_name", verbose_name="Principal", default="— vacant —")
    active_goals = tables.Column(verbose_name="Active goals", attrs=WIDE_ONLY)
    last_visit = tables.DateColumn(verbose_name="Last visit", format="M j", default="none yet")
    visits_this_term = tables.Column(verbose_name="Visits this term")
    joint_share = tables.Column(verbose_name="Joint", empty_values=(), order_by=("joint_this_year",), attrs=WIDE_ONLY)
    overdue_steps = tables.Column(verbose_name="Overdue steps")
    school_360 = tables.Column(
        verbose_name="Services", empty_values=(), orderable=False, exclude_from_export=True, attrs=WIDE_ONLY
    )

    class Meta:
        model = School
        fields = (
            "name",
            "principal",
            "active_goals",
            "last_visit",
            "visits_this_term",
            "joint_share",
            "overdue_steps",
            "school_360",
        )
        empty_text = "No schools in your caseload."
        order_by = ("name",)

    def __init__(self, *args: object, target: int, **kwargs: object) -> None:
        self.target = target
        super().__init__(*args, **kwargs)

    def render_visits_this_term(self, value: int) -> SafeString:
        css = "text-success" if value >= self.target else "text-body"
        return format_html('<span class="{}">{} of {}</span>', css, value, self.target)

    def value_visits_this_term(self, value: int) -> int:
        return value

    def render_joint_share(self, record: School) -> str:
        done = getattr(record, "visits_this_year", 0)
        if not done:
            return "—"
        return f"{getattr(record, 'joint_this_year', 0) / done:.0%}"

    def value_joint_share(self, record: School) -> str:
        return self.render_joint_share(record)

    def render_overdue_steps(self, value: int) -> SafeString | int:
        if value:
            return format_html('<span class="badge text-bg-danger">{}</span>', value)
        return 0

    def value_overdue_steps(self, value: int) -> int:
        return value

    def render_school_360(self, record: School) -> SafeString:
        return format_html(
            '<a href="{}">360°<span class="visually-hidden"> view of {}: services and coaching</span></a>',
            reverse("service_menu:school_360", args=[record.code]),
            record.name,
        )


class VisitTable(tables.Table):
    # Visits on the same day keep one order (the id breaks ties), so pages never overlap.
    date = tables.DateColumn(
        format="M j, Y", linkify=("coaching:visit_detail", {"pk": tables.A("pk")}), order_by=("date", "id")
    )
    school = tables.Column(accessor="school__name", verbose_name="School")
    ild = tables.Column(accessor="ild__full_name", verbose_name="ILD", attrs=WIDE_ONLY)
    status = tables.Column()
    principal_present = tables.BooleanColumn(verbose_name="Joint", attrs=WIDE_ONLY)
    lead_role = tables.Column(verbose_name="Who led", attrs=WIDE_ONLY)

    class Meta:
        model = Visit
        fields = ("date", "school", "ild", "status", "principal_present", "lead_role")
        empty_text = "No visits match."
        order_by = ("-date",)

    def export_queryset(self, queryset: QuerySet[Visit]) -> QuerySet[Visit]:
        """Only what the CSV prints: no teaching moves, no notes, no text fields."""
        return (
            queryset.select_related(None)
            .prefetch_related(None)
            .select_related("school", "ild")
            .only("date", "status", "principal_present", "lead_role", "school__name", "ild__full_name")
        )

    def export_values(self, queryset: QuerySet[Visit]) -> Iterator[dict[str, str]]:
        """The CSV's cells straight from the database: a district's visits run to 300,000 rows."""
        status = dict(Visit.Status.choices)
        lead_role = dict(LeadRole.choices)
        rows = queryset.values_list(
            "date", "school__name", "ild__full_name", "status", "principal_present", "lead_role"
        ).iterator(chunk_size=EXPORT_CHUNK)
        for date, school, ild, state, joint, role in rows:
            yield {
                "date": date.isoformat(),
                "school": school,
                "ild": ild,
                "status": status.get(state, state),
                "principal_present": str(joint),
                "lead_role": lead_role.get(role, "") if role is not None else "",
            }
