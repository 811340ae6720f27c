from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def percent(value: float | None, digits: int = 0) -> str:
    """0.425 → "43%"; nothing to show → an em dash."""
    if value is None or value == "":
        return "—"
    return f"{float(value) * 100:.{int(digits)}f}%"


@register.simple_tag(takes_context=True)
def can(context: template.Context, perm: str, obj: Any = None) -> bool:
    """``{% can "app.perm" obj as allowed %}``: the rules' answer for the signed-in person."""
    from district.access import can as rules_allow

    return rules_allow(context["user"], perm, obj)


@register.filter
def signed(value: float | None, digits: int = 1) -> str:
    """A change with its sign: +0.3, −0.2, and 0.0 (never "+0.0" or "−0.0") when it rounds to nothing."""
    if value is None or value == "":
        return "—"
    shown = f"{float(value):.{int(digits)}f}"
    if float(shown) == 0:
        return f"{0:.{int(digits)}f}"
    return f"+{shown}" if float(value) > 0 else shown.replace("-", "−")


@register.filter
def counted(texts: Iterable[str] | None) -> list[tuple[str, int]]:
    """Identical texts once each, with how many times they were given, most given first."""
    counts: dict[str, int] = {}
    first: dict[str, str] = {}
    for text in texts or ():
        key = " ".join(text.split()).casefold()
        counts[key] = counts.get(key, 0) + 1
        first.setdefault(key, text.strip())
    return [(first[key], n) for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


@register.simple_tag
def status_tag(status: str, label: str = "") -> str:
    """``{% status_tag req.status req.get_status_display %}``: the status in its one colour (static/css/design.css)."""
    shown = label or str(status).replace("_", " ").capitalize()
    return format_html('<span class="tag tag-{}">{}</span>', status, shown)


@register.inclusion_tag("district/includes/error_summary.html")
def error_summary(form: Any) -> dict[str, Any]:
    """A failed form's errors at its top, each linked to its field (GOV.UK's error summary)."""
    return {"form": form}


@register.filter
def cell_attrs(column: Any) -> str:
    """A django-tables2 data cell's attributes (the column's ``attrs.td``) and its column's name
    as ``data-label`` for the phone layout, worked out once per column of a table.

    django-tables2 works out a column's th, td and tf attributes and its header afresh on every
    access, which was a third of a table's rendering. A column whose attributes are callables
    (they may depend on the row) is still worked out for every cell.
    """
    cached = column.__dict__.get("_cell_attrs_html")
    if cached is not None:
        return cast(str, cached)
    html = format_html('{} data-label="{}"', column.attrs["td"].as_html(), column.header)
    declared = [column._table.attrs, column.column.attrs]
    if not any(
        callable(value) for attrs in declared for key in ("td", "cell") for value in attrs.get(key, {}).values()
    ):
        column.__dict__["_cell_attrs_html"] = html
    return cast(str, html)
