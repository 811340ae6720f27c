"""Measure every key page as production serves it, at 40 schools and at city scale.

For each scale (SCALES, default "40,city") the benchmark empties the database, seeds the
demo district (`seed_demo --schools 40`, `seed_demo --scale city`), then:

1. counts each page's queries in-process (Django's test client with CaptureQueriesContext):
   the counts must be the same at every scale;
2. starts gunicorn (WORKERS, default 4) with the production settings, static files collected
   into a temporary folder and served by WhiteNoise, signs CLIENTS (default 4) clients in per
   role through the sign-in form, and has them request every page at once, REQUESTS times
   each (default 6), in ROUNDS interleaved rounds so a busy moment of the machine touches
   every page alike. A trivial signed-in page (/ping/) is measured the same way, in the same
   rounds: each page's p95 is reported as a ratio to it.

It prints one table (and writes it to .cache/benchmark-results.md, with the raw numbers in
.cache/benchmark-results.json), then times two bulk imports (a 10,000-school roster and
100,000 survey-result rows) on the last district.

`make benchmark` runs it on a throw-away PostgreSQL server; `make benchmark-sqlite` on a
throw-away SQLite file. CSV and PDF downloads are requested DOWNLOAD_REQUESTS times per
client (default 3). With DATABASE_URL set it uses (and empties) that database: never
point it at real data. The machine's load is printed beside the numbers: compare ratios,
not milliseconds, between runs.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "schoolward-demo"  # noqa: S105 - the demo's published password
DOMAIN = "district.example"
ROLES = {
    "executive": f"superintendent@{DOMAIN}",
    "ILD": f"ild1@{DOMAIN}",
    "principal": f"principal1@{DOMAIN}",
    "unit head": f"head.instructional-services@{DOMAIN}",
    "unit staff": f"staff.instructional-services.1@{DOMAIN}",
    "admin": f"admin@{DOMAIN}",
}
SEED_ARGS = {"city": ["--scale", "city"]}


@dataclass
class Target:
    """One thing to request: a page, a CSV or PDF download, or an API answer."""

    label: str
    role: str
    path: str
    kind: str = "page"  # page, csv, pdf, api or baseline
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Measured:
    label: str
    role: str
    kind: str
    path: str
    queries: int | None = None
    p50: float | None = None
    p95: float | None = None
    first_byte_p95: float | None = None
    errors: list[str] = field(default_factory=list)


@dataclass
class ScaleResult:
    scale: str
    sizes: dict[str, int]
    seed_seconds: float
    machine: dict[str, Any]
    rows: list[Measured]


# --- Django, the database and the seed ------------------------------------------------


def settings_module(folder: Path) -> None:
    """The production settings, with static files collected into the throw-away folder."""
    (folder / "benchmark_settings.py").write_text(
        f"from config.settings.production import *  # noqa: F403\nSTATIC_ROOT = {str(folder / 'static')!r}\n"
    )


def environment(folder: Path) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "benchmark_settings",
        "PYTHONPATH": os.pathsep.join([str(folder), str(ROOT)]),
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "false",
        "DEBUG": "false",
        "TWO_FACTOR_REQUIRED": "false",  # the demo's executives and admin have no authenticator
        "API_RATE_LIMIT": "1000000/m",
        "LOG_LEVEL": "WARNING",
        "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite:///{folder / 'benchmark.sqlite3'}",
    }


def fresh_database() -> None:
    """An empty database: the schema dropped on PostgreSQL, the file removed on SQLite."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        connection.close()
    else:
        name = Path(str(connection.settings_dict["NAME"]))
        connection.close()
        name.unlink(missing_ok=True)


def seed(scale: str) -> float:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    args = SEED_ARGS.get(scale, ["--schools", scale])
    started = time.perf_counter()
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", *args, stdout=quiet)
    return time.perf_counter() - started


def sizes() -> dict[str, int]:
    from coaching.models import NextStep, Visit
    from cycles.satisfaction.models import Answer, Submission
    from district.models import School, Unit, User
    from service_menu.models import Request

    return {
        "schools": School.objects.count(),
        "ILDs": User.objects.filter(caseloads__isnull=False).distinct().count(),
        "units": Unit.objects.count(),
        "visits": Visit.objects.count(),
        "next steps": NextStep.objects.count(),
        "survey submissions": Submission.objects.count(),
        "survey answers": Answer.objects.count(),
        "requests": Request.objects.count(),
    }


