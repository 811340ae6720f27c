"""Satisfaction: principals rate the units that serve them (surveys, ratings and imports).

Individual answers are only ever shown to the principal who gave them; everything else
reads aggregates that `cycles.satisfaction.aggregates` suppresses below the anonymity threshold.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from district.models import Cluster, School, Term, Unit, User

if TYPE_CHECKING:
    from django_stubs_ext.db.models.manager import RelatedManager

SCORE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class SurveyItemQuerySet(models.QuerySet["SurveyItem"]):
    def scored(self) -> SurveyItemQuerySet:
        return self.filter(kind=SurveyItem.Kind.SCORE, active=True)


class SurveyItem(models.Model):
    """One question of the item bank all units share, so results compare across units."""

    class Kind(models.TextChoices):
        SCORE = "score", "Score from 1 to 5"
        COMMENT = "comment", "Open comment"

    code = models.SlugField(max_length=40, unique=True, help_text="Used in imported files, e.g. quality.")
    text = models.CharField(max_length=255)
    short_label = models.CharField(max_length=40)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SCORE)
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    objects = SurveyItemQuerySet.as_manager()

    class Meta:
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.short_label


class SurveyQuerySet(models.QuerySet["Survey"]):
    def open_on(self, day: datetime.date) -> SurveyQuerySet:
        return self.filter(opens_on__lte=day, closes_on__gte=day)

    def closed_by(self, day: datetime.date) -> SurveyQuerySet:
        return self.filter(closes_on__lt=day)


class Survey(models.Model):
    """A term's survey window, for all units or chosen ones."""

    term = models.OneToOneField(Term, on_delete=models.PROTECT, related_name="survey")
    title = models.CharField(max_length=150)
    opens_on = models.DateField()
    closes_on = models.DateField()
    units = models.ManyToManyField(Unit, blank=True, help_text="Leave empty to cover every unit.")

    objects = SurveyQuerySet.as_manager()

    class Meta:
        ordering = ["-term__start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="survey_closes_after_it_opens",
                violation_error_message="A survey window must close on or after the day it opens.",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.opens_on and self.closes_on:
            overlapping = Survey.objects.exclude(pk=self.pk).filter(
                opens_on__lte=self.closes_on, closes_on__gte=self.opens_on
            )
            if overlapping.exists():
                raise ValidationError(
                    f"This window overlaps “{overlapping.first()}”; principals answer one survey at a time."
                )

    def is_open(self, day: datetime.date | None = None) -> bool:
        today = day or timezone.localdate()
        return self.opens_on <= today <= self.closes_on

    def is_closed(self, day: datetime.date | None = None) -> bool:
        return (day or timezone.localdate()) > self.closes_on

    def covered_units(self) -> models.QuerySet[Unit]:
        chosen = self.units.all()
        return chosen if chosen.exists() else Unit.objects.all()


class SubmissionQuerySet(models.QuerySet["Submission"]):
    def submitted(self) -> SubmissionQuerySet:
        return self.filter(status=Submission.Status.SUBMITTED)


class Submission(models.Model):
    """One principal's answers about one unit in one survey (or one imported row set)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"

    class Source(models.TextChoices):
        SURVEY = "survey", "Answered in Schoolward"
        IMPORTED = "imported", "Imported"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="submissions")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="survey_submissions")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="survey_submissions")
    respondent = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.SURVEY)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SubmissionQuerySet.as_manager()

    if TYPE_CHECKING:
        answers: RelatedManager[Answer]

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "unit", "school"], name="one_submission_per_school_unit_survey")
        ]

    def __str__(self) -> str:
        return f"Submission #{self.pk}"


class Answer(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(SurveyItem, on_delete=models.PROTECT, related_name="answers")
    score = models.PositiveSmallIntegerField(null=True, blank=True, validators=SCORE_VALIDATORS)
    comment = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["submission", "item"], name="one_answer_per_item"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5),
                name="answer_score_between_1_and_5",
                violation_error_message="Scores run from 1 to 5.",
            ),
        ]

    def __str__(self) -> str:
        return f"Answer #{self.pk}"


class RequestRating(models.Model):
    """A short rating of one delivered request, asked once, never again if the request reopens."""

    request = models.OneToOneField("service_menu.Request", on_delete=models.CASCADE, related_name="rating")
    respondent = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    quality = models.PositiveSmallIntegerField(validators=SCORE_VALIDATORS)
    responsiveness = models.PositiveSmallIntegerField(validators=SCORE_VALIDATORS)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(quality__gte=1, quality__lte=5, responsiveness__gte=1, responsiveness__lte=5),
                name="rating_scores_between_1_and_5",
            )
        ]

    def __str__(self) -> str:
        return f"Rating #{self.pk}"


class ResultSummary(models.Model):
    """A closed survey's scores about one unit on one item, over one population, counted once.

    The population is every school that answered, one cluster's schools or one level's. Each
    row holds how many answered (``n``), the sum of their scores and how many gave each score
    from 1 to 5: never who. `cycles.satisfaction.summaries` builds them when a window has closed (and again
    when an import lands); `cycles.satisfaction.aggregates` reads them and applies the anonymity rules.
    """

    class Population(models.TextChoices):
        ALL = "all", "Every school"
        CLUSTER = "cluster", "A cluster's schools"
        LEVEL = "level", "A school level"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="result_summaries")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(SurveyItem, on_delete=models.CASCADE, related_name="+")
    population = models.CharField(max_length=8, choices=Population.choices)
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    level = models.CharField(max_length=12, blank=True)
    n = models.PositiveIntegerField()
    total = models.PositiveIntegerField()
    count_1 = models.PositiveIntegerField(default=0)
    count_2 = models.PositiveIntegerField(default=0)
    count_3 = models.PositiveIntegerField(default=0)
    count_4 = models.PositiveIntegerField(default=0)
    count_5 = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "unit", "item"], condition=Q(population="all"), name="one_summary_per_item"
            ),
            models.UniqueConstraint(
                fields=["survey", "unit", "item", "cluster"],
                condition=Q(population="cluster"),
                name="one_summary_per_item_cluster",
            ),
            models.UniqueConstraint(
                fields=["survey", "unit", "item", "level"],
                condition=Q(population="level"),
                name="one_summary_per_item_level",
            ),
        ]
        indexes = [models.Index(fields=["unit", "population"], name="summary_unit_population")]

    def __str__(self) -> str:
        return f"Summary #{self.pk}"

    @property
    def favourable(self) -> int:
        return self.count_4 + self.count_5


class SummarizedSurvey(models.Model):
    """A survey whose results are summarized, for the window that closed on ``closes_on``.

    A window moved later (reopened) no longer matches, so its results are summarized again
    once it closes.
    """

    survey = models.OneToOneField(Survey, on_delete=models.CASCADE, related_name="summarized")
    closes_on = models.DateField()
    built_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Results of {self.survey_id} summarized"


class RespondentCount(models.Model):
    """How many schools submitted answers about a unit in a closed survey: counted with its
    results (`cycles.satisfaction.summaries`), so the response rates of past surveys are read,
    not counted again from every submission of every year."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="respondent_counts")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    n = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "unit"], name="one_respondent_count_per_unit")]

    def __str__(self) -> str:
        return f"{self.n} respondents about unit {self.unit_id} in survey {self.survey_id}"
