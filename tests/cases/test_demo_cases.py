"""The demo step replays cases through the engine and is idempotent."""

from __future__ import annotations

import pytest

from balai.cases.models import Case, Event


@pytest.mark.django_db
def test_demo_cases_cover_every_kind_and_run_once(monkeypatch, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from balai.ops import demo
    from balai.ops.demo import cases as demo_cases

    demo.run_steps(log=lambda _m: None, only=["regions", "agencies", "catalog", "people"])
    monkeypatch.setattr(demo_cases, "TOTAL", 60)
    demo_cases.load(log=lambda _m: None)
    made = Case.objects.filter(extra__demo=True)
    assert made.count() >= 50
    assert set(made.values_list("kind", flat=True)) == {
        "service_request", "complaint", "aspiration", "information_request", "ict_request"}
    assert made.filter(is_open=False).exists() and made.filter(is_open=True).exists()
    assert Event.objects.filter(case__in=made).exclude(kind="submitted").exists()
    # The public list stays meaningful: verified public complaints and aspirations, and not every case.
    from balai.cases.selectors import publicly_listable_cases

    listed = publicly_listable_cases().filter(extra__demo=True)
    assert listed.exists() and listed.count() < made.filter(kind__in=("complaint", "aspiration")).count()
    # Each documented demo account has fresh work it can act on (ADR 0040: every role carries a case).
    from balai.cases.services import available_actions
    from balai.ops.demo.cases import STARTER_WORK
    from balai.ops.demo.people import email_for
    from balai.people.models import User

    for role, kind, *_rest in STARTER_WORK:
        case = made.get(extra__starter=role, kind=kind)
        assert case.is_open and case.status == "submitted"
        user = User.objects.get(email=email_for(role))
        assert available_actions(case=case, user=user), (role, kind)
    count, events = made.count(), Event.objects.count()
    demo_cases.load(log=lambda _m: None)
    assert Case.objects.count() == count and Event.objects.count() == events
