"""Demo coaching data: a rubric, and years of goals, visits and next steps (two by default).

The ILDs differ visibly: the first works alongside principals and hands the work over
(joint visits, rising principal leadership); the second mostly visits alone and debriefs.
"""

from __future__ import annotations

import datetime
import random
from itertools import batched

from django.db import transaction

from coaching.models import (
    GrowthGoal,
    LeadershipPractice,
    LeadRole,
    NextStep,
    PracticeLevel,
    TeachingMove,
    Visit,
    VisitMove,
)
from district.bulk import bulk_insert
from district.models import Caseload, School, SchoolYear, User

LEVEL_NAMES = ["Emerging", "Developing", "Proficient", "Leading"]

RUBRIC: list[tuple[str, str, list[str]]] = [
    (
        "Observing instruction and giving actionable feedback",
        "Visits classrooms often and gives teachers specific, usable feedback tied to the instructional vision.",
        [
            "Visits classrooms occasionally; feedback is general or about compliance.",
            "Visits regularly; feedback names what was seen but rarely a next move for the teacher.",
            "Visits weekly with a focus; feedback is specific, evidence-based and followed up.",
            "Builds teachers' and leaders' own capacity to observe and give feedback to one another.",
        ],
    ),
    (
        "Leading teacher teams in inquiry on student work",
        "Leads teams that look at student work together and decide what to teach next.",
        [
            "Team meetings are mostly logistics.",
            "Teams look at data, but discussion rarely changes instruction.",
            "Teams use protocols on student work and agree next instructional steps.",
            "Teacher leaders run inquiry cycles on their own; the principal coaches the facilitators.",
        ],
    ),
    (
        "Setting a vision of high-quality instruction",
        "Holds and communicates a clear, shared picture of strong teaching and learning.",
        [
            "The vision is a poster, not a practice.",
            "The principal can describe the vision; staff describe it differently.",
            "Staff share a common language for strong instruction and use it in planning.",
            "The vision drives hiring, scheduling, budget and professional learning.",
        ],
    ),
    (
        "Strategic talent management",
        "Recruits, develops, places and keeps strong teachers where students need them most.",
        [
            "Staffing decisions are driven by vacancies as they arise.",
            "Hiring uses some criteria; development is one-size-fits-all.",
            "Development is differentiated by teacher; hiring looks for the instructional vision.",
            "Builds a pipeline of teacher leaders and places talent strategically.",
        ],
    ),
    (
        "Using data to plan and monitor improvement",
        "Uses several kinds of evidence to set priorities and check progress.",
        [
            "Looks at state results once a year.",
            "Reviews interim data; plans are not adjusted.",
            "Sets measurable targets and adjusts plans from interim evidence.",
            "Staff routinely use evidence to adjust their own practice.",
        ],
    ),
    (
        "Building a culture of continuous learning",
        "Makes adult learning public, collaborative and safe.",
        [
            "Classroom doors are mostly closed.",
            "Some teachers observe each other on invitation.",
            "Peer observation and shared planning are routine.",
            "Adults model learning in public, including the principal.",
        ],
    ),
]

SAW = [
    "In three of four classrooms students were explaining their reasoning to a partner before sharing out.",
    "The lesson objective was posted, but most tasks asked for recall rather than reasoning.",
    "Students in the 4th-grade math block used number lines confidently; the teacher circulated with a checklist.",
    "We saw strong routines; the cognitive load sat with the teacher in most rooms.",
    "Small-group reading instruction was well organised; independent work was less purposeful.",
    "Exit tickets were collected in every room; it is not yet clear how they shape tomorrow's lesson.",
]
STEPS_PRINCIPAL = [
    "Share the observation look-fors with the grade-level team",
    "Give written feedback to the two teachers we observed",
    "Run the student-work protocol in Thursday's team meeting",
    "Observe the 3rd-grade math block with the math coach",
    "Draft the agenda for the next instructional leadership team",
]
STEPS_ILD = [
    "Send the feedback protocol and an example",
    "Connect the principal with the district math coach",
    "Bring the student-work protocol to the next visit",
    "Find a school with strong team inquiry for an inter-visit",
]
REFLECTIONS = [
    "Seeing the classrooms together helped me notice how little student talk there was. I'll focus feedback there.",
    "Leading the debrief myself was uncomfortable but useful; I need a tighter protocol.",
    "I want to try the think-aloud with my assistant principal next week.",
]

PROFILES = {
    # joint share, (early lead, late lead), moves weights, reflection rate, growth per year
    "high_impact": (
        0.9,
        (1, 4),
        ["modelling", "joint_observation", "think_aloud", "tool", "debrief", "pressing"],
        0.7,
        1,
    ),
    "solo": (0.2, (1, 1), ["debrief"], 0.1, 0),
    "mixed": (0.55, (1, 3), ["joint_observation", "debrief", "tool", "brokering"], 0.4, 1),
}


