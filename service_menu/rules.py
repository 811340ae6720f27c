"""Who may do what with service menus and requests."""

from __future__ import annotations

from typing import Any

import rules

from district.roles import roles_for
from district.rules import (
    is_executive,
    is_ild,
    is_lead_partner_of_school,
    is_principal,
    is_unit_head,
    is_unit_staff,
    sees_whole_district,
)
from service_menu.models import Menu, Request, Service


def _unit_id(obj: Any) -> int | None:
    if isinstance(obj, Request):
        return obj.service.menu.unit_id
    if isinstance(obj, Service):
        return obj.menu.unit_id
    if isinstance(obj, Menu):
        return obj.unit_id
    return getattr(obj, "pk", None)  # a Unit


def _school_id(obj: Any) -> int | None:
    return obj.school_id if isinstance(obj, Request) else getattr(obj, "pk", None)


@rules.predicate
def heads_the_unit(user: Any, obj: Any) -> bool:
    unit = roles_for(user).headed_unit
    return unit is not None and unit.pk == _unit_id(obj)


@rules.predicate
def works_in_the_unit(user: Any, obj: Any) -> bool:
    unit = roles_for(user).unit
    return unit is not None and unit.pk == _unit_id(obj)


@rules.predicate
def leads_the_school(user: Any, obj: Any) -> bool:
    school_id = _school_id(obj)
    return school_id is not None and roles_for(user).principal_school_id == school_id


@rules.predicate
def coaches_the_school(user: Any, obj: Any) -> bool:
    return _school_id(obj) in roles_for(user).caseload_school_ids


@rules.predicate
def made_the_request(user: Any, obj: Any) -> bool:
    return isinstance(obj, Request) and obj.requested_by_id == user.pk


@rules.predicate
def menu_is_published(user: Any, menu: Menu) -> bool:
    return menu.status != Menu.Status.DRAFT


@rules.predicate
def menu_is_draft(user: Any, menu: Menu) -> bool:
    return menu.status == Menu.Status.DRAFT


school_side = leads_the_school | coaches_the_school

rules.add_perm("service_menu.view_menu", menu_is_published | works_in_the_unit | sees_whole_district)
rules.add_perm("service_menu.edit_menu", heads_the_unit & menu_is_draft)
rules.add_perm("service_menu.manage_menu", heads_the_unit)
rules.add_perm("service_menu.request_for_school", school_side)
rules.add_perm("service_menu.make_requests", is_principal | is_ild)
rules.add_perm("service_menu.view_request", sees_whole_district | school_side | works_in_the_unit)
rules.add_perm("service_menu.answer_request", works_in_the_unit)
rules.add_perm("service_menu.endorse_request", coaches_the_school)
# The principal may withdraw any of the school's requests; the ILD only the ones they made,
# not a principal's own request.
rules.add_perm("service_menu.cancel_request", leads_the_school | (coaches_the_school & made_the_request))
rules.add_perm("service_menu.view_workspace", is_unit_head | is_unit_staff)
# A lead partner is accountable for its cluster's schools: it reads their 360° (coaching there
# still follows the coaching rules, so no private note and no individual answer).
rules.add_perm("service_menu.view_school_360", sees_whole_district | school_side | is_lead_partner_of_school)
rules.add_perm("service_menu.view_measures", works_in_the_unit | is_executive | sees_whole_district)
rules.add_perm("service_menu.list_requests", sees_whole_district | is_principal | is_ild | is_unit_head | is_unit_staff)
