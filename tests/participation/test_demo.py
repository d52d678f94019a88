"""The participation demo step: the four stories are there, consistent, and loading twice adds nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from balai.participation import selectors
from balai.participation.models import Ballot, Comment, Forum, Process, Proposal

pytestmark = pytest.mark.django_db


def test_participation_demo(settings):
    settings.DEMO_MODE = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo", "--only", "regions", "agencies", "people", "participation", stdout=StringIO())
    assert set(Process.objects.values_list("kind", flat=True)) == {"consultation", "proposals", "budget",
                                                                 "musrenbang"}
    consultation = Process.objects.get(kind="consultation")
    assert consultation.draft.report_published_at and Comment.objects.filter(state="hidden").count() == 1
    budget = Process.objects.get(kind="budget")
    results = selectors.budget_results(budget)
    assert budget.results_published_at and results.result.ballots == Ballot.objects.count() > 100
    assert set(results.by_channel) == {"web", "sms", "paper"} and results.result.funded
    musrenbang = Process.objects.get(kind="musrenbang")
    assert Forum.objects.filter(process=musrenbang, level="province", closed_at__isnull=False).exists()
    assert Proposal.objects.filter(process=musrenbang, status="in_plan").exists()
    assert Proposal.objects.filter(process=musrenbang, level_state="carried_over").exists()
    assert Proposal.objects.filter(process=musrenbang, status="rejected").exclude(answer="").exists()
    before = (Process.objects.count(), Proposal.objects.count(), Ballot.objects.count())
    call_command("load_demo", "--only", "participation", stdout=StringIO())
    assert (Process.objects.count(), Proposal.objects.count(), Ballot.objects.count()) == before