def build_rubric() -> list[LeadershipPractice]:
    practices = []
    for order, (name, description, descriptors) in enumerate(RUBRIC, start=1):
        practice, _ = LeadershipPractice.objects.get_or_create(
            name=name, defaults={"description": description, "order": order}
        )
        for rank, (level_name, descriptor) in enumerate(zip(LEVEL_NAMES, descriptors, strict=True), start=1):
            PracticeLevel.objects.get_or_create(
                practice=practice, rank=rank, defaults={"name": level_name, "descriptor": descriptor}
            )
        practices.append(practice)
    return practices


def _profile_for(ild_index: int) -> str:
    return {0: "high_impact", 1: "solo"}.get(ild_index, "mixed")


SCHOOLS_AT_A_TIME = 300  # a city's visits are built and saved a few hundred schools at a time


def build_coaching_demo(
    *, today: datetime.date, seed: int = 2026, years: int = 2, visit_every: tuple[int, ...] = (14, 18, 21)
) -> None:
    """The last ``years`` school years of goals, visits and next steps for every school with an ILD.

    An ILD visits each school every ``visit_every`` days (one of them at random each time).
    """
    rng = random.Random(seed)  # noqa: S311 - repeatable demo data, not security
    practices = build_rubric()
    levels = {(lv.practice_id, lv.rank): lv for lv in PracticeLevel.objects.all()}
    school_years = list(SchoolYear.objects.order_by("start_date"))[-years:]
    if not school_years:
        return
    for chunk in batched(School.objects.filter(principal__isnull=False).select_related("principal"), SCHOOLS_AT_A_TIME):
        _build_schools_coaching(
            rng=rng,
            schools=list(chunk),
            practices=practices,
            levels=levels,
            years=school_years,
            today=today,
            visit_every=visit_every,
        )


