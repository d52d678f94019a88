"""The SKM survey page (docs/regulations.md §1): nine elements on one page, plain words for each score,
stored through survey_submit; a missing answer gives an error summary and keeps the other answers."""

from __future__ import annotations

import re

import pytest

from balai.survey.elements import ELEMENT_KEYS
from balai.survey.models import SurveyResponse
from tests.portal.flows_b_data import act, build_world, prove, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def finished(world):
    case = submit(world)
    act(world, case, "verify", role="verifier")
    act(world, case, "complete")
    case.refresh_from_db()
    return case


def answers(**overrides) -> dict:
    data = {key: "3" for key in ELEMENT_KEYS}
    data.update(overrides)
    return data


def test_page_has_nine_fieldsets_with_legends_and_plain_words(client, finished):
    prove(client, finished)
    body = client.get(f"/lacak/{finished.tracking_code}/survei/").content.decode()
    assert body.count("<fieldset") == 9 and body.count("<legend>") == 9
    assert "Sangat mahal" in body and "Gratis" in body  # cost from "very expensive" to "free"
    assert body.count('type="radio"') == 36


def test_survey_is_stored_with_scores_by_element_name(client, finished):
    prove(client, finished)
    data = answers(biaya="4", waktu="2", comment="Cepat dan ramah")
    response = client.post(f"/lacak/{finished.tracking_code}/survei/", data)
    assert response.status_code == 302
    stored = SurveyResponse.objects.get(case=finished)
    assert stored.scores["biaya"] == 4 and stored.scores["waktu"] == 2 and stored.scores["persyaratan"] == 3
    assert stored.channel == "web" and stored.comment == "Cepat dan ramah"
    thanks = client.get(response["Location"]).content.decode()
    assert "Terima kasih atas penilaian Anda" in thanks


def test_missing_element_gives_error_summary_and_keeps_answers(client, finished):
    prove(client, finished)
    data = answers(biaya="1", comment="Komentar saya")
    del data["sarana"]
    response = client.post(f"/lacak/{finished.tracking_code}/survei/", data)
    body = response.content.decode()
    assert response.status_code == 400
    assert "error-summary" in body and 'href="#id_sarana_0"' in body
    assert re.search(r'<input[^>]*value="1"[^>]*id="id_biaya_0"[^>]*checked', body)
    assert "Komentar saya" in body
    assert not SurveyResponse.objects.exists()


def test_score_out_of_range_is_refused(client, finished):
    prove(client, finished)
    response = client.post(f"/lacak/{finished.tracking_code}/survei/", answers(waktu="9"))
    assert response.status_code == 400 and not SurveyResponse.objects.exists()


def test_survey_only_once_and_only_when_finished(client, world, finished):
    prove(client, finished)
    client.post(f"/lacak/{finished.tracking_code}/survei/", answers())
    assert client.get(f"/lacak/{finished.tracking_code}/survei/").status_code == 409
    assert SurveyResponse.objects.count() == 1
    open_case = submit(world)
    prove(client, open_case)
    assert client.get(f"/lacak/{open_case.tracking_code}/survei/").status_code == 409


def test_case_page_offers_the_survey_after_completion(client, finished):
    prove(client, finished)
    body = client.get(f"/lacak/{finished.tracking_code}/").content.decode()
    assert f"/lacak/{finished.tracking_code}/survei/" in body
