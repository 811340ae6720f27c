from __future__ import annotations

from typing import Any

from django import template

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
