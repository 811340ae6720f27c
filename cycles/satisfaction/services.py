"""Writes for satisfaction: survey answers, ratings of delivered requests, imported results."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cycles.satisfaction import respondents
from cycles.satisfaction.models import Answer, RequestRating, Submission, Survey, SurveyItem
from cycles.satisfaction.summaries import summarize_survey
from district.csvimport import ImportFailed, ImportResult, read_csv, require_columns
from district.models import School, Term, Unit, User
from district.roles import roles_for
from notices.models import Notice
from notices.services import notice_record, notices_send


@transaction.atomic
def survey_save(
    *,
    survey: Survey,
    unit: Unit,
    principal: User,
    scores: Mapping[int, int | None],
    comment: str = "",
    submit: bool = False,
    today: datetime.date | None = None,
) -> Submission:
    """Save a principal's answers about one unit: a draft as they go, then submitted once.

    Each school answers once per unit per survey, and the answers belong to the principal
    who gave them. A draft left by a previous principal is never shown to their successor:
    the successor's first save starts the school's answers afresh. Once the school's
    answers are submitted (by this principal, a predecessor or an import) they are final.

    Raises ValidationError when the window is closed, the unit is not in the survey, a
    score is out of range, the school's answers were already submitted (code
    ``already_submitted``), or (on submit) a question is unanswered. Nothing is written then.
    """
    school = roles_for(principal).principal_school
    if school is None:
        raise ValidationError("Only a school's principal answers the survey.")
    if not survey.is_open(today):
        raise ValidationError(f"The survey window closed on {survey.closes_on:%B %-d}; answers can no longer change.")
    if not survey.covered_units().filter(pk=unit.pk).exists():
        raise ValidationError(f"{unit} is not part of this survey.")
    items = {item.pk: item for item in SurveyItem.objects.filter(active=True)}
    bad = [pk for pk, score in scores.items() if pk not in items or (score is not None and not 1 <= score <= 5)]
    if bad:
        raise ValidationError("Scores run from 1 to 5.")
    submission, _ = Submission.objects.select_for_update().get_or_create(
        survey=survey, unit=unit, school=school, defaults={"respondent": principal}
    )
    if submission.status == Submission.Status.SUBMITTED:
        if submission.respondent_id == principal.pk:
            message = f"You already submitted your answers about {unit}; they cannot change now."
        else:
            message = f"Your school's answers about {unit} were already given this term; each school answers once."
        raise ValidationError(message, code="already_submitted")
    if submission.respondent_id != principal.pk:
        # A predecessor's unfinished draft is theirs, not the school's: start afresh.
        submission.answers.all().delete()
        submission.respondent = principal
    existing = {a.item_id: a for a in submission.answers.all()}
    for item_id, score in scores.items():
        answer = existing.get(item_id) or Answer(submission=submission, item_id=item_id)
        answer.score = score
        answer.save()
    comment_item = next((i for i in items.values() if i.kind == SurveyItem.Kind.COMMENT), None)
    if comment_item is not None:
        answer = existing.get(comment_item.pk) or Answer(submission=submission, item=comment_item)
        answer.comment = comment.strip()
        answer.save()
    if submit:
        answered = {a.item_id for a in submission.answers.all() if a.score is not None}
        missing = [i.short_label for i in items.values() if i.kind == SurveyItem.Kind.SCORE and i.pk not in answered]
        if missing:
            raise ValidationError(f"Answer every question before submitting: {', '.join(missing)}.")
        submission.status = Submission.Status.SUBMITTED
        submission.submitted_at = timezone.now()
    submission.respondent = principal
    submission.save()
    return submission


@dataclass(frozen=True)
class SurveyOutcome:
    """What one "Submit my answers" did, unit by unit."""

    submitted: list[Unit]
    skipped: list[Unit]
    already: dict[int, str]
    problems: dict[int, str]


def survey_submit_all(
    *,
    survey: Survey,
    principal: User,
    answers: Mapping[int, tuple[Mapping[int, int | None], str]],
    today: datetime.date | None = None,
) -> SurveyOutcome:
    """Submit the principal's answers about every unit they gave any answer for, at once.

    ``answers`` maps a unit's pk to its scores and comment, for the units the page showed as
    still open. A unit left blank is skipped (the principal may come back to it while the
    survey is open); each other unit is submitted on its own (``survey_save``), so one unit
    with a question unanswered does not hold back the rest: its reason is in ``problems``,
    and a unit submitted meanwhile (in another tab) is in ``already``.
    """
    outcome = SurveyOutcome(submitted=[], skipped=[], already={}, problems={})
    school = roles_for(principal).principal_school
    submitted = {
        row.unit_id: row.respondent_id
        for row in Submission.objects.submitted().filter(survey=survey, school=school, unit_id__in=list(answers))
    }
    units = survey.covered_units().filter(pk__in=list(answers)).order_by("name")
    for unit in units:
        scores, comment = answers[unit.pk]
        if all(score is None for score in scores.values()) and not comment.strip():
            if unit.pk in submitted:  # answered meanwhile, e.g. in another tab
                outcome.already[unit.pk] = (
                    f"You already submitted your answers about {unit}; they cannot change now."
                    if submitted[unit.pk] == principal.pk
                    else f"Your school's answers about {unit} were already given this term; each school answers once."
                )
            else:
                outcome.skipped.append(unit)
            continue
        try:
            survey_save(
                survey=survey,
                unit=unit,
                principal=principal,
                scores=scores,
                comment=comment,
                submit=True,
                today=today,
            )
        except ValidationError as exc:
            target = outcome.already if getattr(exc, "code", None) == "already_submitted" else outcome.problems
            target[unit.pk] = " ".join(exc.messages)
        else:
            outcome.submitted.append(unit)
    return outcome


def send_survey_reminders(*, survey: Survey, today: datetime.date | None = None) -> int:
    """Remind each principal who has not answered about every unit; returns how many were reminded.

    A principal hears about the survey at most once a day: each reminder is a notice for that
    day (see ``notices``), so running this twice in a day records and sends nothing the second
    time. The reminders are recorded together and handed to the worker in batches.
    """
    day = today or timezone.localdate()
    url = f"{settings.SITE_URL}{reverse('cycles:survey')}"
    made: list[Notice] = []
    with transaction.atomic():
        for principal in respondents.principals_without_answers(survey=survey):
            made += notice_record(
                kind=Notice.Kind.SURVEY_REMINDER,
                recipients=[principal.email],
                about=survey,
                window=day.isoformat(),
                subject=f"{survey.title}: closes {survey.closes_on:%B %-d}",
                template="cycles/satisfaction/email/survey_reminder.txt",
                context={"principal": principal, "survey": survey, "url": url},
            )
        notices_send(made)
    return len(made)


@transaction.atomic
def rating_submit(
    *, request: Any, principal: User, quality: int, responsiveness: int, comment: str = ""
) -> RequestRating:
    """One rating per delivered request, by its school's principal; never asked again."""
    from service_menu.models import Request

    if request.status not in {Request.Status.DELIVERED, Request.Status.CLOSED}:
        raise ValidationError("Rate a service once it has been delivered.")
    if roles_for(principal).principal_school_id != request.school_id:
        raise ValidationError("Only the school's principal rates its services.")
    if RequestRating.objects.filter(request=request).exists():
        raise ValidationError("This request has already been rated.")
    rating = RequestRating(
        request=request, respondent=principal, quality=quality, responsiveness=responsiveness, comment=comment.strip()
    )
    rating.full_clean()
    rating.save()
    return rating


