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


@rules.predicate
def is_lead_partner(user: Any) -> bool:
    return roles_for(user).lead_partner_cluster_id is not None


@rules.predicate
def is_lead_partner_of_school(user: Any, school: Any) -> bool:
    """The person works in the lead-partner unit of the school's cluster (head or staff)."""
    cluster_id = roles_for(user).lead_partner_cluster_id
    return school is not None and cluster_id is not None and getattr(school, "cluster_id", None) == cluster_id


@rules.predicate
def is_lead_partner_of_cluster(user: Any, cluster: Any) -> bool:
    cluster_id = roles_for(user).lead_partner_cluster_id
    return cluster is not None and cluster_id is not None and cluster.pk == cluster_id


@rules.predicate
def is_ild_in_cluster(user: Any, cluster: Any) -> bool:
    """The person coaches at least one of the cluster's schools today."""
    school_ids = roles_for(user).caseload_school_ids
    if cluster is None or not school_ids:
        return False
    from district.models import School

    return School.objects.filter(pk__in=school_ids, cluster_id=cluster.pk).exists()


sees_whole_district = is_executive | is_admin

rules.add_perm(
    "district.view_school", sees_whole_district | is_ild_of_school | is_principal_of_school | is_lead_partner_of_school
)
rules.add_perm("district.list_schools", sees_whole_district | is_ild | is_principal | is_lead_partner)
# A cluster's page: the cabinet, the ILDs coaching in it and its lead partner (head and staff).
rules.add_perm("district.view_cluster", sees_whole_district | is_lead_partner_of_cluster | is_ild_in_cluster)
rules.add_perm("district.view_unit", rules.is_authenticated)
rules.add_perm("district.view_district_overview", sees_whole_district)
rules.add_perm("district.import_roster", is_admin)
rules.add_perm("district.export_district", is_admin)
