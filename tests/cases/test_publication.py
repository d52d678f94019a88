"""Publication only with consent and after verification (docs/regulations.md §4, ADR 0043): every channel
asks or defaults to private, nothing is listed before verification, a moderator's public version keeps the
original (both in the audit chain), and officials and third parties are masked like the citizen."""

from __future__ import annotations

import pytest

from balai.audit.models import AuditRecord
from balai.audit.services import verify_chain
from balai.cases.commands import CaseCommand
from balai.cases.errors import PermissionDeniedError
from balai.cases.selectors import publicly_listable_cases
from balai.cases.services import case_edit_public_version, case_submit, case_transition
from balai.cases.submission import Submission
from balai.cases.visibility import case_view, mask_named_people, redact_public
from balai.opendata.datasets import public_case_rows
from tests.channels.conftest import build_place

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_place()


def _complaint(world, **kw):
    fields = dict(kind="complaint", channel="web", title="Petugas Pak Budi Santoso minta uang",
                  description="Di loket, Bu Sri Wahyuni dan petugas Andi Pratama meminta Rp50.000. Saya Siti.",
                  complaint_category=world.roads, contact_name="Siti Aminah", contact_phone="081234567890",
                  confidentiality="public")
    fields.update(kw)
    return case_submit(Submission(**fields))


def test_nothing_is_listed_before_verification_on_any_public_face(world, client):
    case = _complaint(world)
    assert not publicly_listable_cases().filter(pk=case.pk).exists()
    assert case.title not in client.get("/laporan/").content.decode()
    assert client.get(f"/laporan/{case.pk}/").status_code == 404
    assert not [r for r in public_case_rows() if r["id"] == case.pk]
    case_transition(case, CaseCommand(action="verify", actor=world.staff["verifier"]))
    assert publicly_listable_cases().filter(pk=case.pk).exists()
    assert [r for r in public_case_rows() if r["id"] == case.pk]


def test_public_text_masks_officials_third_parties_and_the_citizen(world, client):
    case = _complaint(world)
    officer = world.staff["operator"]
    officer.full_name = "Andi Pratama"
    officer.save()
    case = case_transition(case, CaseCommand(action="verify", actor=world.staff["verifier"]))
    case = case_transition(case, CaseCommand(action="start", actor=officer))
    case_transition(case, CaseCommand(action="answer", actor=officer,
                                      body="Sudah kami tegur. Hubungi Pak Joko di 0812-5555-1234. Salam, Andi Pratama"))
    view = case_view(case=case, viewer=None)
    public = " ".join([view.title or "", view.description or "", view.public_answer or ""])
    for name in ("Budi", "Santoso", "Sri", "Wahyuni", "Andi", "Pratama", "Joko", "Siti", "0812-5555-1234"):
        assert name not in public, name
    assert "Rp50.000" in public and "minta uang" in public
    html = client.get(f"/laporan/{case.pk}/").content.decode()
    assert "Budi" not in html and "Wahyuni" not in html and "Andi" not in html
    row = next(r for r in public_case_rows() if r["id"] == case.pk)
    assert "Budi" not in row["title"] and "Wahyuni" not in row["description"]
    # Staff still read the original.
    assert "Pak Budi Santoso" in case_view(case=case, viewer=world.staff["verifier"]).title


def test_open_data_rows_mask_the_officials_like_the_public_page(world, client):
    """ADR 0043: "the open data rows use the same masking" - also an official named without a title before
    the name ("petugas Andi Pratama"), whom only the case's own events tell apart from any other word."""
    import csv
    import io

    case = _complaint(world)
    other = _complaint(world, description="Petugas Andi Pratama tidak ada di sini.")  # no Andi acted on it
    officer = world.staff["operator"]
    officer.full_name = "Andi Pratama"
    officer.save()
    case = case_transition(case, CaseCommand(action="verify", actor=world.staff["verifier"]))
    case_transition(case, CaseCommand(action="start", actor=officer))
    case_transition(other, CaseCommand(action="verify", actor=world.staff["verifier"]))
    assert "Andi" not in (case_view(case=case, viewer=None).description or "")
    rows = {int(r["id"]): r for r in csv.DictReader(io.StringIO(
        b"".join(client.get("/data/kasus-publik.csv").streaming_content).decode()))}
    assert "Andi" not in rows[case.pk]["description"] and "Pratama" not in rows[case.pk]["description"]
    assert "Rp50.000" in rows[case.pk]["description"]
    assert "Andi Pratama" in rows[other.pk]["description"]  # the masking is per case, as on the page
    listing = client.get("/laporan/").content.decode()  # the list's excerpts: the same rule
    assert "Di loket" in listing and "Pratama" in listing  # the other case's text keeps the name
    assert listing.count("Pratama") == 1


@pytest.mark.parametrize(("text", "masked"), [
    ("Pak Budi tidak datang", True), ("oknum Sdr. Andi meminta uang", True), ("Kades Slamet menolak", True),
    ("lubang di Jl. Ibu Kartini", False), ("jalan rusak di km 5", False), ("Pak RT sudah tahu", False),
])
def test_names_after_a_title_are_masked(text, masked):
    assert (mask_named_people(text) != text) is masked


def test_moderator_edits_the_public_version_original_kept_both_audited(world, client):
    case = _complaint(world)
    case = case_transition(case, CaseCommand(action="verify", actor=world.staff["verifier"]))
    case_edit_public_version(case=case, actor=world.staff["verifier"], title="Dugaan pungutan di loket",
                             description="Warga melaporkan permintaan uang di loket pelayanan.")
    case.refresh_from_db()
    assert case.title == "Petugas Pak Budi Santoso minta uang"  # the original is kept
    assert case_view(case=case, viewer=None).title == "Dugaan pungutan di loket"
    html = client.get("/laporan/").content.decode()
    assert "Dugaan pungutan di loket" in html and "minta uang" not in html
    assert next(r for r in public_case_rows() if r["id"] == case.pk)["title"] == "Dugaan pungutan di loket"
    record = AuditRecord.objects.get(action="case.moderate")
    assert record.data["original"]["title"] == "Petugas Pak Budi Santoso minta uang"
    assert record.data["public"]["title"] == "Dugaan pungutan di loket"
    assert verify_chain().ok
    assert case.events.filter(action="moderate", is_public=False).exists()


def test_only_who_may_verify_edits_the_public_version(world):
    case = _complaint(world)
    from tests.factories import StaffFactory

    with pytest.raises(PermissionDeniedError):
        case_edit_public_version(case=case, actor=StaffFactory(), title="x", description="")


def test_redact_public_keeps_street_names_and_amounts(world):
    case = _complaint(world)
    assert redact_public("Jalan rusak di Jl. Ibu Kartini, biaya Rp50.000", case=case) == \
        "Jalan rusak di Jl. Ibu Kartini, biaya Rp50.000"


def test_email_and_open311_default_to_private(world):
    from balai.api.open311.services import submit_request

    result = submit_request(client=None, target=world.roads, data={"description": "lubang", "address_string": "x"},
                            lang="id")
    assert result.case.confidentiality == "confidential"
    asked = submit_request(client=None, target=world.roads, lang="id",
                           data={"description": "lubang", "address_string": "x", "publish": "true"})
    assert asked.case.confidentiality == "public"


def test_open311_takes_accommodation_needs(world):
    from balai.api.open311.services import submit_request

    result = submit_request(client=None, target=world.roads, lang="id",
                            data={"description": "lubang", "address_string": "x",
                                  "accommodations": "sign_language, wheelchair"})
    assert result.case.accommodations == ["sign_language", "wheelchair"] and result.case.has_accommodations
