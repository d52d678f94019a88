"""survey_submit / quick_rating: only finished cases, once per case, validated, with a rating Event."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from balai.cases.commands import CaseCommand
from balai.cases.models import Event
from balai.cases.services import case_transition
from balai.survey.elements import ELEMENT_KEYS
from balai.survey.ikm import compute_ikm
from balai.survey.models import SurveyResponse
from balai.survey.services import is_rateable, quick_rating, survey_submit


def _complete(world, case):
    case = case_transition(case, CaseCommand(action="verify", actor=world.staff["verifier"]))
    return case_transition(case, CaseCommand(action="complete", actor=world.staff["operator"]))


@pytest.mark.django_db
def test_survey_after_completion(world, submit):
    case = _complete(world, submit())
    assert is_rateable(case)
    response = survey_submit(case=case, scores=dict.fromkeys(ELEMENT_KEYS, 4) | {"biaya": "3"}, channel="web",
                             comment="  Cepat  ")
    assert response.persyaratan == 4 and response.biaya == 3
    assert response.agency == world.agency and response.unit == world.unit and response.service == world.service
    assert response.comment == "Cepat"
    assert not response.is_quick
    event = Event.objects.get(case=case, kind="rating")
    assert event.data["survey_response"] == response.pk
    case.refresh_from_db()
    assert case.status == "completed"  # a rating is not a status change
    assert not is_rateable(case)


@pytest.mark.django_db
def test_not_before_finished(world, submit):
    case = submit()
    with pytest.raises(ValidationError) as exc:
        survey_submit(case=case, scores={"persyaratan": 4}, channel="web")
    assert "case" in exc.value.message_dict
    assert not SurveyResponse.objects.exists()
    assert not Event.objects.filter(kind="rating").exists()


@pytest.mark.django_db
def test_complaint_answered_is_rateable(world, submit):
    case = submit("complaint")
    case = case_transition(case, CaseCommand(action="verify", actor=world.staff["verifier"]))
    case = case_transition(case, CaseCommand(action="answer", actor=world.staff["operator"], body="Sudah diperbaiki"))
    response = quick_rating(case=case, score="3", channel="sms")
    assert response.is_quick and response.quick_score == 3
    assert response.scores == {}


@pytest.mark.django_db
def test_once_per_case(world, submit):
    case = _complete(world, submit())
    quick_rating(case=case, score=4, channel="sms")
    with pytest.raises(ValidationError):
        quick_rating(case=case, score=4, channel="sms")
    with pytest.raises(ValidationError):
        survey_submit(case=case, scores={"persyaratan": 4}, channel="web")
    assert SurveyResponse.objects.filter(case=case).count() == 1
    assert Event.objects.filter(case=case, kind="rating").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("scores", [
    {}, {"persyaratan": 5}, {"persyaratan": 0}, {"persyaratan": "x"}, {"persyaratan": 2.5},
    {"persyaratan": True}, {"unknown": 3}, {"persyaratan": None},
])
def test_bad_scores(world, submit, scores):
    case = _complete(world, submit())
    with pytest.raises(ValidationError) as exc:
        survey_submit(case=case, scores=scores, channel="web")
    assert any(key.startswith("scores") for key in exc.value.message_dict)
    assert not SurveyResponse.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("score", [0, 5, "lima", None, 1.5])
def test_bad_quick_score(world, submit, score):
    case = _complete(world, submit())
    with pytest.raises(ValidationError) as exc:
        quick_rating(case=case, score=score, channel="sms")
    assert "score" in exc.value.message_dict


@pytest.mark.django_db
def test_bad_channel_and_long_comment(world, submit):
    case = _complete(world, submit())
    with pytest.raises(ValidationError) as exc:
        survey_submit(case=case, scores={"persyaratan": 4}, channel="pigeon")
    assert "channel" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        survey_submit(case=case, scores={"persyaratan": 4}, channel="web", comment="x" * 2001)
    assert "comment" in exc.value.message_dict


@pytest.mark.django_db
def test_skipped_elements_and_ikm_from_rows(world, submit):
    first = _complete(world, submit())
    second = _complete(world, submit())
    survey_submit(case=first, scores=dict.fromkeys(ELEMENT_KEYS, 4), channel="web")
    survey_submit(case=second, scores={k: 2 for k in ELEMENT_KEYS if k != "biaya"} | {"biaya": ""},
                  channel="counter")
    result = compute_ikm(SurveyResponse.objects.all())
    assert result.answers["biaya"] == 1 and result.nrr["biaya"] == 4
    assert result.respondents == 2