def _build_schools_coaching(
    *,
    rng: random.Random,
    schools: list[School],
    practices: list[LeadershipPractice],
    levels: dict[tuple[int, int], PracticeLevel],
    years: list[SchoolYear],
    today: datetime.date,
    visit_every: tuple[int, ...],
) -> None:
    ild_order = {u.pk: i for i, u in enumerate(User.objects.filter(email__startswith="ild").order_by("email"))}
    caseloads_by_school: dict[int, list[Caseload]] = {}
    for caseload in Caseload.objects.filter(school__in=schools):
        caseloads_by_school.setdefault(caseload.school_id, []).append(caseload)

    def ild_on(school: School, day: datetime.date) -> int | None:
        for c in caseloads_by_school.get(school.pk, []):
            if c.start_date <= day and (c.end_date is None or c.end_date >= day):
                return c.ild_id
        return None

    with transaction.atomic():
        goals: list[GrowthGoal] = []
        goal_plan: list[tuple[School, SchoolYear, LeadershipPractice, int]] = []
        for school in schools:
            practice = practices[school.pk % len(practices)]
            baseline = 1 + school.pk % 2
            for year_index, year in enumerate(years):
                current = year_index == len(years) - 1
                ild_id = ild_on(school, year.start_date + datetime.timedelta(days=30))
                profile = _profile_for(ild_order.get(ild_id or 0, 2))
                growth = PROFILES[profile][4]
                start_rank = min(baseline + (0 if year_index == 0 else growth), 3)
                target = min(start_rank + 1, 4)
                if current:
                    status = GrowthGoal.Status.ACTIVE if school.pk % 5 else GrowthGoal.Status.DRAFT
                else:
                    status = (
                        [GrowthGoal.Status.MET, GrowthGoal.Status.PARTLY_MET, GrowthGoal.Status.NOT_MET][school.pk % 3]
                        if growth
                        else GrowthGoal.Status.NOT_MET
                    )
                goals.append(
                    GrowthGoal(
                        school=school,
                        principal_id=school.principal_id or 0,
                        school_year=year,
                        practice=practice,
                        statement=(
                            f"I will get better at {practice.name.lower()}, so that teachers get clear, usable support."
                        ),
                        baseline_level=levels[(practice.pk, start_rank)],
                        target_level=levels[(practice.pk, target)],
                        success_criteria="Observed at the target level in two consecutive joint visits; teachers "
                        "describe the change in the spring survey.",
                        status=status,
                        drafted_by_id=ild_id or school.principal_id or 0,
                        confirmed_at=None
                        if status == GrowthGoal.Status.DRAFT
                        else datetime.datetime.combine(
                            year.start_date + datetime.timedelta(days=40), datetime.time(12), tzinfo=datetime.UTC
                        ),
                    )
                )
                goal_plan.append((school, year, practice, start_rank))
        created_goals = bulk_insert(goals)

        visits: list[Visit] = []
        visit_meta: list[tuple[GrowthGoal, set[str], float]] = []
        for goal, (school, year, practice, start_rank) in zip(created_goals, goal_plan, strict=True):
            day = year.start_date + datetime.timedelta(days=21 + school.pk % 10)
            last = min(year.end_date, today + datetime.timedelta(days=21))
            total_days = max((year.end_date - year.start_date).days, 1)
            while day <= last:
                if day.weekday() >= 5:
                    day += datetime.timedelta(days=7 - day.weekday())
                ild_id = ild_on(school, day)
                if ild_id is None:
                    break
                profile = _profile_for(ild_order.get(ild_id, 2))
                joint_share, (lead_start, lead_end), _, reflect_rate, growth = PROFILES[profile]
                # Progress runs across both years, so a principal keeps taking over after the summer.
                progress = ((day - years[0].start_date).days) / (total_days * len(years))
                future = day > today
                visit_status = Visit.Status.PLANNED if future else Visit.Status.DONE
                if not future and rng.random() < 0.05:
                    visit_status = Visit.Status.CANCELLED
                joint = rng.random() < joint_share
                lead = round(lead_start + (lead_end - lead_start) * progress) if joint else LeadRole.ILD_MODELLED
                observed_rank = min(4, start_rank + (1 if growth and progress > 0.6 else 0))
                done = visit_status == Visit.Status.DONE
                reflection = rng.choice(REFLECTIONS) if done and rng.random() < reflect_rate else ""
                visits.append(
                    Visit(
                        school=school,
                        ild_id=ild_id,
                        date=day,
                        start_time=datetime.time(8 + school.pk % 4, 30),
                        duration_minutes=90,
                        status=visit_status,
                        principal_present=joint,
                        classrooms_visited=rng.randint(2, 5) if done else 0,
                        grades_subjects=rng.choice(["Gr 3–5 math", "K–2 literacy", "Gr 6 science", "Gr 7–8 ELA"]),
                        lead_role=lead if done else None,
                        observed_level=levels[(practice.pk, observed_rank)] if done and joint else None,
                        what_we_saw=rng.choice(SAW) if done else "",
                        private_note=(
                            "Principal seemed stretched thin this week; check in about the AP vacancy."
                            if done and rng.random() < 0.2
                            else ""
                        ),
                        principal_reflection=reflection,
                        reflection_at=(
                            datetime.datetime.combine(
                                day + datetime.timedelta(days=2), datetime.time(16), tzinfo=datetime.UTC
                            )
                            if reflection
                            else None
                        ),
                        principal_notified_at=None,
                    )
                )
                chosen: set[str] = set()
                if done:
                    pool = PROFILES[profile][2]
                    chosen = set(rng.sample(pool, k=min(len(pool), rng.randint(1, 3))))
                    if profile == "high_impact" and progress > 0.5:
                        chosen.discard("modelling")
                        chosen.add("pressing")
                    if "brokering" in chosen:
                        visits[-1].brokered_resource = "District math coach for two co-planning sessions"
                visit_meta.append((goal, chosen, progress))
                day += datetime.timedelta(days=rng.choice(visit_every))
        created_visits = bulk_insert(visits)

        moves: list[VisitMove] = []
        steps: list[NextStep] = []
        focus = []
        through = Visit.focus_goals.through
        for visit, (goal, chosen, _progress) in zip(created_visits, visit_meta, strict=True):
            focus.append(through(visit_id=visit.pk, growthgoal_id=goal.pk))
            if visit.status != Visit.Status.DONE:
                continue
            moves += [VisitMove(visit_id=visit.pk, move=TeachingMove(m)) for m in chosen]
            age = (today - visit.date).days
            steps.append(
                NextStep(
                    visit_id=visit.pk,
                    owner=NextStep.Owner.PRINCIPAL,
                    description=rng.choice(STEPS_PRINCIPAL),
                    due_date=visit.date + datetime.timedelta(days=10),
                    done=age > 25 or (age > 10 and rng.random() < 0.5),
                )
            )
            steps.append(
                NextStep(
                    visit_id=visit.pk,
                    owner=NextStep.Owner.ILD,
                    description=rng.choice(STEPS_ILD),
                    due_date=visit.date + datetime.timedelta(days=7),
                    done=age > 14,
                )
            )
        bulk_insert(moves)
        bulk_insert(steps)
        bulk_insert(focus)


def reset_coaching_demo() -> None:
    with transaction.atomic():
        NextStep.objects.all().delete()
        VisitMove.objects.all().delete()
        Visit.objects.all().delete()
        GrowthGoal.objects.all().delete()
        for model in (NextStep, Visit, GrowthGoal):
            model.history.all().delete()
        PracticeLevel.objects.all().delete()
        LeadershipPractice.objects.all().delete()
