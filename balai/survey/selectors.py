"""Reads of the satisfaction survey."""

from __future__ import annotations

from balai.cases.models import Case
from balai.survey.models import SurveyResponse


def is_rated(case: Case) -> bool:
    """True when the citizen already rated `case` (a case is rated once)."""
    return SurveyResponse.objects.filter(case_id=case.pk).exists()
