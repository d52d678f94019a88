"""The audit chain names no citizen: `actor_label` holds `user:<id>` or a keyed contact reference, never
a citizen's name, phone number or e-mail address, so a deletion request can be honoured without touching
a record that can never be edited."""

from __future__ import annotations

import pytest

from balai.audit.models import AuditRecord
from balai.audit.services import audit_record, verify_chain
from balai.cases.commands import CaseCommand
from balai.cases.submission import Submission
from tests.security.data_world import data_world_fixture, submit_with_nik  # noqa: F401

pytestmark = pytest.mark.django_db

CITIZEN_TRACES = ("Siti", "Rahmawati", "81234567890", "0812-3456-7890", "3456", "siti@contoh.id", "contoh.id")


def _chain_text() -> str:
    return "\n".join(f"{r.actor_label} {r.data}" for r in AuditRecord.objects.order_by("id"))


def _labels() -> list[str]:
    return list(AuditRecord.objects.order_by("id").values_list("actor_label", flat=True))


def test_a_signed_in_citizens_acts_are_recorded_under_a_pseudonym(data_world):
    from balai.cases.services import case_link_account, case_transition
    from balai.people.data_requests import data_request_create

    citizen = data_world.citizen
    case = submit_with_nik(data_world, citizen=citizen, contact_email="siti@contoh.id")
    case_transition(case, CaseCommand(action="request_info", actor=data_world.operator, body="Lengkapi KTP"))
    case.refresh_from_db()
    case_transition(case, CaseCommand(action="citizen_reply", actor=citizen, body="Sudah saya lengkapi"))
    other = submit_with_nik(data_world)
    case_link_account(case=other, user=citizen)
    data_request_create(user=citizen, kind="access", channel="web")

    labels = _labels()
    assert labels.count(f"user:{citizen.pk}") >= 4  # submit, reply, link, data request
    text = _chain_text()
    assert not [t for t in CITIZEN_TRACES if t in text], text
    assert verify_chain().ok


def test_every_user_is_a_reference_whatever_label_the_caller_passes():
    from balai.audit.services import actor_reference
    from balai.people.services import actor_reference as privilege_reference
    from tests.factories import StaffFactory, UserFactory

    officer = StaffFactory(full_name="Petugas Loket")
    citizen = UserFactory(full_name="Siti Rahmawati", email="siti@contoh.id", phone="+6281234567890")
    for user in (officer, citizen):
        assert actor_reference(user) == f"user:{user.pk}" == privilege_reference(user)
    # an explicit label cannot smuggle the citizen's name in beside the actor
    record = audit_record(action="case.note", actor=citizen, actor_label="Siti Rahmawati")
    assert record.actor_label == f"user:{citizen.pk}"


def test_a_contact_without_an_account_is_a_keyed_reference():
    from balai.audit.services import contact_reference

    record = audit_record(action="channel.reply", actor_label="+62 812-3456-7890")
    assert record.actor_label.startswith("phone:") and "3456" not in record.actor_label
    assert record.actor_label == contact_reference("phone", "6281234567890")
    mail = audit_record(action="channel.reply", actor_label="from siti@contoh.id")
    assert "siti" not in mail.actor_label and mail.actor_label == "from " + contact_reference("email", "siti@contoh.id")
    assert audit_record(action="x", actor_label="citizen:sms").actor_label == "citizen:sms"
    assert audit_record(action="x", actor_label="system").actor_label == "system"
    assert verify_chain().ok


def test_attachment_access_by_the_citizen_names_no_one(data_world, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from balai.cases.attachments import open_attachment
    from balai.cases.services import case_submit

    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    pdf = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>"
           b"endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
    case = case_submit(Submission(kind="complaint", channel="web", title="Pungli", complaint_category=data_world.category,
                       citizen=data_world.citizen, contact_phone="081234567890",
                       files=[SimpleUploadedFile("bukti.pdf", pdf, content_type="application/pdf")]))
    open_attachment(attachment=case.attachments.get(), viewer=data_world.citizen, as_citizen=True).close()
    record = AuditRecord.objects.get(action="attachment.access")
    assert record.actor_label == f"user:{data_world.citizen.pk}"
    assert not [t for t in CITIZEN_TRACES if t in _chain_text()]


def test_deleting_the_citizen_leaves_no_personal_data_in_the_chain(data_world):
    citizen = data_world.citizen
    submit_with_nik(data_world, citizen=citizen)
    before = _chain_text()
    citizen_pk = citizen.pk
    from balai.people.models import User

    User.objects.filter(pk=citizen_pk).update(full_name="", email=None, phone=None)  # what erasure leaves
    assert _chain_text() == before and f"user:{citizen_pk}" in before
    assert not [t for t in CITIZEN_TRACES if t in before]
    assert verify_chain().ok
