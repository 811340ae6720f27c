from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import django_tables2 as tables
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from district.listing import EXPORT_CHUNK
from district.tables import WIDE_ONLY
from service_menu.models import Request, Service
from service_menu.services import legal_actions


def _catalog_row_class(table: CatalogTable, record: Service) -> str:
    return "" if table.may_ask(record) else "row-unavailable"


class CatalogTable(tables.Table):
    """The district's catalog. A lead partner's services show greyed, with why, to people
    none of whose schools are in its cluster (``viewer_cluster_ids``: the clusters of the
    viewer's schools, or None for people who ask for no school)."""

    # render_title draws the link itself (with the cluster note beside it): no linkify, so no link in a link.
    title = tables.Column()
    unit = tables.Column(accessor="menu__unit__name", verbose_name="Unit", order_by=("menu__unit__name",))
    tier = tables.Column(accessor="tier__name", verbose_name="Tier", order_by=("tier__order",))
    content_area = tables.Column(accessor="content_area__name", verbose_name="Area", attrs=WIDE_ONLY)
    format_dosage = tables.Column(verbose_name="Format and dosage", attrs=WIDE_ONLY)
    provider = tables.Column(attrs=WIDE_ONLY)

    class Meta:
        model = Service
        fields = ("title", "unit", "tier", "content_area", "format_dosage", "provider")
        empty_text = "No services match these filters."
        order_by = ("tier", "title")
        row_attrs = {"class": _catalog_row_class}

    def __init__(self, *args: Any, viewer_cluster_ids: set[int] | None = None, **kwargs: Any) -> None:
        self.viewer_cluster_ids = viewer_cluster_ids
        super().__init__(*args, **kwargs)

    def may_ask(self, record: Service) -> bool:
        unit = record.menu.unit
        if self.viewer_cluster_ids is None or not record.cluster_only:
            return True
        return unit.cluster_id in self.viewer_cluster_ids

    def render_title(self, record: Service, value: str) -> SafeString:
        link = format_html(
            '<a href="{}">{}</a>', reverse("service_menu:service_detail", kwargs={"pk": record.pk}), value
        )
        if not record.cluster_only:
            return link
        cluster = record.menu.unit.cluster
        if self.may_ask(record):
            note = f"For the {cluster} cluster's schools"
        else:
            note = f"Not offered to your school: only the {cluster} cluster's schools may ask its lead partner"
        return format_html('{} <span class="d-block small text-secondary cluster-note">{}</span>', link, note)

    def value_title(self, record: Service, value: str) -> str:
        return value

    def render_provider(self, record: Service) -> str:
        return record.partner_name if record.provider == Service.Provider.BROKERED else "Unit staff"

    def value_provider(self, record: Service) -> str:
        return self.render_provider(record)


class RequestTable(tables.Table):
    created_at = tables.DateColumn(
        verbose_name="Asked",
        format="M j",
        linkify=("service_menu:request_detail", {"pk": tables.A("pk")}),
        order_by=("created_at", "id"),
    )
    school = tables.Column(accessor="school__name", verbose_name="School")
    service = tables.Column(accessor="service__title", verbose_name="Service")
    term = tables.Column(accessor="term__name", verbose_name="Term", attrs=WIDE_ONLY)
    status = tables.Column()
    waiting = tables.Column(empty_values=(), orderable=False, verbose_name="")

    class Meta:
        model = Request
        fields = ("created_at", "school", "service", "term", "status", "waiting")
        empty_text = "No requests match."
        order_by = ("-created_at",)
        row_attrs = {"id": lambda record: f"request-row-{record.pk}"}

    def __init__(
        self, *args: Any, overdue_ids: set[int] | None = None, quick_answers: bool = False, **kwargs: Any
    ) -> None:
        self.overdue_ids = overdue_ids or set()
        self.quick_answers = quick_answers
        super().__init__(*args, **kwargs)

    def render_service(self, record: Request, value: str) -> SafeString | str:
        if not record.outside_cluster:
            return value
        return format_html(
            '{} <span class="tag tag-overdue" title="{}">outside the cluster</span>',
            value,
            f"{record.service.menu.unit.name} serves only its own cluster's schools.",
        )

    def value_service(self, record: Request, value: str) -> str:
        return value

    def render_status(self, record: Request) -> SafeString:
        return format_html('<span class="tag tag-{}">{}</span>', record.status, record.get_status_display())

    def value_status(self, record: Request) -> str:
        return record.get_status_display()

    def render_waiting(self, record: Request) -> SafeString | str:
        badge = (
            format_html('<span class="tag tag-overdue me-2">{}</span>', "overdue")
            if record.pk in self.overdue_ids
            else ""
        )
        if not self.quick_answers:
            return badge
        buttons = [
            format_html(
                '<button type="button" class="btn btn-sm btn-outline-primary me-1" hx-post="{}" '
                'hx-vals=\'{{"version": "{}"}}\' hx-target="#request-row-{}" hx-swap="outerHTML">{}</button>',
                reverse("service_menu:request_action", args=[record.pk, action]),
                record.version,
                record.pk,
                label,
            )
            for action, label in (("accept", "Accept"), ("waitlist", "Waitlist"))
            if action in legal_actions(record)
        ]
        answer = (
            format_html(
                '<a class="btn btn-sm btn-link" href="{}">Decline…</a>',
                reverse("service_menu:request_detail", args=[record.pk]),
            )
            if "decline" in legal_actions(record)
            else ""
        )
        return format_html("{}{}{}", badge, mark_safe("".join(buttons)), answer)  # noqa: S308 - built with format_html

    def value_waiting(self, record: Request) -> str:
        return "overdue" if record.pk in self.overdue_ids else ""

    def export_values(self, queryset: QuerySet[Request]) -> Iterator[dict[str, Any]]:
        """The CSV's cells straight from the database, as ``as_values`` reads them: a city's
        requests run to tens of thousands of rows, and only three names are joined for them."""
        status = dict(Request.Status.choices)
        rows = (
            queryset.prefetch_related(None)
            .values_list("pk", "created_at", "school__name", "service__title", "term__name", "status")
            .iterator(chunk_size=EXPORT_CHUNK)
        )
        for pk, created_at, school, service, term, state in rows:
            yield {
                "created_at": created_at.isoformat(),
                "school": school,
                "service": service,
                "term": term,
                "status": status.get(state, state),
                "waiting": "overdue" if pk in self.overdue_ids else "",
            }
