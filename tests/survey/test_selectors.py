"""survey selectors: whether a case was rated."""

from __future__ import annotations

import pytest

from balai.survey.elements import ELEMENT_KEYS
from balai.survey.selectors import is_rated
from balai.survey.services import is_rateable, survey_submit
from tests.cases.conftest import force_state


@pytest.mark.django_db
def test_is_rated_once_a_survey_is_stored(world, submit):
    case = force_state(submit(), "completed")
    assert not is_rated(case) and is_rateable(case)
    survey_submit(case=case, scores=dict.fromkeys(ELEMENT_KEYS, 4), channel="web")
    assert is_rated(case) and not is_rateable(case)
    assert not is_rated(submit())
