"""A believable demo district, built with bulk inserts so large districts build quickly."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from district.models import (
    Caseload,
    Cluster,
    ExecutiveDesignation,
    School,
    SchoolYear,
    Term,
    Unit,
    UnitMembership,
    User,
)

DEMO_PASSWORD = "schoolward-demo"  # noqa: S105 - published demo password, shown on screen
DEMO_DOMAIN = "district.example"

FIRST_NAMES = [
    "Maria",
    "James",
    "Aisha",
    "Daniel",
    "Keisha",
    "Luis",
    "Grace",
    "Samuel",
    "Priya",
    "Marcus",
    "Elena",
    "Jamal",
    "Hannah",
    "Diego",
    "Nora",
    "Andre",
    "Fatima",
    "Owen",
    "Rosa",
    "Tyrone",
    "Mei",
    "Carlos",
    "Leah",
    "Kwame",
    "Sofia",
    "Ethan",
    "Imani",
    "Victor",
    "Chloe",
    "Hector",
]
LAST_NAMES = [
    "Alvarez",
    "Brooks",
    "Chen",
    "Dawson",
    "Edwards",
    "Flores",
    "Greene",
    "Hughes",
    "Ibrahim",
    "Jackson",
    "Kim",
    "Lopez",
    "Mitchell",
    "Nguyen",
    "Okafor",
    "Patel",
    "Quinn",
    "Rivera",
    "Simmons",
    "Thompson",
    "Usman",
    "Vasquez",
    "Washington",
    "Xu",
    "Young",
    "Zimmerman",
    "Baptiste",
    "Castillo",
    "Demir",
    "Ellis",
]
NAMESAKES = [
    "Frederick Douglass",
    "Mary McLeod Bethune",
    "César Chávez",
    "Harriet Tubman",
    "Rachel Carson",
    "Langston Hughes",
    "Sally Ride",
    "Roberto Clemente",
    "Thurgood Marshall",
    "Maya Angelou",
    "Jackie Robinson",
    "Sojourner Truth",
    "Benjamin Banneker",
    "Ellen Ochoa",
    "Booker T. Washington",
    "Grace Hopper",
    "Dolores Huerta",
    "Carter G. Woodson",
    "Katherine Johnson",
    "Ida B. Wells",
    "Sequoyah",
    "Amelia Earhart",
    "Paul Robeson",
    "Jane Addams",
    "Duke Ellington",
    "Wilma Rudolph",
    "Garrett Morgan",
    "Clara Barton",
    "Arthur Ashe",
    "Zora Neale Hurston",
]
CLUSTER_NAMES = ["Northside", "Riverside", "Eastgate", "Southview", "Lakeshore", "Hillcrest", "Westfield", "Parkway"]
CENTRAL_UNITS = [
    ("Instructional Services", "Curriculum, coaching and professional learning in every content area."),
    ("Human Resources", "Recruiting, hiring, placing and supporting teachers and school staff."),
    ("Facilities", "Building maintenance, repairs and capital projects."),
    ("Nutrition Services", "School breakfast, lunch and supper programmes."),
    ("Operations", "Transportation, safety, enrolment and school logistics."),
    ("Special Education", "Services for students with disabilities and the staff who teach them."),
    ("Budget and Finance", "School budgets, purchasing and grants."),
    ("Data and Assessment", "Assessment calendars, data tools and data coaching for school teams."),
]
# A city-sized central office has many more units; these come after the eight above.
MORE_CENTRAL_UNITS = [
    ("Multilingual Learners", "Programs, staffing and coaching for schools serving multilingual learners."),
    ("Early Childhood", "Pre-K and 3-K programs, enrolment and teacher support."),
    ("Student Support Services", "Attendance, counseling and crisis response for schools."),
    ("Family and Community Engagement", "Parent coordinators, family workshops and community partners."),
    ("Information Technology", "Devices, networks and the systems schools use every day."),
    ("Transportation", "Bus routes, eligibility and field-trip transport."),
    ("School Safety", "Safety plans, drills and school safety agents."),
    ("Enrollment", "Admissions, transfers and seat planning."),
    ("Arts Education", "Arts teachers, partners and performances in every school."),
    ("Physical Education and Athletics", "PE curriculum, teams and facilities."),
    ("Library Services", "School libraries, librarians and reading programs."),
    ("College and Career Readiness", "Counseling, course access and career pathways for older students."),
    ("Health Services", "School nurses, health screenings and school-based health centers."),
    ("Legal Services", "Advice to principals on student, staff and contract questions."),
    ("Procurement", "Buying goods and services for schools, and vendor contracts."),
    ("Labor Relations", "Grievances, contracts and staff relations guidance."),
    ("Principal Leadership Development", "Aspiring-principal programs and mentoring for new principals."),
    ("Teacher Leadership", "Teacher-leader roles, model classrooms and peer coaching."),
    ("Research and Accountability", "School quality reviews, surveys and research partnerships."),
    ("Communications", "Translation, school websites and messages to families."),
    ("Equity and Access", "Access to advanced coursework and culturally responsive practice."),
    ("Gifted and Talented", "Identification and programs for gifted learners."),
    ("Summer and Extended Learning", "Summer school, after-school and tutoring programs."),
    ("Sustainability", "Energy, recycling and green-school projects."),
]
STAFF_TITLES = ["Partner", "Coordinator", "Specialist", "Coach", "Analyst"]

LEVEL_MIX = [School.Level.ELEMENTARY] * 5 + [School.Level.MIDDLE] * 2 + [School.Level.K8, School.Level.HIGH]
LEVEL_SUFFIX = {
    School.Level.ELEMENTARY: "Elementary School",
    School.Level.MIDDLE: "Middle School",
    School.Level.HIGH: "High School",
    School.Level.K8: "K-8 Academy",
    School.Level.K12: "K-12 School",
}


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    name: str


def is_seeded() -> bool:
    return User.objects.filter(email=f"superintendent@{DEMO_DOMAIN}").exists()


def demo_logins() -> list[DemoLogin]:
    """One login per role, read back from the database."""
    logins: list[DemoLogin] = []
    for role, email in [
        ("Executive (superintendent)", f"superintendent@{DEMO_DOMAIN}"),
        ("ILD", f"ild1@{DEMO_DOMAIN}"),
        ("Principal", f"principal1@{DEMO_DOMAIN}"),
        ("Unit head", f"head.instructional-services@{DEMO_DOMAIN}"),
        ("Unit staff", f"staff.instructional-services.1@{DEMO_DOMAIN}"),
        ("Admin", f"admin@{DEMO_DOMAIN}"),
    ]:
        user = User.objects.filter(email=email).first()
        if user:
            logins.append(DemoLogin(role, email, user.full_name))
    return logins


def reset_demo() -> None:
    """Remove every record the org chart holds, so the demo can be built anew."""
    with transaction.atomic():
        Caseload.objects.all().delete()
        Caseload.history.all().delete()
        UnitMembership.objects.all().delete()
        Unit.objects.all().delete()
        Unit.history.all().delete()
        School.objects.all().delete()
        School.history.all().delete()
        Cluster.objects.all().delete()
        Term.objects.all().delete()
        SchoolYear.objects.all().delete()
        ExecutiveDesignation.objects.all().delete()
        User.objects.all().delete()


def link_feeders(schools: list[School]) -> None:
    """Within each cluster, elementary schools go on to its middle schools (in turn), and
    middle and K-8 schools to its high school: the feeder pattern a cluster is drawn around."""
    by_cluster: dict[int, list[School]] = {}
    for school in schools:
        by_cluster.setdefault(school.cluster_id, []).append(school)
    changed = []
    for members in by_cluster.values():
        highs = [s for s in members if s.level in {School.Level.HIGH, School.Level.K12}]
        middles = [s for s in members if s.level == School.Level.MIDDLE]
        for i, school in enumerate(s for s in members if s.level in {School.Level.MIDDLE, School.Level.K8}):
            if highs:
                school.feeds_into = highs[i % len(highs)]
                changed.append(school)
        for i, school in enumerate(s for s in members if s.level == School.Level.ELEMENTARY):
            target = middles[i % len(middles)] if middles else (highs[0] if highs else None)
            if target is not None:
                school.feeds_into = target
                changed.append(school)
    School.objects.bulk_update(changed, ["feeds_into"], batch_size=2000)


def _school_years(today: datetime.date, count: int) -> list[SchoolYear]:
    current_year = today.year if today.month >= 8 else today.year - 1
    years = []
    for start in range(current_year - count + 1, current_year + 1):
        year = SchoolYear.objects.create(
            name=f"{start}–{str(start + 1)[-2:]}",
            start_date=datetime.date(start, 8, 1),
            end_date=datetime.date(start + 1, 6, 30),
            is_current=start == current_year,
        )
        Term.objects.create(
            school_year=year, name="Fall", start_date=datetime.date(start, 8, 1), end_date=datetime.date(start, 12, 31)
        )
        Term.objects.create(
            school_year=year,
            name="Spring",
            start_date=datetime.date(start + 1, 1, 1),
            end_date=datetime.date(start + 1, 6, 30),
        )
        years.append(year)
    return years


def _unit_specs(units: int, clusters: list[Cluster]) -> list[tuple[str, str, str, Cluster | None]]:
    """``units`` units: a fifth of them (at least one) lead partners of the first clusters, the rest central."""
    partners = min(max(1, units // 5), len(clusters))
    central = [*CENTRAL_UNITS, *MORE_CENTRAL_UNITS]
    central += [(f"Central Office Unit {i + 1}", "Support for schools.") for i in range(len(central), units - partners)]
    specs: list[tuple[str, str, str, Cluster | None]] = [
        (name, desc, Unit.Kind.CENTRAL, None) for name, desc in central[: units - partners]
    ]
    specs += [
        (
            f"{cluster.name} Lead Partner",
            f"A university partner that leads instructional support for the {cluster.name} cluster.",
            Unit.Kind.LEAD_PARTNER,
            cluster,
        )
        for cluster in clusters[:partners]
    ]
    return specs


def build_demo(
    *, schools: int = 40, years: int = 3, units: int = 9, seed: int = 2026, today: datetime.date | None = None
) -> list[DemoLogin]:
    """Build the demo district and return one login per role.

    ``schools`` sets the size: about ten schools per cluster and per ILD caseload. ``years``
    school years, the last one current; ``units`` central-office and lead-partner units.
    """
    rng = random.Random(seed)  # noqa: S311 - repeatable demo data, not security
    today = today or datetime.date.today()
    password = make_password(DEMO_PASSWORD)  # hashed once: hashing per person is what makes seeding slow
    cluster_count = max(4, round(schools / 10)) if schools > 40 else 4
    ild_count = max(4, round(schools / 10))

    def person(email: str, index: int) -> User:
        name = f"{FIRST_NAMES[index % len(FIRST_NAMES)]} {LAST_NAMES[(index * 7 + index // 30) % len(LAST_NAMES)]}"
        return User(email=email, full_name=name, password=password)

    with transaction.atomic():
        school_years = _school_years(today, years)
        current_year = school_years[-1]
        clusters = Cluster.objects.bulk_create(
            [
                Cluster(
                    name=(
                        CLUSTER_NAMES[i]
                        if i < len(CLUSTER_NAMES)
                        else f"{CLUSTER_NAMES[i % len(CLUSTER_NAMES)]} {i // len(CLUSTER_NAMES) + 1}"
                    ),
                    description="Feeder pattern around its high school.",
                )
                for i in range(cluster_count)
            ]
        )

        people: list[User] = [
            User(email=f"superintendent@{DEMO_DOMAIN}", full_name="Dr. Angela Whitfield", password=password),
            User(email=f"chief.of.schools@{DEMO_DOMAIN}", full_name="Robert Delgado", password=password),
            User(
                email=f"admin@{DEMO_DOMAIN}", full_name="Sam Okoro", password=password, is_staff=True, is_superuser=True
            ),
        ]
        people += [person(f"ild{i + 1}@{DEMO_DOMAIN}", 100 + i * 3) for i in range(ild_count)]
        people += [person(f"principal{i + 1}@{DEMO_DOMAIN}", i) for i in range(schools)]
        unit_specs = _unit_specs(units, clusters)
        for u, (name, _, _, _) in enumerate(unit_specs):
            slug = name.lower().replace(" ", "-")
            people.append(person(f"head.{slug}@{DEMO_DOMAIN}", 50 + u * 5))
            people += [person(f"staff.{slug}.{s + 1}@{DEMO_DOMAIN}", 200 + u * 4 + s) for s in range(3)]
        User.objects.bulk_create(people, batch_size=2000)
        by_email = {u.email: u for u in User.objects.all()}

        ExecutiveDesignation.objects.bulk_create(
            [
                ExecutiveDesignation(
                    user=by_email[f"superintendent@{DEMO_DOMAIN}"], title=ExecutiveDesignation.Title.SUPERINTENDENT
                ),
                ExecutiveDesignation(
                    user=by_email[f"chief.of.schools@{DEMO_DOMAIN}"], title=ExecutiveDesignation.Title.CHIEF_OF_SCHOOLS
                ),
            ]
        )

        school_rows = []
        for i in range(schools):
            level = LEVEL_MIX[i % len(LEVEL_MIX)]
            namesake = NAMESAKES[i % len(NAMESAKES)]
            suffix = f" {i // len(NAMESAKES) + 1}" if i >= len(NAMESAKES) else ""
            school_rows.append(
                School(
                    name=f"{namesake}{suffix} {LEVEL_SUFFIX[level]}",
                    code=f"S{i + 1:04d}",
                    level=level,
                    cluster=clusters[i % cluster_count],
                    principal=by_email[f"principal{i + 1}@{DEMO_DOMAIN}"],
                    active=True,
                )
            )
        created_schools = School.objects.bulk_create(school_rows, batch_size=2000)
        link_feeders(created_schools)

        # Caseloads: one ILD per block of schools; in the prior year some schools had another ILD,
        # so the history of a change of ILD is there to see.
        caseloads = []
        ilds = [by_email[f"ild{i + 1}@{DEMO_DOMAIN}"] for i in range(ild_count)]
        previous_start = school_years[0].start_date
        for i, school in enumerate(created_schools):
            ild = ilds[i % ild_count]
            if rng.random() < 0.2:
                former = ilds[(i + 1) % ild_count]
                caseloads.append(
                    Caseload(
                        ild=former,
                        school=school,
                        start_date=previous_start,
                        end_date=current_year.start_date - datetime.timedelta(days=1),
                    )
                )
                caseloads.append(Caseload(ild=ild, school=school, start_date=current_year.start_date))
            else:
                caseloads.append(Caseload(ild=ild, school=school, start_date=previous_start))
        Caseload.objects.bulk_create(caseloads, batch_size=2000)

        created_units = []
        memberships = []
        for u, (name, description, kind, cluster) in enumerate(unit_specs):
            slug = name.lower().replace(" ", "-")
            unit = Unit.objects.create(
                name=name,
                kind=kind,
                cluster=cluster,
                description=description,
                contact_email=f"{slug}@{DEMO_DOMAIN}",
                head=by_email[f"head.{slug}@{DEMO_DOMAIN}"],
            )
            created_units.append(unit)
            memberships += [
                UnitMembership(
                    unit=unit,
                    user=by_email[f"staff.{slug}.{s + 1}@{DEMO_DOMAIN}"],
                    title=f"{name} {STAFF_TITLES[(u + s) % len(STAFF_TITLES)]}",
                )
                for s in range(3)
            ]
        UnitMembership.objects.bulk_create(memberships)
    return demo_logins()
