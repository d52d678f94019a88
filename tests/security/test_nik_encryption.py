"""A NIK typed into a form field of type "nik" is never stored in plain text (ADR 0019).

Wherever it lands: the case's answers, a queued submission's payload, a portal draft in the session
table. Whoever may see the citizen's identity reads it decrypted; an anonymous case's NIK nobody.
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys

import pytest
from django.test import override_settings

from balai.cases.models import Case, QueuedSubmission
from balai.cases.submission import Submission
from balai.cases.visibility import SYSTEM, case_view
from balai.people.nik import nik_digest
from tests.security.data_world import NIK, NIK_TYPED, data_world_fixture, raw_rows, submit_with_nik  # noqa: F401

pytestmark = pytest.mark.django_db


def test_case_answers_hold_the_nik_sealed_with_its_lookup_digest(data_world):
    case = submit_with_nik(data_world)
    assert NIK not in raw_rows("cases_case") and NIK_TYPED not in raw_rows("cases_case")
    from balai.people.nik import is_sealed_nik

    stored = Case.objects.get(pk=case.pk).answers["nomor_induk"]
    assert is_sealed_nik(stored) and stored["nik_digest"] == nik_digest(NIK)
    assert Case.objects.filter(answers__nomor_induk__nik_digest=nik_digest(NIK)).get() == case
    assert Case.objects.get(pk=case.pk).answers["keperluan"] == "Melamar kerja"  # other answers as they were


def test_staff_who_may_see_the_case_read_the_nik_others_do_not(data_world):
    case = submit_with_nik(data_world)
    assert case_view(case=case, viewer=data_world.operator).answers["nomor_induk"] == NIK
    assert case_view(case=case, viewer=data_world.inspector).answers["nomor_induk"] == NIK
    assert case_view(case=case, viewer=data_world.citizen, as_citizen=True).answers["nomor_induk"] == NIK
    assert case_view(case=case, viewer=SYSTEM).answers["nomor_induk"] == NIK
    for viewer in (None, data_world.outsider):
        view = case_view(case=case, viewer=viewer)
        assert view.answers is None or "nomor_induk" not in view.answers


def test_the_nik_of_an_anonymous_case_is_shown_to_nobody_but_the_citizen(data_world):
    case = submit_with_nik(data_world, confidentiality="anonymous")
    assert NIK not in raw_rows("cases_case")
    for viewer in (data_world.operator, data_world.inspector, SYSTEM):
        answers = case_view(case=case, viewer=viewer).answers
        assert "nomor_induk" not in answers and answers["keperluan"] == "Melamar kerja"
    assert case_view(case=case, viewer=None, as_citizen=True).answers["nomor_induk"] == NIK


def test_a_sixteen_digit_answer_to_a_form_less_complaint_is_sealed_too(data_world):
    from balai.cases.services import case_submit

    case = case_submit(Submission(kind="complaint", channel="api", title="Pungli", complaint_category=data_world.category,
                       answers={"nomor": NIK, "jumlah": "3"}, contact_phone="081234567890"))
    assert NIK not in raw_rows("cases_case")
    assert case_view(case=case, viewer=data_world.operator).answers == {"nomor": NIK, "jumlah": "3"}


def test_the_office_case_page_shows_the_nik_to_the_responsible_officer(client, data_world):
    from tests.office.conftest import office_login

    case = submit_with_nik(data_world)
    office_login(client, data_world.operator)
    html = client.get(f"/kantor/berkas/{case.tracking_code}/").content.decode()
    assert NIK in html and "nik_encrypted" not in html


def test_queued_submission_payload_holds_the_nik_sealed(data_world):
    from balai.cases.intake import queue_submission, register_queued
    from balai.people.services import client_application_create

    app, _key = client_application_create(name="Sistem antrean", scopes=("cases:submit",))
    row, _prepared = queue_submission(Submission(client=app, kind="service_request", channel="api", title="Surat keterangan", service=data_world.service,
        answers={"nomor_induk": NIK_TYPED}, contact_phone="081234567890"))
    assert NIK not in raw_rows("cases_queuedsubmission")
    assert NIK_TYPED not in raw_rows("cases_queuedsubmission")
    from balai.people.nik import is_sealed_nik

    assert is_sealed_nik(QueuedSubmission.objects.get(pk=row.pk).payload["answers"]["nomor_induk"])

    assert register_queued() == {"registered": 1, "failed": 0}
    case = QueuedSubmission.objects.get(pk=row.pk).case
    assert NIK not in raw_rows("cases_case")
    assert case_view(case=case, viewer=data_world.operator).answers["nomor_induk"] == NIK


def test_portal_draft_in_the_session_table_holds_the_nik_sealed(client, data_world):
    base = f"/layanan/{data_world.service.code}/ajukan/"
    response = client.post(base, {"nomor_induk": NIK_TYPED, "keperluan": "Melamar kerja"})
    assert response.status_code == 302
    sessions = _sessions()
    assert "nik_encrypted" in sessions and NIK not in sessions and NIK_TYPED not in sessions
    # What was typed comes back on the page, and the check page shows it to the citizen.
    assert NIK_TYPED in client.get(base).content.decode()
    client.post(base + "kontak/", {"contact_name": "Siti", "contact_phone": "0812 3456 7890",
                                   "contact_channel": "sms", "language": "id"})
    client.post(base + "kebutuhan/", {})
    assert NIK in client.get(base + "periksa/").content.decode()
    response = client.post(base + "periksa/")
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get()
    assert NIK not in raw_rows("cases_case")
    assert case_view(case=case, viewer=data_world.operator).answers["nomor_induk"] == NIK


def test_a_wrong_nik_in_the_draft_keeps_what_was_typed_and_is_sealed(client, data_world):
    base = f"/layanan/{data_world.service.code}/ajukan/"
    response = client.post(base, {"nomor_induk": "6472015508900000", "keperluan": ""})
    assert response.status_code == 400 and 'value="6472015508900000"' in response.content.decode()
    assert "6472015508900000" not in _sessions()
    assert 'value="6472015508900000"' in client.get(base).content.decode()  # nothing typed is lost


def _sessions() -> str:
    """Every stored session, decoded (the signed payload is only base64)."""
    from django.contrib.sessions.models import Session

    return raw_rows("django_session") + "\n".join(str(s.get_decoded()) for s in Session.objects.all())


def test_api_staff_view_shows_the_nik_and_the_public_status_does_not(data_world):
    from rest_framework.test import APIClient

    from balai.api.auth import staff_token_create

    case = submit_with_nik(data_world)
    _token, key = staff_token_create(user=data_world.operator, name="uji")
    api = APIClient()
    staff = api.get(f"/api/v1/staff/cases/{case.tracking_code}/", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert staff.status_code == 200 and NIK in staff.content.decode()
    public = api.get(f"/api/v1/cases/{case.tracking_code}/")
    assert NIK not in public.content.decode() and "nik_" not in public.content.decode()


def test_open_data_never_contains_the_nik_or_its_digest(client, data_world):
    from balai.cases.models import Confidentiality
    from balai.opendata.datasets import DATASETS

    submit_with_nik(data_world, confidentiality=Confidentiality.PUBLIC)
    digest = nik_digest(NIK)
    for slug in DATASETS:
        for fmt in ("csv", "json"):
            response = client.get(f"/data/{slug}.{fmt}")
            body = b"".join(response.streaming_content) if response.streaming else response.content
            assert response.status_code == 200
            assert NIK.encode() not in body and digest.encode() not in body and b"nik_encrypted" not in body


def test_unreadable_nik_shows_a_marker_instead_of_an_error(data_world):
    case = submit_with_nik(data_world)
    with override_settings(FIELD_ENCRYPTION_KEY="a-completely-different-key-0123456789abcdef"):
        assert case_view(case=case, viewer=data_world.operator).answers["nomor_induk"] == "[NIK disembunyikan]"


def test_migration_seals_plain_niks_written_before(data_world):
    case = submit_with_nik(data_world)
    Case.objects.filter(pk=case.pk).update(answers={"nomor_induk": NIK, "keperluan": "x"})
    QueuedSubmission.objects.create(token="lama", payload={"service": data_world.service.pk,
                                                           "answers": {"nomor_induk": NIK_TYPED}})
    assert NIK in raw_rows("cases_case")
    migration = importlib.import_module("balai.cases.migrations.0009_seal_nik_answers")
    from django.apps import apps

    migration.seal_plain_niks(apps, None)
    assert NIK not in raw_rows("cases_case") and NIK_TYPED not in raw_rows("cases_queuedsubmission")
    assert case_view(case=Case.objects.get(pk=case.pk), viewer=data_world.operator).answers["nomor_induk"] == NIK
    migration.seal_plain_niks(apps, None)  # running again changes nothing readable
    assert case_view(case=Case.objects.get(pk=case.pk), viewer=data_world.operator).answers["nomor_induk"] == NIK


def test_sealing_is_fresh_each_time_and_has_no_digits():
    from balai.people.nik import seal_nik

    first, second = seal_nik(NIK), seal_nik(NIK)
    assert first["nik_encrypted"] != second["nik_encrypted"] and first["nik_digest"] == second["nik_digest"]
    assert NIK not in str(first)


def _start_production(tmp_path, **env: str) -> subprocess.CompletedProcess:
    """`django.setup()` in production with a clean environment (nothing inherited from a developer's .env)."""
    base = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "DJANGO_SETTINGS_MODULE": "balai.settings",
            "BALAI_VAR_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "BALAI_ENV": "production", "BALAI_DEMO": "", "DEBUG": "", "SECRET_KEY": "s" * 50,
            "BALAI_TRUSTED_PROXIES": "none", "BALAI_SMS_GATEWAY": "", "BALAI_WHATSAPP_GATEWAY": "",
            "BALAI_EMAIL_INBOUND": "", "FIELD_ENCRYPTION_KEY": "e" * 40, "FIELD_ENCRYPTION_OLD_KEYS": "",
            "FIELD_DIGEST_KEY": "d" * 40}
    return subprocess.run([sys.executable, "-c", "import django; django.setup()"], env={**base, **env},
                          capture_output=True, text=True, check=False, timeout=120)


def test_production_starts_with_field_keys_of_its_own(tmp_path):
    result = _start_production(tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]


@pytest.mark.parametrize("missing", ["FIELD_ENCRYPTION_KEY", "FIELD_DIGEST_KEY"])
def test_production_refuses_to_start_without_its_own_field_keys(missing, tmp_path):
    for value in ("", "short", "s" * 50):  # unset, too short, or the SECRET_KEY itself (no fall-back)
        result = _start_production(tmp_path, **{missing: value})
        assert result.returncode != 0 and missing in result.stderr, (value, result.stderr[-2000:])


def test_production_refuses_a_digest_key_equal_to_an_encryption_key(tmp_path):
    result = _start_production(tmp_path, FIELD_DIGEST_KEY="e" * 40)
    assert result.returncode != 0 and "FIELD_DIGEST_KEY must differ" in result.stderr
    result = _start_production(tmp_path, FIELD_DIGEST_KEY="o" * 40, FIELD_ENCRYPTION_OLD_KEYS="o" * 40)
    assert result.returncode != 0 and "FIELD_DIGEST_KEY must differ" in result.stderr
