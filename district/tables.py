from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import django_tables2 as tables
from django.db.models import QuerySet
from django.utils.html import format_html

from district.listing import EXPORT_CHUNK
from district.models import School, Unit
from district.selectors import current_ild_names

# Columns a phone can do without; they come back from the medium breakpoint up.
WIDE_ONLY = {"th": {"class": "d-none d-md-table-cell"}, "td": {"class": "d-none d-md-table-cell"}}


class SchoolTable(tables.Table):
    name = tables.Column(linkify=("district:school_detail", {"code": tables.A("code")}))
    code = tables.Column(attrs=WIDE_ONLY)
    level = tables.Column(attrs=WIDE_ONLY)
    cluster = tables.Column(accessor="cluster__name", verbose_name="Cluster", attrs=WIDE_ONLY)
    principal = tables.Column(accessor="principal__full_name", verbose_name="Principal", default="— vacant —")
    ild = tables.Column(empty_values=(), orderable=False, verbose_name="ILD")

    class Meta:
        model = School
        fields = ("name", "code", "level", "cluster", "principal", "ild")
        empty_text = "No schools match these filters."

    def render_ild(self, record: School) -> str:
        caseloads = getattr(record, "current_caseloads", [])
        return ", ".join(c.ild.full_name for c in caseloads) or "— none —"

    def value_ild(self, record: School) -> str:
        return self.render_ild(record)

    def export_values(self, queryset: QuerySet[School]) -> Iterator[dict[str, Any]]:
        """The CSV's cells straight from the database, as ``as_values`` reads them: the level's
        label, nothing for a vacant principal (the "vacant" default is the screen's), and the
        current ILDs read for every school in one query rather than through the prefetch."""
        level = dict(School.Level.choices)
        ilds = current_ild_names(schools=queryset)
        rows = (
            queryset.prefetch_related(None)
            .values_list("pk", "name", "code", "level", "cluster__name", "principal__full_name")
            .iterator(chunk_size=EXPORT_CHUNK)
        )
        for pk, name, code, school_level, cluster, principal in rows:
            yield {
                "name": name,
                "code": code,
                "level": level.get(school_level, school_level),
                "cluster": cluster,
                "principal": principal,
                "ild": ", ".join(ilds.get(pk, ())) or "— none —",
            }


class UnitTable(tables.Table):
    name = tables.Column(linkify=("district:unit_detail", {"pk": tables.A("pk")}))
    kind = tables.Column(attrs=WIDE_ONLY)
    head = tables.Column(accessor="head__full_name", verbose_name="Head", default="— vacant —")
    staff_count = tables.Column(verbose_name="Staff", attrs=WIDE_ONLY)
    contact_email = tables.Column(verbose_name="Contact", attrs=WIDE_ONLY)

    class Meta:
        model = Unit
        fields = ("name", "kind", "head", "staff_count", "contact_email")
        empty_text = "No units yet."

    def render_contact_email(self, value: str) -> str:
        return format_html('<a href="mailto:{}">{}</a>', value, value)
