"""The survey and transparency demo steps: ratings for finished demo cases, then a roll-up rebuild."""

from __future__ import annotations

import pytest

from balai.cases.commands import CaseCommand
from balai.cases.services import case_transition
from balai.survey.models import SurveyResponse
from balai.transparency.models import RollupCell


@pytest.mark.django_db
def test_demo_steps(world, submit):
    from balai.ops.demo import survey as survey_step
    from balai.ops.demo import transparency as transparency_step

    world.service.channels = [*world.service.channels, "sms"]  # requests by SMS too (catalog.offered_on)
    world.service.save()
    for i in range(12):
        case = submit(channel="sms" if i % 3 == 0 else "web", extra={"demo": True})
        case = case_transition(case, CaseCommand(action="verify", actor=world.staff["verifier"]))
        case_transition(case, CaseCommand(action="complete", actor=world.staff["operator"]))
    submit(extra={"demo": True})  # open: never rated
    lines: list[str] = []
    survey_step.load(log=lines.append)
    rated = SurveyResponse.objects.count()
    assert 0 < rated <= 12
    assert not SurveyResponse.objects.filter(case__status="submitted").exists()
    assert all(r.is_quick for r in SurveyResponse.objects.filter(channel="sms"))
    survey_step.load(log=lines.append)  # idempotent: rated cases are skipped
    assert SurveyResponse.objects.count() >= rated
    assert SurveyResponse.objects.values("case").distinct().count() == SurveyResponse.objects.count()
    transparency_step.load(log=lines.append)
    assert RollupCell.objects.filter(scope="government", split="").exists()
    assert any("roll-up cells" in line for line in lines)