# --- Import ---------------------------------------------------------------------------

RESULT_COLUMNS = ("school_code", "unit", "term", "item", "score")


def _term_key(text: str) -> str:
    return re.sub(r"[\s\u2013\u2014-]+", " ", text.strip().lower())


def import_survey_results(*, data: bytes) -> ImportResult:
    """Import survey results collected elsewhere: all or nothing, idempotent.

    Columns: school_code, unit, term, item, score, and an optional comment. Each row is one
    school's score for one unit on one item in one term.
    """
    result = ImportResult(kind="survey results")
    header, rows = read_csv(data, result)
    require_columns(header, RESULT_COLUMNS, result)
    if not rows:
        result.errors.append(_error(0, "", "the file has a header row but no data rows"))
        raise ImportFailed(result)
    schools = {s.code.lower(): s for s in School.objects.all()}
    units = {u.name.lower(): u for u in Unit.objects.all()}
    terms = {_term_key(f"{t.name} {t.school_year.name}"): t for t in Term.objects.select_related("school_year")}
    items = {i.code: i for i in SurveyItem.objects.all()}
    answered_here = set(
        Submission.objects.filter(source=Submission.Source.SURVEY).values_list(
            "school_id", "unit_id", "survey__term_id"
        )
    )
    seen: dict[tuple[int, int, int, int], int] = {}
    planned: list[tuple[School, Unit, Term, SurveyItem, int | None, str]] = []
    for line, row in rows:
        before = len(result.errors)
        school = schools.get(row.get("school_code", "").lower())
        if school is None:
            result.errors.append(_error(line, "school_code", f"unknown school “{row.get('school_code', '')}”"))
        unit = units.get(row.get("unit", "").lower())
        if unit is None:
            result.errors.append(_error(line, "unit", f"unknown unit “{row.get('unit', '')}”"))
        term = terms.get(_term_key(row.get("term", "")))
        if term is None:
            result.errors.append(
                _error(line, "term", f"term “{row.get('term', '')}” not found; write it like “Fall 2025–26”")
            )
        item = items.get(row.get("item", "").strip().lower())
        if item is None:
            result.errors.append(_error(line, "item", f"unknown item “{row.get('item', '')}” ({', '.join(items)})"))
        raw = row.get("score", "")
        score: int | None = None
        if item is not None and item.kind == SurveyItem.Kind.SCORE:
            if not raw.isdigit() or not 1 <= int(raw) <= 5:
                result.errors.append(_error(line, "score", f"“{raw}” is not a score from 1 to 5"))
            else:
                score = int(raw)
        if len(result.errors) > before or school is None or unit is None or term is None or item is None:
            continue
        if (school.pk, unit.pk, term.pk) in answered_here:
            result.errors.append(
                _error(
                    line,
                    "school_code",
                    f"{school.code} answered about {unit} in Schoolward that term; "
                    "an import cannot replace a principal's own answers",
                )
            )
            continue
        key = (school.pk, unit.pk, term.pk, item.pk)
        if key in seen:
            result.errors.append(
                _error(line, "item", f"duplicate row: the same school, unit, term and item as line {seen[key]}")
            )
            continue
        seen[key] = line
        planned.append((school, unit, term, item, score, row.get("comment", "")))
    if result.errors:
        raise ImportFailed(result)
    _write_results(planned, result)
    result.rows = len(planned)
    return result


