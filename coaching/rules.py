"""Who may do what in coaching. Every coaching view asks these rules."""

from __future__ import annotations

from typing import Any

import rules

from coaching.models import GrowthGoal, NextStep, Visit
from district.roles import roles_for
from district.rules import is_ild, is_principal, sees_whole_district


def _school_id(obj: Any) -> int | None:
    if isinstance(obj, NextStep):
        return obj.visit.school_id
    if isinstance(obj, Visit | GrowthGoal):
        return obj.school_id
    return getattr(obj, "pk", None)  # a School


@rules.predicate
def coaches_the_school(user: Any, obj: Any) -> bool:
    """The person is the school's ILD today (their current caseload holds it)."""
    return _school_id(obj) in roles_for(user).caseload_school_ids


@rules.predicate
def leads_the_school(user: Any, obj: Any) -> bool:
    school_id = _school_id(obj)
    return school_id is not None and roles_for(user).principal_school_id == school_id


@rules.predicate
def logged_the_visit(user: Any, visit: Visit) -> bool:
    return visit is not None and visit.ild_id == user.pk


@rules.predicate
def goal_is_open(user: Any, goal: GrowthGoal) -> bool:
    return goal.status in {GrowthGoal.Status.DRAFT, GrowthGoal.Status.ACTIVE}


@rules.predicate
def owns_the_goal(user: Any, goal: GrowthGoal) -> bool:
    """The goal's own principal: a new principal does not inherit a predecessor's goals."""
    return goal.principal_id == user.pk


@rules.predicate
def visit_is_done(user: Any, visit: Visit) -> bool:
    return visit.status == Visit.Status.DONE


@rules.predicate
def step_visit_logged_by_user(user: Any, step: NextStep) -> bool:
    return step.visit.ild_id == user.pk


@rules.predicate
def goal_is_draft(user: Any, goal: GrowthGoal) -> bool:
    return goal.status == GrowthGoal.Status.DRAFT


@rules.predicate
def step_belongs_to_principal(user: Any, step: NextStep) -> bool:
    return step.owner == NextStep.Owner.PRINCIPAL


@rules.predicate
def partners_the_school(user: Any, obj: Any) -> bool:
    """The person works in the lead-partner unit of the school's cluster: it answers for those schools."""
    cluster_id = roles_for(user).lead_partner_cluster_id
    if cluster_id is None or obj is None:
        return False
    school = obj.visit.school if isinstance(obj, NextStep) else getattr(obj, "school", obj)
    return getattr(school, "cluster_id", None) == cluster_id


reads_school_coaching = sees_whole_district | coaches_the_school | leads_the_school | partners_the_school

rules.add_perm("coaching.view_dashboard", is_ild)
rules.add_perm("coaching.view_coaches", sees_whole_district)
rules.add_perm("coaching.list_visits", sees_whole_district | is_ild | is_principal)
rules.add_perm("coaching.view_growth", reads_school_coaching)

rules.add_perm("coaching.log_visit", is_ild)
rules.add_perm("coaching.view_visit", reads_school_coaching)
# Past visits by a previous ILD stay read-only for the new one.
rules.add_perm("coaching.change_visit", logged_the_visit & coaches_the_school)
# Only the ILD who wrote a private note ever reads it: not principals, executives or a later ILD.
rules.add_perm("coaching.view_private_note", logged_the_visit)
rules.add_perm("coaching.reflect_on_visit", leads_the_school & visit_is_done)

rules.add_perm("coaching.add_goal", is_ild | is_principal)
principal_of_goal = leads_the_school & owns_the_goal
rules.add_perm("coaching.view_goal", sees_whole_district | coaches_the_school | principal_of_goal | partners_the_school)
rules.add_perm("coaching.change_goal", (coaches_the_school | principal_of_goal) & goal_is_open)
rules.add_perm("coaching.confirm_goal", principal_of_goal & goal_is_draft)
rules.add_perm("coaching.carry_over_goal", coaches_the_school | principal_of_goal)

rules.add_perm(
    "coaching.tick_next_step",
    (coaches_the_school & step_visit_logged_by_user) | (leads_the_school & step_belongs_to_principal),
)
rules.add_perm("coaching.use_calendar", is_ild)
