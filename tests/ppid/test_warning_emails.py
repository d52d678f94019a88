"""The owners' reminders by e-mail: a periodic item older than six months and an exemption ending within 30
working days are mailed to the owner through the outbox, once per item per period, however often the sweep
runs (docs/regulations.md §11)."""

from __future__ import annotations

from datetime import date

import pytest

from balai.notify.models import Message
from balai.ppid.models import StaffWarning
from balai.ppid.services import item_propose, item_review, item_update, ppid_sweep
from tests.cases.conftest import wita
from tests.ppid.helpers import ITEM, approved_item, privacy_test

pytestmark = pytest.mark.django_db


def _mails(**filters):
    return list(Message.objects.filter(event="ppid_warning", channel="email", **filters).order_by("pk"))


def test_stale_periodic_item_is_mailed_to_its_owner_once_per_period(world):
    officer = world.staff["ppid"]
    officer.preferred_language = "en"
    officer.save()
    item = item_propose(actor=officer, agency=world.agency, values=ITEM, at=wita(2026, 1, 10, 9))
    item_review(actor=None, item=item, approve=True)
    ppid_sweep(now=wita(2026, 7, 9, 9))
    assert _mails() == []  # not yet six months
    ppid_sweep(now=wita(2026, 7, 11, 9))
    ppid_sweep(now=wita(2026, 7, 12, 9))
    ppid_sweep(now=wita(2026, 8, 1, 9))
    mails = _mails()
    assert len(mails) == 1  # idempotent: one per period
    mail = mails[0]
    assert mail.recipient == officer.email and mail.language == "en" and mail.status == "queued"
    assert item.number in mail.subject and "six months" in mail.body
    assert f"/kantor/ppid/item/{item.pk}/" in mail.body and mail.reference == item.number
    assert StaffWarning.objects.get(item=item).emails == 1
    # a new version starts a new period: six months later the owner is reminded again, once
    item.refresh_from_db()
    item_update(actor=officer, item=item, values={"document_url": "https://example.org/lk-2.pdf"},
                at=wita(2026, 7, 13, 9))
    item_review(actor=None, item=item, approve=True)
    ppid_sweep(now=wita(2026, 12, 1, 9))
    assert len(_mails()) == 1
    ppid_sweep(now=wita(2027, 1, 14, 9))
    ppid_sweep(now=wita(2027, 1, 15, 9))
    assert len(_mails()) == 2


def test_without_a_reachable_owner_the_agencys_ppid_officers_are_mailed(world):
    approved_item(world.agency, at=wita(2026, 1, 10, 9))  # made by the system: no owner
    ppid_sweep(now=wita(2026, 7, 11, 9))
    mails = _mails()
    assert [m.recipient for m in mails] == [world.staff["ppid"].email]
    assert mails[0].language == "id" and "enam bulan" in mails[0].body
    other = approved_item(world.agency, at=wita(2026, 1, 10, 9), title="Laporan lain")
    other.proposed_by = world.outsider  # no longer a PPID officer of the agency
    other.save()
    ppid_sweep(now=wita(2026, 7, 12, 9))
    assert [m.recipient for m in _mails()][1:] == [world.staff["ppid"].email]
    assert world.outsider.email not in {m.recipient for m in _mails()}


def test_exemption_ending_within_30_working_days_is_mailed_once(world):
    officer = world.staff["ppid"]
    item = approved_item(world.agency, title="Data penerima bantuan", category="dikecualikan")
    test = privacy_test(world.agency, item=item, until=date(2026, 9, 1))
    test.decided_by = officer
    test.decision = "full"
    test.save()
    ppid_sweep(now=wita(2026, 7, 1, 9))
    assert _mails() == []
    for day in (20, 21, 22):
        ppid_sweep(now=wita(2026, 7, day, 9))
    mails = _mails()
    assert len(mails) == 1
    assert mails[0].recipient == officer.email and test.number in mails[0].subject
    assert "30 hari kerja" in mails[0].body and "/kantor/ppid/uji/" in mails[0].body
    # the opening at the end is shown in the office, not mailed again
    ppid_sweep(now=wita(2026, 9, 1, 9))
    assert len(_mails()) == 1
