"""The moderator's page for the public version of a complaint (ADR 0043)."""

from __future__ import annotations

import pytest

from balai.audit.models import AuditRecord

pytestmark = pytest.mark.django_db


def test_verifier_edits_the_public_version_and_sees_the_masked_preview(world, submit, staff_client):
    case = submit("complaint", title="Pak Budi minta uang", description="Di loket, Bu Sri meminta Rp50.000",
                  confidentiality="public")
    client = staff_client(world.staff["verifier"])
    page = client.get(f"/kantor/berkas/{case.tracking_code}/").content.decode()
    assert f"/kantor/berkas/{case.tracking_code}/publik/" in page
    form = client.get(f"/kantor/berkas/{case.tracking_code}/publik/").content.decode()
    assert "Pak Budi minta uang" in form  # the original, for the moderator
    assert "Pak [nama disembunyikan]" in form or "[name hidden]" in form  # the preview masks the name
    response = client.post(f"/kantor/berkas/{case.tracking_code}/publik/",
                           {"title": "Dugaan pungutan di loket", "description": "Permintaan uang di loket."})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.title == "Pak Budi minta uang" and case.extra["public_version"]["title"] == "Dugaan pungutan di loket"
    assert AuditRecord.objects.filter(action="case.moderate").count() == 1


def test_empty_title_is_refused_and_an_operator_may_not_moderate(world, submit, staff_client):
    case = submit("complaint", confidentiality="public")
    verifier = staff_client(world.staff["verifier"])
    assert verifier.post(f"/kantor/berkas/{case.tracking_code}/publik/", {"title": " "}).status_code == 400
    operator = staff_client(world.staff["operator"])
    assert operator.get(f"/kantor/berkas/{case.tracking_code}/publik/").status_code == 403


def test_anonymous_reports_have_no_public_version(world, submit, staff_client):
    case = submit("complaint", confidentiality="anonymous")
    client = staff_client(world.staff["verifier"])
    assert client.get(f"/kantor/berkas/{case.tracking_code}/publik/").status_code == 403
