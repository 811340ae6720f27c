"""The app's models, gathered so Django finds them: both halves share the `cycles` label.

Surveys, answers and their summaries live in `cycles.satisfaction.models`; cycles of inquiry,
plan actions and check-ins in `cycles.inquiry.models`. Import from those modules.
"""

from cycles.inquiry.models import CheckIn, CycleOfInquiry, PlanAction
from cycles.satisfaction.models import (
    Answer,
    RequestRating,
    RespondentCount,
    ResultSummary,
    Submission,
    SummarizedSurvey,
    Survey,
    SurveyItem,
)

__all__ = [
    "Answer",
    "CheckIn",
    "CycleOfInquiry",
    "PlanAction",
    "RequestRating",
    "RespondentCount",
    "ResultSummary",
    "Submission",
    "SummarizedSurvey",
    "Survey",
    "SurveyItem",
]