def targets() -> list[Target]:
    """Every role's home and every page the README names, with ids read from the demo."""
    from api.services import token_create
    from coaching.models import CalendarFeed, Visit
    from cycles.inquiry.models import CycleOfInquiry
    from district.models import School, Unit, User
    from service_menu.models import Request

    people = {role: User.objects.get(email=email) for role, email in ROLES.items()}
    school = School.objects.get(principal=people["principal"])
    unit = Unit.objects.get(name="Instructional Services")
    visit = Visit.objects.filter(ild=people["ILD"], status=Visit.Status.DONE).order_by("-date").first()
    request = Request.objects.filter(school=school).order_by("-created_at").first()
    cycle = CycleOfInquiry.objects.filter(unit=unit).order_by("status", "-opened_at").first()
    feed, _ = CalendarFeed.objects.get_or_create(user=people["ILD"])
    _, token = token_create(user=people["executive"], name="benchmark", expires_in_days=None)
    bearer = {"Authorization": f"Bearer {token}"}
    pages = [Target("trivial signed-in page (/ping/)", "principal", "/ping/", "baseline")]
    pages += [Target(f"home: {role}", role, "/") for role in ROLES]
    pages += [
        Target("school directory", "executive", "/schools/"),
        Target("school page", "executive", f"/schools/{school.code}/"),
        Target("unit directory", "executive", "/units/"),
        Target("unit page", "executive", f"/units/{unit.pk}/"),
        Target("ILD caseload dashboard", "ILD", "/coaching/"),
        Target("coaching the coaches", "executive", "/coaching/coaches/"),
        Target("visits list (district)", "executive", "/coaching/visits/"),
        Target("visits list (ILD)", "ILD", "/coaching/visits/"),
        Target("principal growth view", "principal", f"/coaching/schools/{school.code}/growth/"),
        Target("service catalog", "principal", "/services/"),
        Target("unit menu", "principal", f"/services/units/{unit.pk}/"),
        Target("requests list (district)", "executive", "/services/requests/"),
        Target("unit request workspace", "unit head", "/services/workspace/"),
        Target("school 360°", "principal", f"/services/schools/{school.code}/"),
        Target("unit measures", "unit head", f"/services/units/{unit.pk}/measures/"),
        Target("survey (principal)", "principal", "/satisfaction/survey/"),
        Target("unit satisfaction trends", "unit head", f"/satisfaction/units/{unit.pk}/"),
        Target("satisfaction heat map", "executive", "/satisfaction/heat-map/"),
        Target("units rated (principal)", "principal", "/satisfaction/units-rated/"),
        Target("my answers", "principal", "/satisfaction/my-answers/"),
        Target("response rates", "executive", "/satisfaction/response-rates/"),
        Target("cycles overview", "executive", "/cycles/"),
        Target("unit cycles", "unit head", f"/cycles/units/{unit.pk}/"),
        Target("you said, we did", "principal", "/cycles/you-said-we-did/"),
        Target("my actions", "unit staff", "/cycles/my-actions/"),
        Target("admin index", "admin", "/admin/"),
    ]
    if visit is not None:
        pages.append(Target("visit page", "ILD", f"/coaching/visits/{visit.pk}/"))
    if request is not None:
        pages.append(Target("request page", "principal", f"/services/requests/{request.pk}/"))
    if cycle is not None:
        pages.append(Target("cycle page", "unit head", f"/cycles/{cycle.pk}/"))
    pages += [
        Target("CSV: visits (district)", "executive", "/coaching/visits/?export=csv", "csv"),
        Target("CSV: schools", "executive", "/schools/?export=csv", "csv"),
        Target("CSV: unit workspace", "unit head", "/services/workspace/?export=csv", "csv"),
        Target("CSV: requests (district)", "executive", "/services/requests/?export=csv", "csv"),
        Target("CSV: coaches", "executive", "/coaching/coaches/?export=csv", "csv"),
        Target("CSV: unit satisfaction", "unit head", f"/satisfaction/units/{unit.pk}/?export=csv", "csv"),
        Target("PDF: district catalog", "executive", "/services/catalog.pdf", "pdf"),
        Target("PDF: unit menu", "principal", f"/services/units/{unit.pk}/menu.pdf", "pdf"),
        Target("PDF: growth report", "principal", f"/coaching/schools/{school.code}/growth.pdf", "pdf"),
        Target("PDF: unit satisfaction report", "unit head", f"/satisfaction/units/{unit.pk}/report.pdf", "pdf"),
        Target("PDF: unit's cabinet report", "unit head", f"/cycles/units/{unit.pk}/cabinet.pdf", "pdf"),
        Target("PDF: cabinet packet", "executive", "/cycles/packet.pdf", "pdf"),
        Target("calendar feed (.ics)", "ILD", f"/coaching/calendar/{feed.token}.ics", "api"),
        Target("API: visits", "executive", "/api/v1/visits", "api", bearer),
        Target("API: satisfaction", "executive", "/api/v1/satisfaction", "api", bearer),
    ]
    if visit is not None:
        pages.append(Target("PDF: visit summary", "ILD", f"/coaching/visits/{visit.pk}/summary.pdf", "pdf"))
    return pages


