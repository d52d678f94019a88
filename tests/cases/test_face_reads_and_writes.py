"""The case reads and writes the faces call instead of querying (ADR 0030): a citizen's cases, linking a
case to an account, the latest event of a kind, a case's file, a page of the public list, the citizen's
documents and the upload pre-check."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from balai.audit.models import AuditRecord
from balai.cases.attachments import check_upload, store_citizen_documents
from balai.cases.models import Case, Event
from balai.cases.selectors import (
    case_attachment,
    cases_of_citizen,
    cases_without_account,
    latest_event,
    publicly_listed_page,
)
from balai.cases.services import case_link_account
from tests.cases.conftest import force_state
from tests.factories import UserFactory

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def uploads_in_tmp(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "uploads"), "base_url": None}}}


def test_cases_of_citizen_newest_first_or_oldest_first(world, submit):
    first = submit(citizen=world.citizen)
    second = submit(citizen=world.citizen)
    Case.objects.filter(pk=first.pk).update(submitted_at=timezone.now() - timedelta(days=2))
    submit()  # somebody else's
    assert cases_of_citizen(world.citizen) == [second, first]
    assert cases_of_citizen(world.citizen, newest_first=False) == [first, second]
    assert cases_of_citizen(world.citizen, limit=1) == [second]
    assert cases_of_citizen(UserFactory()) == []


def test_link_a_case_once_with_an_audit_record(world, submit):
    case = submit()
    owned = submit(citizen=world.citizen)
    assert cases_without_account([case.pk, owned.pk]) == [case]
    assert case_link_account(case=case, user=world.citizen) is True
    assert Case.objects.get(pk=case.pk).citizen == world.citizen
    entry = AuditRecord.objects.filter(action="case.link_account").get()
    assert entry.data == {"tracking_code": case.tracking_code}
    # A case that already has an account is never taken over, and nothing more is audited.
    assert case_link_account(case=case, user=UserFactory()) is False
    assert Case.objects.get(pk=case.pk).citizen == world.citizen
    assert AuditRecord.objects.filter(action="case.link_account").count() == 1
    assert cases_without_account([case.pk]) == []


def test_latest_event_by_action_visibility_and_text(world, submit):
    case = submit()
    now = timezone.now()

    def event(action: str, *, minutes: int, public: bool = True, body: str = "") -> Event:
        return Event.objects.create(case=case, kind="transition", action=action, is_public=public, body=body,
                                    at=now + timedelta(minutes=minutes))

    event("request_info", minutes=1, body="Kirim KTP")
    later = event("request_info", minutes=2, body="Kirim KK")
    event("request_info", minutes=3, public=False, body="catatan internal")
    empty = event("answer", minutes=4)
    answer = event("resolve", minutes=3, body="Sudah diperbaiki")
    assert latest_event(case, actions=("request_info",), public_only=True) == later
    assert latest_event(case, actions=("request_info",)).body == "catatan internal"
    assert latest_event(case, actions=("answer", "resolve"), public_only=True) == empty
    assert latest_event(case, actions=("answer", "resolve"), public_only=True, with_body=True) == answer
    assert latest_event(case, actions=("submit",)).action == "submit"
    assert latest_event(case, actions=("close",)) is None


def test_case_attachment_only_of_that_case(world, submit):
    case, other = submit(), submit()
    stored = store_citizen_documents(case=case, uploads=[SimpleUploadedFile("surat.pdf", PDF)], citizen=None)
    assert case_attachment(case, stored[0].pk) == stored[0]
    assert case_attachment(other, stored[0].pk) is None


def test_citizen_documents_are_public_and_all_or_nothing(world, submit):
    case = submit(citizen=world.citizen)
    stored = store_citizen_documents(case=case, uploads=[SimpleUploadedFile("a.pdf", PDF),
                                                         SimpleUploadedFile("b.pdf", PDF)], citizen=world.citizen)
    assert [a.is_public for a in stored] == [True, True]
    assert {a.uploaded_by_id for a in stored} == {world.citizen.pk}
    with pytest.raises(ValidationError):
        store_citizen_documents(case=case, uploads=[SimpleUploadedFile("c.pdf", PDF),
                                                    SimpleUploadedFile("virus.exe", b"MZ\x90\x00" * 64)],
                                citizen=world.citizen)
    assert case.attachments.count() == 2  # the good file of the refused batch was not kept


def test_check_upload_refuses_what_store_upload_refuses(settings):
    settings.UPLOAD_MAX_BYTES = 1000
    data, name = check_upload(SimpleUploadedFile("../Surat Saya.pdf", PDF))
    assert data == PDF and name.endswith(".pdf") and "/" not in name
    for upload, code in ((SimpleUploadedFile("kosong.pdf", b""), "file_empty"),
                         (SimpleUploadedFile("besar.pdf", PDF + b"0" * 1000), "file_too_large")):
        with pytest.raises(ValidationError) as excinfo:
            check_upload(upload)
        assert excinfo.value.code == code


def test_publicly_listed_page_reads_one_extra_row_and_caps_the_count(world, submit):
    listed = []
    for i in range(5):
        case = submit("complaint", title=f"Laporan {i}", confidentiality="public")
        listed.append(force_state(case, "verified", verified_at=timezone.now()))
    submit("complaint", confidentiality="public")  # not verified: never listed
    force_state(submit("complaint", confidentiality="confidential"), "verified", verified_at=timezone.now())
    page = publicly_listed_page(offset=0, limit=2, count_cap=3)
    assert len(page.cases) == 2 and page.has_more and page.counted == 4  # capped: 3 + 1
    last = publicly_listed_page(offset=4, limit=2, count_cap=10)
    assert len(last.cases) == 1 and not last.has_more and last.counted == 5
    narrowed = publicly_listed_page(offset=0, limit=10, count_cap=10, statuses=("answered",))
    assert narrowed.cases == [] and narrowed.counted == 0
    assert publicly_listed_page(offset=0, limit=10, count_cap=10, agency=world.agency).counted == 5
