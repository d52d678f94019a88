"""Head of unit: workload per officer, due soon, breached, median working days to close, IKM."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from balai.cases.models import Case
from balai.cases.services import case_assign
from balai.office.selectors import head_stats
from tests.office.conftest import force_state, office_login

pytestmark = pytest.mark.django_db


def test_figures(world, submit):
    head, op, ver = world.staff["head"], world.staff["operator"], world.staff["verifier"]
    a, b, c = submit("complaint"), submit("complaint"), submit("complaint")
    case_assign(case=a, actor=head, assignee=op)
    case_assign(case=b, actor=head, assignee=op)
    case_assign(case=c, actor=head, assignee=ver)
    force_state(a, a.status, breached_at=timezone.now())
    soon = force_state(submit("complaint"), "submitted", due_soon=True)
    now = timezone.now()
    for days in (2, 4, 9):
        closed = submit("complaint")
        force_state(closed, "closed", closed_at=now, elapsed_working_days=days)
    submit("information_request")  # PPID unit: not the head's
    stats = head_stats(user=head, now=now)
    assert [(w.name, w.open_cases, w.breached) for w in stats.workload] == [
        (op.full_name, 2, 1), (ver.full_name, 1, 0)]
    assert stats.open_total == 4 and stats.unassigned == 1
    assert stats.breached_count == 1 and [x.pk for x in stats.breached] == [a.pk]
    assert stats.due_soon_count == 1 and [x.pk for x in stats.due_soon] == [soon.pk]
    assert stats.closed_this_month == 3 and stats.median_days_this_month == Decimal("4.0")
    assert stats.ikm_available and stats.ikm is None  # no survey answers yet


def test_ikm_from_survey_answers(world, submit):
    from balai.survey.services import survey_submit

    case = force_state(submit("complaint"), "closed", closed_at=timezone.now())
    survey_submit(case=case, channel="web", scores={k: 4 for k in (
        "persyaratan", "prosedur", "waktu", "biaya", "produk", "kompetensi", "perilaku", "sarana", "pengaduan")})
    stats = head_stats(user=world.staff["head"])
    assert stats.ikm is not None and stats.ikm.respondents == 1
    assert stats.ikm.converted == Decimal("100.00")


def test_page(client, world, submit):
    case = force_state(submit("complaint"), "submitted", due_soon=True)
    office_login(client, world.staff["head"])
    response = client.get(reverse("office:head"))
    assert response.status_code == 200
    html = response.content.decode()
    assert case.tracking_code in html and world.unit.name_id in html
    assert Case.objects.count() == 1
