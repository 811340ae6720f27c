"""Who sees which satisfaction results. Individual answers: only their author."""

from __future__ import annotations

from typing import Any

import rules

from district.roles import roles_for
from district.rules import (
    is_admin,
    is_executive,
    is_ild,
    is_principal,
    is_unit_head,
    is_unit_staff,
    sees_whole_district,
)


@rules.predicate
def works_in_the_unit(user: Any, unit: Any) -> bool:
    own = roles_for(user).unit
    return unit is not None and own is not None and own.pk == unit.pk


rules.add_perm("cycles.take_survey", is_principal)
rules.add_perm("cycles.rate_requests", is_principal)
# Aggregates above the threshold are open to the people the units serve (transparency).
rules.add_perm("cycles.view_unit_results", works_in_the_unit | is_executive | is_ild | is_principal | is_admin)
# Comments, even anonymised, go to the unit and to executives only.
rules.add_perm("cycles.view_unit_comments", works_in_the_unit | sees_whole_district)
rules.add_perm("cycles.view_heat_map", sees_whole_district | is_ild)
rules.add_perm("cycles.list_response_rates", sees_whole_district | is_unit_head | is_unit_staff)
rules.add_perm("cycles.view_own_answers", is_principal)
rules.add_perm("cycles.import_results", is_admin)
