"""Measure how page cost grows with the district: a 40-school demo against a large one.

Reports, for each page, the queries it runs and the median time it takes in both
districts, and the ratio large/small. A ratio near 1 means the page does not slow down as
the district grows; the query counts should be equal. Then it times the two bulk imports
(a 10,000-school roster and 100,000 survey-result rows), which the tests pin only by their
query counts. Run with `make benchmark` (optionally SCHOOLS=1800). It uses a throw-away
SQLite file, or the database DATABASE_URL names (which it empties: never point it at real
data). Results are ratios on this machine, not absolute promises.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(database: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{database}")
    import django

    django.setup()


def measure(schools: int, repeats: int) -> dict[str, tuple[int, float]]:
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from district.models import School, Unit, User

    call_command("migrate", verbosity=0)
    call_command("seed_demo", "--reset", "--schools", str(schools), stdout=open(os.devnull, "w"))  # noqa: SIM115
    school = School.objects.get(code="S0001")
    unit = Unit.objects.get(name="Instructional Services")
    pages = [
        ("executive home", "superintendent@district.example", "/"),
        ("ILD home", "ild1@district.example", "/"),
        ("principal home", "principal1@district.example", "/"),
        ("ILD caseload dashboard", "ild1@district.example", "/coaching/"),
        ("coaching the coaches", "superintendent@district.example", "/coaching/coaches/"),
        ("visits list (district)", "superintendent@district.example", "/coaching/visits/"),
        ("principal growth view", "principal1@district.example", f"/coaching/schools/{school.code}/growth/"),
        ("school directory", "superintendent@district.example", "/schools/"),
        ("service catalog", "principal1@district.example", "/services/"),
        ("unit request workspace", "head.instructional-services@district.example", "/services/workspace/"),
        ("school 360°", "principal1@district.example", f"/services/schools/{school.code}/"),
        ("unit measures", "head.instructional-services@district.example", f"/services/units/{unit.pk}/measures/"),
        ("unit satisfaction trends", "head.instructional-services@district.example", f"/satisfaction/units/{unit.pk}/"),
        ("satisfaction heat map", "superintendent@district.example", "/satisfaction/heat-map/"),
        ("cycles overview", "superintendent@district.example", "/cycles/"),
        ("you said, we did", "principal1@district.example", "/cycles/you-said-we-did/"),
    ]
    results: dict[str, tuple[int, float]] = {}
    for label, email, url in pages:
        client = Client()
        client.force_login(User.objects.get(email=email))
        client.get(url)  # warm up caches and templates
        timings = []
        for _ in range(repeats):
            reset_queries()
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                timings.append(time.perf_counter() - started)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
        results[label] = (len(queries), statistics.median(timings))
    return results


def time_imports(schools: int, cluster_name: str) -> list[tuple[str, int, float]]:
    """Time a roster of new schools, then survey results for every school, unit and item of a past term."""
    import datetime

    from cycles.models import SurveyItem
    from cycles.services import import_survey_results
    from district.models import School, SchoolYear, Term, Unit
    from district.roster import import_roster

    header = "code,name,level,cluster,principal_email,principal_name\n"
    rows = [
        f"R{i:05d},Roster School {i},elementary,{cluster_name},roster{i}@district.example,Principal {i}\n"
        for i in range(schools)
    ]
    started = time.perf_counter()
    roster = import_roster(data=(header + "".join(rows)).encode())
    roster_time = time.perf_counter() - started

    year = SchoolYear.objects.create(
        name="1999–00", start_date=datetime.date(1999, 8, 1), end_date=datetime.date(2000, 6, 30)
    )
    Term.objects.create(
        school_year=year, name="Spring", start_date=datetime.date(2000, 1, 10), end_date=datetime.date(2000, 6, 30)
    )
    items = list(SurveyItem.objects.filter(kind="score").values_list("code", flat=True)[:2])
    units = list(Unit.objects.values_list("name", flat=True)[:5])
    codes = list(School.objects.filter(code__startswith="R").values_list("code", flat=True))
    lines = ["school_code,unit,term,item,score,comment\n"]
    lines += [f"{code},{unit},Spring 1999–00,{item},4,\n" for code in codes for unit in units for item in items]
    started = time.perf_counter()
    results = import_survey_results(data="".join(lines).encode())
    results_time = time.perf_counter() - started
    return [("roster (schools)", roster.created, roster_time), ("survey results", results.created, results_time)]


def main() -> None:
    large = int(os.environ.get("SCHOOLS", "1800"))
    repeats = int(os.environ.get("REPEATS", "7"))
    with tempfile.TemporaryDirectory() as folder:
        setup_django(Path(folder) / "benchmark.sqlite3")
        from django.db import connection

        from district.models import Cluster

        started = time.perf_counter()
        small = measure(40, repeats)
        big = measure(large, repeats)
        print(
            f"\nPage cost in a 40-school district vs a {large}-school district on {connection.vendor}"
            f" (median of {repeats} requests)\n"
        )
        print(f"{'page':<28} {'queries':>15} {'ms (small)':>11} {'ms (large)':>11} {'ratio':>7}")
        for label, (small_queries, small_time) in small.items():
            big_queries, big_time = big[label]
            print(
                f"{label:<28} {small_queries:>6} → {big_queries:<6} {small_time * 1000:>11.0f} "
                f"{big_time * 1000:>11.0f} {big_time / small_time:>6.2f}×"
            )
        imports = time_imports(int(os.environ.get("ROSTER_SCHOOLS", "10000")), Cluster.objects.first().name)
        print(f"\n{'import':<28} {'rows':>15} {'seconds':>11} {'rows/s':>11}")
        for label, rows, seconds in imports:
            print(f"{label:<28} {rows:>15,} {seconds:>11.1f} {rows / seconds:>11,.0f}")
        print(f"\nTotal benchmark time: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
