"""Object-level permissions for the org chart, in one place (django-rules predicates).

Other apps build their predicates from the role predicates defined here.
"""

from __future__ import annotations

from typing import Any

import rules

from district.roles import roles_for


@rules.predicate
def is_ild(user: Any) -> bool:
    return roles_for(user).is_ild


@rules.predicate
def is_principal(user: Any) -> bool:
    return roles_for(user).is_principal


@rules.predicate
def is_unit_head(user: Any) -> bool:
    return roles_for(user).is_unit_head


@rules.predicate
def is_unit_staff(user: Any) -> bool:
    return roles_for(user).is_unit_staff


@rules.predicate
def is_executive(user: Any) -> bool:
    return roles_for(user).is_executive


@rules.predicate
def is_admin(user: Any) -> bool:
    return roles_for(user).is_admin


@rules.predicate
def is_ild_of_school(user: Any, school: Any) -> bool:
    return school is not None and school.pk in roles_for(user).caseload_school_ids


@rules.predicate
def is_principal_of_school(user: Any, school: Any) -> bool:
    return school is not None and roles_for(user).principal_school_id == school.pk


@rules.predicate
def works_in_unit(user: Any, unit: Any) -> bool:
    own = roles_for(user).unit
    return unit is not None and own is not None and own.pk == unit.pk


sees_whole_district = is_executive | is_admin

rules.add_perm("district.view_school", sees_whole_district | is_ild_of_school | is_principal_of_school)
rules.add_perm("district.list_schools", sees_whole_district | is_ild | is_principal)
rules.add_perm("district.view_unit", rules.is_authenticated)
rules.add_perm("district.view_district_overview", sees_whole_district)
rules.add_perm("district.import_roster", is_admin)
rules.add_perm("district.export_district", is_admin)
