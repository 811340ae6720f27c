"""Who sees and changes cycles of inquiry: the unit's own staff read them, its head runs
them, an action's owner updates it; the whole district's view is for executives."""

from __future__ import annotations

from typing import Any

import rules

from district.roles import roles_for
from district.rules import sees_whole_district


@rules.predicate
def heads_the_unit(user: Any, obj: Any) -> bool:
    unit_id = getattr(obj, "unit_id", None) or getattr(obj, "pk", None)
    if hasattr(obj, "cycle"):  # a plan action
        unit_id = obj.cycle.unit_id
    headed = roles_for(user).headed_unit
    return headed is not None and headed.pk == unit_id


@rules.predicate
def works_in_the_cycles_unit(user: Any, obj: Any) -> bool:
    unit_id = obj.cycle.unit_id if hasattr(obj, "cycle") else getattr(obj, "unit_id", None) or getattr(obj, "pk", None)
    own = roles_for(user).unit
    return own is not None and own.pk == unit_id


@rules.predicate
def owns_the_action(user: Any, action: Any) -> bool:
    return action is not None and action.owner_id == user.pk


rules.add_perm("cycles.view_cycles", works_in_the_cycles_unit | sees_whole_district)
rules.add_perm("cycles.open_cycle", heads_the_unit)
rules.add_perm("cycles.edit_cycle", heads_the_unit)
rules.add_perm("cycles.update_action", owns_the_action | heads_the_unit)
rules.add_perm("cycles.view_overview", sees_whole_district)
