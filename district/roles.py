"""Roles come from relationships: who leads, who is assigned, who is designated.

`roles_for(user)` reads them once per request (two queries) and caches the answer on the
user object, so every permission check after the first is free.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ObjectDoesNotExist

if TYPE_CHECKING:
    from district.models import School, Unit

_CACHE_ATTR = "_schoolward_roles"


@dataclass(frozen=True)
class Roles:
    caseload_school_ids: frozenset[int] = field(default_factory=frozenset)
    principal_school: School | None = None
    headed_unit: Unit | None = None
    staff_unit: Unit | None = None
    executive_title: str = ""
    is_admin: bool = False

    @property
    def is_ild(self) -> bool:
        return bool(self.caseload_school_ids)

    @property
    def is_principal(self) -> bool:
        return self.principal_school is not None

    @property
    def principal_school_id(self) -> int | None:
        return self.principal_school.pk if self.principal_school else None

    @property
    def is_unit_head(self) -> bool:
        return self.headed_unit is not None

    @property
    def is_unit_staff(self) -> bool:
        return self.staff_unit is not None

    @property
    def unit(self) -> Unit | None:
        """The unit this person works in, as head or staff."""
        return self.headed_unit or self.staff_unit

    @property
    def lead_partner_cluster_id(self) -> int | None:
        """The cluster whose lead-partner unit this person works in (head or staff), if any."""
        unit = self.unit
        if unit is None or unit.kind != "lead_partner":
            return None
        return unit.cluster_id

    @property
    def is_executive(self) -> bool:
        return bool(self.executive_title)

    @property
    def sees_whole_district(self) -> bool:
        return self.is_executive or self.is_admin

    @property
    def labels(self) -> list[str]:
        labels = []
        if self.is_executive:
            labels.append("Executive")
        if self.is_ild:
            labels.append("ILD")
        if self.is_principal:
            labels.append("Principal")
        if self.is_unit_head:
            labels.append("Unit head")
        if self.is_unit_staff:
            labels.append("Unit staff")
        if self.is_admin:
            labels.append("Admin")
        return labels


NO_ROLES = Roles()


def _related_or_none(obj: Any, name: str) -> Any:
    try:
        return getattr(obj, name)
    except ObjectDoesNotExist:
        return None


def roles_for(user: Any) -> Roles:
    """The roles a person holds today. Anonymous people hold none."""
    if user is None or not user.is_authenticated:
        return NO_ROLES
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached

    from district.models import Caseload, User

    person = User.objects.select_related("led_school", "headed_unit", "unit_membership__unit", "executive").get(
        pk=user.pk
    )
    membership = _related_or_none(person, "unit_membership")
    executive = _related_or_none(person, "executive")
    roles = Roles(
        caseload_school_ids=frozenset(Caseload.objects.current().filter(ild=user).values_list("school_id", flat=True)),
        principal_school=_related_or_none(person, "led_school"),
        headed_unit=_related_or_none(person, "headed_unit"),
        staff_unit=membership.unit if membership else None,
        executive_title=executive.get_title_display() if executive else "",
        is_admin=person.is_staff,
    )
    setattr(user, _CACHE_ATTR, roles)
    return roles


def forget_roles(user: Any) -> None:
    """Drop the cached roles, after a change to the org chart within one request."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)
