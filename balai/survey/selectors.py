"""Reads of the satisfaction survey."""

from __future__ import annotations

from datetime import datetime

from balai.agencies.models import Unit
from balai.cases.models import Case
from balai.cases.staff_figures import closed_cases_of_units
from balai.survey.ikm import IkmResult, compute_ikm
from balai.survey.models import SurveyResponse


def is_rated(case: Case) -> bool:
    """True when the citizen already rated `case` (a case is rated once)."""
    return SurveyResponse.objects.filter(case_id=case.pk).exists()


def unit_ikm(*, units: list[Unit], since: datetime) -> IkmResult | None:
    """The satisfaction index (IKM, Permenpan-RB 14/2017) of the full surveys of `units` since `since`, or
    None without an answer. The population is the cases those units closed in the period."""
    responses = list(SurveyResponse.objects.filter(unit__in=units, submitted_at__gte=since, is_quick=False))
    if not responses:
        return None
    return compute_ikm(responses, population=closed_cases_of_units(units=units, since=since) or None)
