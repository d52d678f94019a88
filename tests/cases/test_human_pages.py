"""What the PPID and staff read is human: labels, values, actors, message texts."""

from __future__ import annotations

import pytest

from balai.cases.kind_fields import OBJECTION_GROUNDS, objection_grounds
from balai.cases.visibility import human_actor
from balai.notify.models import Message
from tests.office.conftest import office_login

pytestmark = pytest.mark.django_db

INFO_ANSWERS = {"purpose": "Penelitian skripsi", "format": "softcopy", "accessible_formats": ["braille"],
                "delivery": "email"}


def test_information_request_case_page_shows_labels_and_values_not_keys(client, world, submit):
    case = submit("information_request", answers=INFO_ANSWERS, contact_email="siti@contoh.id",
                  contact_channel="email")
    office_login(client, world.staff["ppid"])
    page = client.get(f"/kantor/berkas/{case.tracking_code}/").content.decode()
    for label in ("Tujuan penggunaan informasi", "Bentuk informasi", "Format yang mudah diakses",
                  "Cara menerima informasi", "Salinan elektronik (softcopy)", "Braille", "Melalui e-mail"):
        assert label in page, label
    for raw in ("accessible_formats", "<code>delivery</code>", "Tidak ada lagi di formulir", ">softcopy<"):
        assert raw not in page, raw
    assert "citizen:web" not in page and "Warga (web)" in page
    english = client.get(f"/en/kantor/berkas/{case.tracking_code}/").content.decode()
    assert "Purpose of the request" in english and "Electronic copy (softcopy)" in english


def test_actor_labels_are_human():
    assert human_actor("citizen:web") == "Warga (web)"
    assert human_actor("citizen:sms") == "Warga (SMS)"
    assert human_actor("citizen:counter") == "Warga (di loket)"
    assert human_actor("system") == "Balai (otomatis)"
    assert human_actor("Andi Pratama") == "Andi Pratama"


def test_kip_messages_speak_of_an_information_request(world, submit):
    case = submit("information_request", answers=INFO_ANSWERS, contact_email="siti@contoh.id",
                  contact_channel="email")
    received = Message.objects.get(case=case, event="received")
    assert "Permohonan informasi" in received.subject and "Laporan" not in received.body
    assert "Layanan:" not in received.body  # no empty service line
    from balai.cases.commands import CaseCommand
    from balai.cases.services import case_transition

    case_transition(case, CaseCommand(action="start", actor=world.staff["ppid"]))
    started = Message.objects.get(case=case, event="verified")
    assert "diverifikasi" not in started.subject + started.body and "Laporan" not in started.body
    assert "PPID" in started.body


def test_objection_grounds_are_the_seven_of_article_35():
    assert [key for key, _label in OBJECTION_GROUNDS] == list("abcdefg")
    assert objection_grounds("en")[5] == ("f", "f. The fees charged are unreasonable")
