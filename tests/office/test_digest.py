"""The daily digest e-mail to staff: who gets which cases, when, once a day, and what it may say."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from balai.notify.models import Message
from balai.office.digest import (
    assigned_cases,
    digest_for,
    digest_text,
    inspectorate_cases,
    unit_cases,
)
from balai.office.models import DigestRun
from balai.office.services import send_digests, set_digest_preference
from tests.factories import MembershipFactory, StaffFactory, UnitFactory
from tests.office.conftest import force_state, office_login, wita

pytestmark = pytest.mark.django_db

MONDAY = wita(2025, 3, 10, 7, 30)  # a working day in Kalimantan Timur
SATURDAY = wita(2025, 3, 15, 9, 0)
IDUL_FITRI = wita(2025, 3, 31, 9, 0)  # national holiday, a Monday


def _late(case, *, level=0, assignee=None, **fields):
    """Breached on Wednesday 5 March 2025 at close of office: 3 working days late on Monday 10 March."""
    missed = wita(2025, 3, 5, 16, 0)
    return force_state(case, "in_progress", clock_state="running", due_at=missed, breached_at=missed,
                       escalation_level=level, assignee=assignee, **fields)


def _soon(case, **fields):
    return force_state(case, "in_progress", clock_state="running", due_at=wita(2025, 3, 10, 16, 0),
                       due_soon=True, **fields)


def _on_time(case):
    return force_state(case, "in_progress", clock_state="running", due_at=wita(2025, 3, 20, 16, 0))


def _digests():
    return Message.objects.filter(event="staff_digest")


@pytest.fixture
def cases(world, submit):
    op = world.staff["operator"]
    return {
        "mine": _late(submit("complaint"), level=1, assignee=op),
        "soon": _soon(submit("complaint")),
        "inspectorate": _late(submit("complaint"), level=2),
        "on_time": _on_time(submit("complaint")),
        "ict": _late(submit("ict_request"), level=1),  # Diskominfo's ICT desk, not the Dinkes unit
    }


def _pks(qs):
    return set(qs.values_list("pk", flat=True))


def test_who_gets_which_cases(world, cases):
    other_head = StaffFactory()
    MembershipFactory(user=other_head, unit=UnitFactory(agency=world.outsider.memberships.get().unit.agency),
                      role="head")
    now = MONDAY
    assert _pks(assigned_cases(user=world.staff["operator"], now=now)) == {cases["mine"].pk}
    assert _pks(unit_cases(user=world.staff["head"], now=now)) == {
        cases["mine"].pk, cases["soon"].pk, cases["inspectorate"].pk}
    assert _pks(unit_cases(user=world.staff["ict_head"], now=now)) == {cases["ict"].pk}
    assert _pks(inspectorate_cases(user=world.staff["inspector"])) == {cases["inspectorate"].pk}
    # Another agency's head, an officer with nothing assigned, a head of another unit: nothing.
    for user in (other_head, world.staff["verifier"], world.staff["ppid_head"], world.outsider):
        assert digest_for(user=user, now=now).count == 0
    head = digest_for(user=world.staff["head"], now=now)
    assert [(s.name, [c.pk for c in s.cases]) for s in head.sections] == [
        ("unit", [cases["mine"].pk, cases["inspectorate"].pk, cases["soon"].pk])]


def test_a_case_is_listed_once_per_person(world, submit):
    head = world.staff["head"]
    case = _late(submit("complaint"), level=2, assignee=head)
    MembershipFactory(user=head, unit=world.inspectorate.units.get(), role="inspector")
    digest = digest_for(user=head, now=MONDAY)
    assert [(s.name, s.total) for s in digest.sections] == [("assigned", 1)]
    assert digest.sections[0].cases == [case]


def test_text_says_how_late_with_the_workspace_link(world, cases):
    head = world.staff["head"]
    text = digest_text(digest_for(user=head, now=MONDAY), language="id", now=MONDAY)
    code = cases["mine"].tracking_code
    assert f"{settings.SITE_URL}/kantor/berkas/{code}/" in text
    assert "Terlambat 3 hari kerja" in text and "diteruskan ke kepala unit" in text
    assert "Jatuh tempo hari ini pukul 16:00" in text
    assert cases["on_time"].tracking_code not in text
    english = digest_text(digest_for(user=head, now=MONDAY), language="en", now=MONDAY)
    assert "Late by 3 working days" in english and f"/en/kantor/berkas/{code}/" in english


def test_no_digest_on_a_saturday_a_holiday_or_before_seven(world, cases):
    assert send_digests(now=SATURDAY) == 0
    assert send_digests(now=IDUL_FITRI) == 0
    assert send_digests(now=wita(2025, 3, 10, 6, 59)) == 0
    assert not _digests().exists() and not DigestRun.objects.exists()
    assert send_digests(now=wita(2025, 3, 10, 7, 0)) > 0


def test_sent_once_a_day_however_often_the_job_runs(world, cases):
    sent = send_digests(now=MONDAY)
    # operator (own case), head, ICT head, inspector; nobody else has anything to hear about
    assert sent == 4 and _digests().count() == 4
    for minutes in (5, 10, 15):
        assert send_digests(now=wita(2025, 3, 10, 7, 30 + minutes)) == 0
    assert send_digests(now=wita(2025, 3, 10, 15, 0)) == 0
    assert _digests().count() == 4
    # one key per person and day, also for the Dinkes PPID head, who had nothing to hear about
    assert DigestRun.objects.filter(day="2025-03-10").count() == 5
    assert DigestRun.objects.filter(day="2025-03-10", message__isnull=True).count() == 1
    assert send_digests(now=wita(2025, 3, 11, 7, 5)) == 4  # the next working day: again


def test_a_run_already_recorded_by_another_worker_is_not_sent_again(world, cases):
    from balai.office.services import send_digest

    head = world.staff["head"]
    assert send_digest(user=head, day=MONDAY.date(), now=MONDAY).message_id
    assert send_digest(user=head, day=MONDAY.date(), now=MONDAY) is None
    assert _digests().filter(recipient=head.email).count() == 1


def test_nothing_to_report_means_no_email(world, submit):
    _on_time(submit("complaint"))
    assert send_digests(now=MONDAY) == 0
    assert not _digests().exists()


def test_lands_in_the_outbox_in_the_staff_members_language(world, cases):
    head, inspector = world.staff["head"], world.staff["inspector"]
    head.preferred_language = "en"
    head.save(update_fields=["preferred_language"])
    send_digests(now=MONDAY)
    mail = _digests().get(recipient=head.email)
    assert (mail.channel, mail.language, mail.subject_id) == ("email", "en", None)  # about no case
    assert mail.subject == "Balai 10-03-2025: 3 cases late or nearly due"
    assert "Your unit: late, escalated or due soon (3)" in mail.body
    assert "/en/kantor/akun/ringkasan/" in mail.body  # where to turn it off
    mail_id = _digests().get(recipient=inspector.email)
    assert mail_id.language == "id" and mail_id.subject.startswith("Balai 10-03-2025: 1 berkas")
    assert "Diteruskan ke inspektorat (1)" in mail_id.body
    assert cases["inspectorate"].tracking_code in mail_id.body
    assert DigestRun.objects.get(user=head).message == mail


def test_anonymous_citizen_is_never_named(world, submit):
    case = _late(submit("complaint", confidentiality="anonymous", contact_name="Siti Rahmawati",
                        contact_phone="0812-3456-7890",
                        title="Saya Siti Rahmawati (0812-3456-7890) dipungut biaya"), level=1)
    send_digests(now=MONDAY)
    body = _digests().get(recipient=world.staff["head"].email).body
    assert case.tracking_code in body and "dipungut biaya" in body
    for secret in ("Siti", "Rahmawati", "0812", "3456-7890"):
        assert secret not in body


def test_confidential_case_shows_code_and_status_only(world, submit):
    case = _late(submit("complaint", confidentiality="confidential", title="Dugaan pungli di loket"), level=1)
    send_digests(now=MONDAY)
    body = _digests().get(recipient=world.staff["head"].email).body
    assert case.tracking_code in body and "(rahasia)" in body and "Sedang diproses" in body
    assert "pungli" not in body


def test_staff_can_turn_it_off(client, world, cases):
    head = world.staff["head"]
    office_login(client, head)
    url = reverse("office:digest_settings")
    assert 'checked' in client.get(url).content.decode()
    response = client.post(url, {})
    assert response.status_code == 302
    assert 'checked' not in client.get(url).content.decode()
    set_digest_preference(user=world.staff["inspector"], daily_digest=False)
    send_digests(now=MONDAY)
    assert set(_digests().values_list("recipient", flat=True)) == {
        world.staff["operator"].email, world.staff["ict_head"].email}
    client.post(url, {"daily_digest": "on"})
    assert send_digests(now=wita(2025, 3, 11, 7, 5)) == 3


def test_long_lists_end_with_a_link_to_the_queue(world, submit, monkeypatch):
    from balai.office import digest

    late = [_late(submit("complaint"), level=1) for _ in range(3)]
    monkeypatch.setattr(digest, "MAX_PER_SECTION", 2)
    text = digest_text(digest_for(user=world.staff["head"], now=MONDAY), language="en", now=MONDAY)
    assert late[2].tracking_code not in text
    assert f"... and 1 more: {settings.SITE_URL}/en/kantor/kepala/" in text


def test_the_worker_runs_it():
    assert "balai.office.tasks.send_staff_digests" in settings.BALAI_PERIODIC_TASKS
