"""The schools roster takes an optional feeds_into column: the code of the school students go on to."""

from __future__ import annotations

import pytest

from district.models import Cluster, School
from district.roster import RosterImportFailed, import_roster
from tests.factories import ClusterFactory, SchoolFactory

pytestmark = pytest.mark.django_db

HEADER = "code,name,level,cluster,principal_email,principal_name,feeds_into\n"


@pytest.fixture
def northside() -> Cluster:
    return ClusterFactory.create(name="Northside")


def test_a_schools_file_links_feeders_in_any_order_and_twice_changes_nothing(northside: Cluster) -> None:
    data = (
        HEADER + "E1,Douglass Elementary,Elementary,Northside,,,M1\n"
        "M1,Carver Middle,Middle,Northside,,,H1\n"
        "H1,Northside High,High,Northside,,,\n"
    ).encode()
    result = import_roster(data=data)
    assert result.created == 3
    schools = {s.code: s for s in School.objects.select_related("feeds_into")}
    assert schools["E1"].feeds_into == schools["M1"]
    assert schools["M1"].feeds_into == schools["H1"]
    assert schools["H1"].feeds_into is None
    again = import_roster(data=data)
    assert again.updated == 0
    assert again.unchanged == 3


def test_a_changed_feeder_alone_counts_as_an_update(northside: Cluster) -> None:
    high = SchoolFactory.create(code="H1", name="Northside High", level="high", cluster=northside)
    SchoolFactory.create(code="H2", name="Lakeside High", level="high", cluster=northside)
    SchoolFactory.create(code="M1", name="Carver Middle", level="middle", cluster=northside, feeds_into=high)
    result = import_roster(data=(HEADER + "M1,Carver Middle,Middle,Northside,,,H2\n").encode())
    assert result.updated == 1
    assert result.unchanged == 0
    assert School.objects.get(code="M1").feeds_into.code == "H2"  # type: ignore[union-attr]


def test_feeders_that_are_unknown_the_school_itself_or_a_circle_write_nothing(northside: Cluster) -> None:
    data = (
        HEADER + "E1,Douglass Elementary,Elementary,Northside,,,NOPE\n"
        "M1,Carver Middle,Middle,Northside,,,M1\n"
        "A1,Alpha Middle,Middle,Northside,,,B1\n"
        "B1,Beta High,High,Northside,,,A1\n"
    ).encode()
    with pytest.raises(RosterImportFailed) as raised:
        import_roster(data=data)
    errors = [(e.line, e.column, e.message) for e in raised.value.result.errors]
    assert (2, "feeds_into", "unknown school code “NOPE”") in errors
    assert (3, "feeds_into", "a school cannot feed into itself") in errors
    assert any(column == "feeds_into" and "circle" in message for _, column, message in errors)
    assert not School.objects.exists()


def test_a_file_without_the_column_leaves_feeder_links_alone(northside: Cluster) -> None:
    high = SchoolFactory.create(code="H1", name="Northside High", level="high", cluster=northside)
    SchoolFactory.create(code="M1", name="Carver Middle", level="middle", cluster=northside, feeds_into=high)
    old_header = "code,name,level,cluster,principal_email,principal_name\n"
    import_roster(data=(old_header + "M1,Carver Middle,Middle,Northside,,\n").encode())
    assert School.objects.get(code="M1").feeds_into == high