def build_documents(label: str) -> None:
    """Build the documents the first request queued, as the task worker would, and say how long it took.

    Long PDFs are built in the background (the documents app); the pages measured are the
    ones a person gets once the document is built for the data as it stands.
    """
    from documents.models import Document
    from documents.services import document_build

    for pk in Document.objects.filter(status=Document.Status.QUEUED).values_list("pk", flat=True):
        started = time.perf_counter()
        document_build(document_id=pk)
        print(f"   built {label} in the background in {time.perf_counter() - started:.1f} s", flush=True)


def count_queries(pages: list[Target]) -> dict[str, int]:
    """Each page's queries, in-process, after one warm-up request."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from district.models import User

    counts: dict[str, int] = {}
    for target in pages:
        client = Client()
        client.force_login(User.objects.get(email=ROLES[target.role]))
        extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in target.headers.items()}
        _read(client.get(target.path, **extra))
        if target.kind == "pdf":
            build_documents(target.label)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(target.path, **extra)
            _read(response)
        if response.status_code != 200:
            raise SystemExit(f"{target.path} answered {response.status_code} to the {target.role}")
        counts[target.label] = len(queries)
    return counts


def _read(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


# --- gunicorn and the clients ---------------------------------------------------------


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def gunicorn(env: dict[str, str], workers: int, log: Path) -> Iterator[int]:
    port = free_port()
    with log.open("ab") as out:
        server = subprocess.Popen(  # noqa: S603 - our own gunicorn, arguments fixed here
            [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi", "--workers", str(workers), "--bind", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=out,
            stderr=out,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if Session(port).get("/healthz").status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit(f"gunicorn did not start; see {log}")
            time.sleep(0.3)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


@dataclass
class Answer:
    status: int
    seconds: float
    first_byte: float
    body: bytes
    location: str = ""


class Session:
    """One person's browser: cookies kept, each request on a new connection (gunicorn's sync
    workers close it), as if behind the TLS proxy production runs behind."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.host = f"127.0.0.1:{port}"
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str = "", headers: dict[str, str] | None = None) -> Answer:
        sent = {
            "Host": self.host,
            "X-Forwarded-Proto": "https",
            "User-Agent": "schoolward-benchmark",
            **(headers or {}),
        }
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
        started = time.perf_counter()
        try:
            connection.request(method, path, body=body or None, headers=sent)
            response = connection.getresponse()
            first = response.read(1)
            first_byte = time.perf_counter() - started
            data = first + response.read()
            seconds = time.perf_counter() - started
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value:
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return Answer(response.status, seconds, first_byte, data, response.headers.get("Location", ""))

    def get(self, path: str, headers: dict[str, str] | None = None) -> Answer:
        return self.request("GET", path, headers=headers)

    def sign_in(self, email: str) -> None:
        page = self.get("/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
        if token is None:
            raise SystemExit("the sign-in page has no CSRF token")
        answer = self.request(
            "POST",
            "/accounts/login/",
            urlencode({"csrfmiddlewaretoken": token.group(1).decode(), "username": email, "password": PASSWORD}),
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": f"https://{self.host}",
                "Referer": f"https://{self.host}/accounts/login/",
            },
        )
        if answer.status != 302 or "login" in answer.location:
            raise SystemExit(f"{email} could not sign in through the form ({answer.status} {answer.location})")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def cpu_times() -> tuple[float, float]:
    """(busy, total) jiffies of the whole machine, from /proc/stat (zeros where there is none)."""
    try:
        fields = [float(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    except OSError:
        return 0.0, 0.0
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return sum(fields) - idle, sum(fields)


def measure(port: int, pages: list[Target], settings: dict[str, int]) -> dict[str, Measured]:
    clients, rounds = settings["clients"], settings["rounds"]
    sessions: dict[str, list[Session]] = {}
    for role in {t.role for t in pages}:
        sessions[role] = []
        for _ in range(clients):
            session = Session(port)
            session.sign_in(ROLES[role])
            sessions[role].append(session)
    samples: dict[str, list[Answer]] = {t.label: [] for t in pages}
    errors: dict[str, list[str]] = {t.label: [] for t in pages}
    lock = threading.Lock()

    def burst(target: Target, times: int, keep: bool) -> None:
        def one_client(session: Session) -> None:
            for _ in range(times):
                try:
                    answer = session.get(target.path, target.headers)
                except (OSError, http.client.HTTPException) as error:
                    # gunicorn kills a worker that takes longer than its timeout (30 s by default).
                    with lock:
                        errors[target.label].append(f"no answer ({type(error).__name__})")
                    continue
                with lock:
                    if answer.status != 200:
                        errors[target.label].append(f"{answer.status}")
                    elif keep:
                        samples[target.label].append(answer)

        with ThreadPoolExecutor(max_workers=clients) as pool:
            list(pool.map(one_client, sessions[target.role]))

    for target in pages:  # warm up: templates, imports and caches in every worker
        burst(target, 1, keep=False)
    for round_number in range(rounds):
        for target in pages:
            requests = settings["download_requests" if target.kind in {"csv", "pdf"} else "requests"]
            burst(target, max(1, requests // rounds), keep=True)
        print(f"    round {round_number + 1} of {rounds} done", flush=True)
    results = {}
    for target in pages:
        times = [a.seconds for a in samples[target.label]]
        first = [a.first_byte for a in samples[target.label]]
        results[target.label] = Measured(
            label=target.label,
            role=target.role,
            kind=target.kind,
            path=target.path,
            p50=statistics.median(times) if times else None,
            p95=percentile(times, 0.95) if times else None,
            first_byte_p95=percentile(first, 0.95) if first else None,
            errors=sorted(set(errors[target.label])),
        )
    return results


def run_scale(scale: str, env: dict[str, str], folder: Path, settings: dict[str, int]) -> ScaleResult:
    print(f"\n== {scale}: seeding", flush=True)
    fresh_database()
    seed_seconds = seed(scale)
    counted = sizes()
    print(f"   seeded in {seed_seconds:.0f} s: " + ", ".join(f"{v:,} {k}" for k, v in counted.items()), flush=True)
    pages = targets()
    print("   counting queries", flush=True)
    queries = count_queries(pages)
    from django.db import connections

    connections.close_all()
    print(f"   serving with gunicorn ({settings['workers']} workers, {settings['clients']} clients)", flush=True)
    load_before = os.getloadavg()
    busy_before, total_before = cpu_times()
    started = time.perf_counter()
    with gunicorn(env, settings["workers"], folder / "gunicorn.log") as port:
        measured = measure(port, pages, settings)
    busy_after, total_after = cpu_times()
    load_after = os.getloadavg()
    for label, count in queries.items():
        measured[label].queries = count
    machine = {
        "cores": os.cpu_count() or 0,
        "load average before (1, 5, 15 min)": [round(v, 1) for v in load_before],
        "load average after (1, 5, 15 min)": [round(v, 1) for v in load_after],
        "CPU busy during the run (whole machine)": (
            round((busy_after - busy_before) / (total_after - total_before), 2) if total_after > total_before else None
        ),
        "seconds measuring": round(time.perf_counter() - started),
    }
    return ScaleResult(scale, counted, seed_seconds, machine, list(measured.values()))


# --- imports (as before) ---------------------------------------------------------------


def time_imports(schools: int) -> list[tuple[str, int, float]]:
    """Time a roster of new schools, then survey results for every school, unit and item of a past term."""
    import datetime

    from cycles.satisfaction.models import SurveyItem
    from cycles.satisfaction.services import import_survey_results
    from district.models import Cluster, School, SchoolYear, Term, Unit
    from district.roster import import_roster

    cluster = Cluster.objects.order_by("pk").first()
    header = "code,name,level,cluster,principal_email,principal_name\n"
    rows = [
        f"R{i:05d},Roster School {i},elementary,{cluster},roster{i}@district.example,Principal {i}\n"
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


# --- the report -----------------------------------------------------------------------


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value * 1000:,.0f}"


def report(results: list[ScaleResult], vendor: str, settings: dict[str, int]) -> str:
    lines = [
        f"# Benchmark: {vendor}, gunicorn with {settings['workers']} workers, {settings['clients']} concurrent "
        f"clients, {settings['requests']} requests per client and page "
        f"({settings['download_requests']} per CSV or PDF)",
        "",
    ]
    for result in results:
        sizes_text = ", ".join(f"{v:,} {k}" for k, v in result.sizes.items())
        lines.append(f"- **{result.scale}**: {sizes_text}; seeded in {result.seed_seconds:.0f} s")
        lines.append(f"  - machine: {json.dumps(result.machine, ensure_ascii=False)}")
    lines.append("")
    header = ["page", "role", "kind", "queries"]
    for result in results:
        header += [f"p50 ms ({result.scale})", f"p95 ms ({result.scale})", f"p95 ÷ ping ({result.scale})"]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "---|" * len(header))
    by_scale = [{row.label: row for row in result.rows} for result in results]
    baselines = [next((r.p95 for r in result.rows if r.kind == "baseline"), None) for result in results]
    for row in results[0].rows:
        counts = [str(rows[row.label].queries) if row.label in rows else "—" for rows in by_scale]
        queries = " → ".join(counts) if len(set(counts)) > 1 else counts[0]
        cells = [row.label, row.role, row.kind, queries]
        for rows, baseline in zip(by_scale, baselines, strict=True):
            measured = rows.get(row.label)
            if measured is None:
                cells += ["—", "—", "—"]
                continue
            ratio = (
                f"{measured.p95 / baseline:.1f}×"
                if measured.p95 is not None and baseline
                else ("failed: " + ", ".join(measured.errors) if measured.errors else "—")
            )
            if measured.errors and measured.p95 is not None:
                ratio += " (some failed: " + ", ".join(measured.errors) + ")"
            cells += [_ms(measured.p50), _ms(measured.p95), ratio]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    scales = [s.strip() for s in (os.environ.get("SCALES") or "40,city").split(",") if s.strip()]
    settings = {
        "workers": int(os.environ.get("WORKERS") or 4),
        "clients": int(os.environ.get("CLIENTS") or 4),
        "requests": int(os.environ.get("REQUESTS") or 6),
        "download_requests": int(os.environ.get("DOWNLOAD_REQUESTS") or 3),
        "rounds": int(os.environ.get("ROUNDS") or 3),
    }
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="schoolward-benchmark-") as name:
        folder = Path(name)
        settings_module(folder)
        env = environment(folder)
        os.environ.update(env)
        sys.path.insert(0, str(folder))
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        with open(os.devnull, "w") as quiet:
            call_command("collectstatic", "--noinput", verbosity=0, stdout=quiet)
        results = [run_scale(scale, env, folder, settings) for scale in scales]
        text = report(results, connection.vendor, settings)
        imports = time_imports(int(os.environ.get("ROSTER_SCHOOLS", "10000")))
        text += f"\n\n| import (on the {scales[-1]} district) | rows | seconds | rows/s |\n|---|---|---|---|\n"
        for label, rows, seconds in imports:
            text += f"| {label} | {rows:,} | {seconds:.1f} | {rows / seconds:,.0f} |\n"
        text += f"\nTotal benchmark time: {time.perf_counter() - started:.0f} s\n"
    print("\n" + text)
    out = ROOT / ".cache"
    out.mkdir(exist_ok=True)
    (out / "benchmark-results.md").write_text(text)
    (out / "benchmark-results.json").write_text(
        json.dumps({"settings": settings, "results": [asdict(r) for r in results]}, indent=2, ensure_ascii=False)
    )
    print(f"Written to {out / 'benchmark-results.md'} and benchmark-results.json")


if __name__ == "__main__":
    main()