def _error(line: int, column: str, message: str) -> Any:
    from district.csvimport import RowError

    return RowError(line, column, message)


@transaction.atomic
def _write_results(planned: list[tuple[School, Unit, Term, SurveyItem, int | None, str]], result: ImportResult) -> None:
    terms = {term.pk: term for _, _, term, _, _, _ in planned}
    surveys = {s.term_id: s for s in Survey.objects.filter(term_id__in=terms)}
    for term_id, term in terms.items():
        if term_id not in surveys:
            surveys[term_id] = Survey.objects.create(
                term=term, title=f"{term} survey (imported)", opens_on=term.start_date, closes_on=term.end_date
            )
    submissions = {
        (s.survey_id, s.unit_id, s.school_id): s for s in Submission.objects.filter(survey__in=surveys.values())
    }
    new_submissions = []
    for school, unit, term, _, _, _ in planned:
        key = (surveys[term.pk].pk, unit.pk, school.pk)
        if key not in submissions:
            submission = Submission(
                survey=surveys[term.pk], unit=unit, school=school, status=Submission.Status.SUBMITTED,
                source=Submission.Source.IMPORTED, submitted_at=timezone.now(),
            )  # fmt: skip
            submissions[key] = submission
            new_submissions.append(submission)
    Submission.objects.bulk_create(new_submissions, batch_size=2000)
    answers = {
        (a.submission_id, a.item_id): a for a in Answer.objects.filter(submission__in=list(submissions.values()))
    }
    to_create, to_update = [], []
    for school, unit, term, item, score, comment in planned:
        submission = submissions[(surveys[term.pk].pk, unit.pk, school.pk)]
        existing = answers.get((submission.pk, item.pk))
        comment = comment.strip()
        if existing is None:
            to_create.append(Answer(submission=submission, item=item, score=score, comment=comment))
        elif existing.score != score or existing.comment != comment:
            existing.score, existing.comment = score, comment
            to_update.append(existing)
        else:
            result.unchanged += 1
    Answer.objects.bulk_create(to_create, batch_size=5000)
    if to_update:
        Answer.objects.bulk_update(to_update, ["score", "comment"], batch_size=500)
    result.created = len(to_create)
    result.updated = len(to_update)
    # The results of a closed window are counted again now, as they changed.
    for survey in surveys.values():
        if survey.is_closed():
            summarize_survey(survey=survey)
