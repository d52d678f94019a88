"""Visibility: a matrix of viewer × confidentiality × field, and redact_text."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from balai.agencies.models import Region
from balai.audit.models import AuditRecord
from balai.cases.models import Attachment, Case, Event
from balai.cases.visibility import case_view, redact_text, reveal_identity
from tests.factories import (
    AgencyFactory,
    GovernmentFactory,
    MembershipFactory,
    ServiceFactory,
    StaffFactory,
    UnitFactory,
    UserFactory,
)

VIEWERS = [
    "public",
    "anon_user",
    "citizen",
    "responsible",
    "inspector",
    "superuser",
    "other_agency",
    "former_agency",
    "system",
]
CONFIDENTIALITIES = ["public", "confidential", "anonymous"]
FORM = [
    {"name": "nomor_induk", "type": "nik", "label": {"id": "NIK", "en": "NIK"}, "required": True},
    {"name": "no_hp", "type": "phone", "label": {"id": "HP", "en": "Phone"}, "required": True},
    {"name": "lokasi_jalan", "type": "text", "label": {"id": "Jalan", "en": "Street"}, "required": True},
]


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def scene(db):
    gov = GovernmentFactory()
    province = gov.region
    regency = Region.objects.create(code="64.72", name="Kota Samarinda", level="city", parent=province)
    village = Region.objects.create(
        code="64.72.01.1001",
        name="Sungai Pinang Dalam",
        level="urban_village",
        parent=Region.objects.create(
            code="64.72.01", name="Samarinda Ilir", level="district", parent=regency
        ),
    )
    agency = AgencyFactory(government=gov)
    unit = UnitFactory(agency=agency)
    other = AgencyFactory(government=gov)
    former = AgencyFactory(government=gov)
    inspectorate = AgencyFactory(government=gov, kind="inspektorat")
    service = ServiceFactory(agency=agency, unit=unit, form_definition=FORM)
    citizen = UserFactory(full_name="Siti Aminah", email="siti@example.id", phone="+6281255501234")

    def member(agency_, role="operator"):
        user = StaffFactory()
        MembershipFactory(user=user, unit=UnitFactory(agency=agency_), role=role)
        return user

    # an officer of the responsible agency in ANOTHER unit of it still counts (any active membership)
    viewers = {
        "public": None,
        "anon_user": AnonymousUser(),
        "citizen": None,  # with as_citizen=True
        "responsible": member(agency),
        "inspector": member(inspectorate, role="inspector"),
        "superuser": UserFactory(is_superuser=True, is_staff=True),
        "other_agency": member(other),
        "former_agency": member(former),
        "system": "system",
    }
    return {
        "gov": gov,
        "agency": agency,
        "unit": unit,
        "service": service,
        "citizen": citizen,
        "regency": regency,
        "village": village,
        "former": former,
        "viewers": viewers,
    }


def make_case(scene, confidentiality):
    now = timezone.now()
    case = Case.objects.create(
        tracking_code=f"KT-TEST-{confidentiality[:4].upper()}",
        kind="complaint",
        title="Jalan rusak di depan rumah",
        description="Jalan berlubang. Hubungi saya di 0812-5550-1234 atau siti@example.id.",
        answers={"nomor_induk": "6472015505900001", "no_hp": "081255501234", "lokasi_jalan": "Jl. Pahlawan"},
        service=scene["service"],
        citizen=scene["citizen"],
        contact_name="Siti Aminah",
        contact_phone="+6281255501234",
        contact_email="siti@example.id",
        contact_address="Jl. Pahlawan 3",
        region=scene["village"],
        latitude="-0.500000",
        longitude="117.150000",
        location_text="Depan masjid",
        confidentiality=confidentiality,
        government=scene["gov"],
        agency=scene["agency"],
        unit=scene["unit"],
        status="in_progress",
        submitted_at=now,
    )
    Event.objects.create(
        case=case,
        kind="submitted",
        to_status="submitted",
        actor=scene["citizen"],
        actor_label="Siti Aminah",
        is_public=True,
        body="Laporan diterima",
        at=now,
    )
    Event.objects.create(
        case=case,
        kind="forwarding",
        action="dispose",
        is_public=False,
        actor_label="Kepala",
        body="Bukan wewenang kami",
        data={"from_agency_id": scene["former"].pk},
        at=now,
    )
    Event.objects.create(
        case=case,
        kind="note",
        action="note",
        is_public=False,
        body="Catatan internal: cek lokasi",
        actor_label="Petugas A",
        at=now,
    )
    Event.objects.create(
        case=case,
        kind="transition",
        action="answer",
        from_status="in_progress",
        to_status="answered",
        is_public=True,
        actor_label="Petugas A",
        body="Perbaikan dijadwalkan. Info: 0541-736123",
        at=now,
    )
    citizen_file = Attachment.objects.create(
        case=case,
        original_name="foto.jpg",
        storage_name=f"x/{case.pk}a",
        content_type="image/jpeg",
        size=3,
        sha256="0" * 64,
        is_public=True,
        uploaded_by=scene["citizen"],
    )
    staff_file = Attachment.objects.create(
        case=case,
        original_name="memo.pdf",
        storage_name=f"x/{case.pk}b",
        content_type="application/pdf",
        size=3,
        sha256="1" * 64,
        is_public=False,
    )
    return case, citizen_file, staff_file


def view_for(scene, case, who):
    return case_view(case=case, viewer=scene["viewers"][who], as_citizen=(who == "citizen"))


# Expected values: (can_see_content, can_see_identity, can_see_internal) per viewer × confidentiality.
FLAGS = {
    ("public", "public"): (False, False, False),
    ("public", "confidential"): (False, False, False),
    ("public", "anonymous"): (False, False, False),
    ("anon_user", "public"): (False, False, False),
    ("anon_user", "confidential"): (False, False, False),
    ("anon_user", "anonymous"): (False, False, False),
    ("citizen", "public"): (True, True, False),
    ("citizen", "confidential"): (True, True, False),
    ("citizen", "anonymous"): (True, True, False),
    ("responsible", "public"): (True, True, True),
    ("responsible", "confidential"): (True, True, True),
    ("responsible", "anonymous"): (True, False, True),
    ("inspector", "public"): (True, True, True),
    ("inspector", "confidential"): (True, True, True),
    ("inspector", "anonymous"): (True, False, True),
    ("superuser", "public"): (True, True, True),
    ("superuser", "confidential"): (True, True, True),
    ("superuser", "anonymous"): (True, False, True),
    ("other_agency", "public"): (False, False, False),
    ("other_agency", "confidential"): (False, False, False),
    ("other_agency", "anonymous"): (False, False, False),
    ("former_agency", "public"): (True, False, False),
    ("former_agency", "confidential"): (True, False, False),
    ("former_agency", "anonymous"): (True, False, False),
    ("system", "public"): (True, True, True),
    ("system", "confidential"): (True, True, True),
    ("system", "anonymous"): (True, False, True),  # identity only through reveal_identity (audited)
}
PUBLIC_LIKE = {"public", "anon_user", "other_agency"}


@pytest.mark.parametrize("confidentiality", CONFIDENTIALITIES)
@pytest.mark.parametrize("who", VIEWERS)
def test_flags(scene, who, confidentiality):
    case, _c, _s = make_case(scene, confidentiality)
    view = view_for(scene, case, who)
    assert (view.can_see_content, view.can_see_identity, view.can_see_internal) == FLAGS[
        (who, confidentiality)
    ]
    # everyone sees that the case exists, and its status
    assert view.tracking_code == case.tracking_code
    assert view.status == "in_progress"


@pytest.mark.parametrize("confidentiality", CONFIDENTIALITIES)
@pytest.mark.parametrize("who", VIEWERS)
def test_title_and_description(scene, who, confidentiality):
    case, _c, _s = make_case(scene, confidentiality)
    view = view_for(scene, case, who)
    if who in PUBLIC_LIKE:
        if confidentiality == "public":
            assert view.title == "Jalan rusak di depan rumah"
            assert "0812" not in view.description and "siti@example.id" not in view.description
            assert (
                "[phone hidden]" in view.description
                or "[telepon" in view.description.lower()
                or "disembunyikan" in view.description
            )
        else:
            assert view.title is None and view.description is None
    elif who in ("responsible", "inspector", "superuser", "former_agency") and confidentiality == "anonymous":
        assert view.title == "Jalan rusak di depan rumah"
        assert view.description.startswith("Jalan berlubang.")
        assert "0812" not in view.description and "siti@example.id" not in view.description
    else:
        assert view.description == case.description  # citizen, system, former agency: as written


@pytest.mark.parametrize("confidentiality", CONFIDENTIALITIES)
@pytest.mark.parametrize("who", VIEWERS)
def test_contact_and_identity_answers(scene, who, confidentiality):
    case, _c, _s = make_case(scene, confidentiality)
    view = view_for(scene, case, who)
    expect_identity = FLAGS[(who, confidentiality)][1]
    if expect_identity:
        assert view.contact["name"] == "Siti Aminah"
        assert view.contact["phone"] == "+6281255501234"
        assert view.contact["citizen_id"] == scene["citizen"].pk
        assert view.answers["nomor_induk"] == "6472015505900001"
        assert view.answers["no_hp"] == "081255501234"
    else:
        assert view.contact is None
        assert not view.answers or ("nomor_induk" not in view.answers and "no_hp" not in view.answers)
    if view.can_see_content:
        assert view.answers["lokasi_jalan"] == "Jl. Pahlawan"
    else:
        assert view.answers is None
    assert view.identity_sealed == (confidentiality == "anonymous" and who != "citizen")
    # nothing in the view's timeline names the citizen unless identity is visible
    labels = {entry.actor_label for entry in view.timeline}
    assert ("Siti Aminah" in labels) == (expect_identity and who != "citizen" or (who == "citizen"))


@pytest.mark.parametrize("confidentiality", CONFIDENTIALITIES)
@pytest.mark.parametrize("who", VIEWERS)
def test_timeline(scene, who, confidentiality):
    case, _c, _s = make_case(scene, confidentiality)
    view = view_for(scene, case, who)
    kinds = [entry.kind for entry in view.timeline]
    if who in PUBLIC_LIKE and confidentiality != "public":
        assert kinds == []
        assert view.public_answer is None
    elif view.can_see_internal:
        assert kinds == ["submitted", "forwarding", "note", "transition"]
        assert view.timeline[2].body == "Catatan internal: cek lokasi"
    else:
        assert kinds == ["submitted", "transition"]  # public events only
        assert all(entry.is_public for entry in view.timeline)
    if who in PUBLIC_LIKE and confidentiality == "public":
        assert all(entry.actor_label == "" for entry in view.timeline)  # no names for the public
        assert "0541" not in view.public_answer and view.public_answer.startswith("Perbaikan dijadwalkan")
    elif view.can_see_content:
        assert view.public_answer == "Perbaikan dijadwalkan. Info: 0541-736123"


@pytest.mark.parametrize("confidentiality", CONFIDENTIALITIES)
@pytest.mark.parametrize("who", VIEWERS)
def test_attachments(scene, who, confidentiality):
    case, citizen_file, staff_file = make_case(scene, confidentiality)
    view = view_for(scene, case, who)
    if view.can_see_internal:
        expected = {citizen_file, staff_file}
    elif who in ("citizen", "former_agency"):
        expected = {citizen_file}
    else:
        expected = set()
    assert set(view.attachments) == expected
    assert view.can_see_attachment(citizen_file) == (citizen_file in expected)
    assert view.can_see_attachment(staff_file) == (staff_file in expected)


@pytest.mark.parametrize("who", VIEWERS)
def test_region_and_location(scene, who):
    case, _c, _s = make_case(scene, "public")
    view = view_for(scene, case, who)
    if who in PUBLIC_LIKE:
        assert view.region == scene["regency"]  # regency level only
        assert view.location is None
    else:
        assert view.region == scene["village"]
        assert view.location["text"] == "Depan masjid"


def test_attachment_of_another_case_is_never_visible(scene):
    case, _c, _s = make_case(scene, "public")
    other, other_file, _ = make_case(scene, "confidential")
    view = case_view(case=case, viewer="system")
    assert not view.can_see_attachment(other_file)


def test_inactive_membership_is_no_membership(scene):
    case, _c, _s = make_case(scene, "confidential")
    officer = scene["viewers"]["responsible"]
    officer.memberships.update(is_active=False)
    assert case_view(case=case, viewer=officer).can_see_content is False


def test_inspector_of_another_government_is_an_outsider(scene):
    case, _c, _s = make_case(scene, "confidential")
    other_gov = GovernmentFactory(
        region=Region.objects.create(code="65", name="Kalimantan Utara", level="province")
    )
    inspector = StaffFactory()
    MembershipFactory(
        user=inspector, unit=UnitFactory(agency=AgencyFactory(government=other_gov)), role="inspector"
    )
    assert case_view(case=case, viewer=inspector).can_see_content is False


def test_reveal_identity_audits_anonymous_reads(scene):
    case, _c, _s = make_case(scene, "anonymous")
    before = AuditRecord.objects.count()
    contact = reveal_identity(case=case, purpose="notify: answered")
    assert contact["phone"] == "+6281255501234"
    record = AuditRecord.objects.order_by("-id").first()
    assert AuditRecord.objects.count() == before + 1
    assert record.action == "identity.read"
    assert record.target_id == str(case.pk)
    assert record.data["purpose"] == "notify: answered"


def test_reveal_identity_of_a_public_case_is_not_audited(scene):
    case, _c, _s = make_case(scene, "public")
    before = AuditRecord.objects.count()
    assert reveal_identity(case=case, purpose="notify")["email"] == "siti@example.id"
    assert AuditRecord.objects.count() == before


def test_reveal_identity_needs_a_purpose(scene):
    case, _c, _s = make_case(scene, "anonymous")
    with pytest.raises(ValueError):
        reveal_identity(case=case, purpose="")


# --- redact_text -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kept", "gone"),
    [
        ("Hubungi 081234567890 ya", "Hubungi ", "081234567890"),
        ("HP: 0812-3456-7890.", "HP: ", "7890"),
        ("HP 0812 3456 789 sore", " sore", "3456"),
        ("WA +62 812-3456-7890", "WA ", "3456"),
        ("WA +6281234567890", "WA ", "6281234567890"),
        ("nomor 6281234567890", "nomor ", "6281234567890"),
        ("kantor (0541) 736123", "kantor ", "736123"),
        ("telp 0541-736-123", "telp ", "736"),
        ("surel budi.santoso+lapor@gmail.com ok", " ok", "budi.santoso"),
        ("NIK 6471010101900001", "NIK ", "6471010101900001"),
        ("NIK 6471 0101 0190 0001.", "NIK ", "0190"),
        ("081234567890 12 orang", " 12 orang", "081234567890"),
    ],
)
def test_redact_masks_identifiers(text, kept, gone):
    redacted = redact_text(text)
    assert gone not in redacted
    assert kept in redacted


@pytest.mark.parametrize(
    "text",
    [
        "Tanggal 02-05-2024 pukul 10.30",
        "Sejak 2024-05-12 belum diperbaiki",
        "Pada 12/05/2024 jam 08.15 WITA",
        "RT 03 RW 05 No. 12",
        "Biaya Rp 1.500.000 dan Rp 625.000.000",
        "Tahun 2019-2024, 150 KK terdampak",
        "Kode pos 75117, km 12",
        "Jalan sepanjang 0,5 km",
    ],
)
def test_redact_keeps_dates_amounts_and_short_numbers(text):
    assert redact_text(text) == text


def test_redact_empty():
    assert redact_text("") == ""
    assert redact_text(None) == ""


def test_redact_markers_are_translated():
    from django.utils import translation

    with translation.override("en"):
        assert redact_text("0812-3456-7890") == "[phone hidden]"
        assert redact_text("a@b.id") == "[e-mail hidden]"
        assert redact_text("6471010101900001") == "[NIK hidden]"


def test_redact_for_case_masks_the_citizens_own_name():
    from balai.cases.visibility import redact_for_case

    case = Case(contact_name="Siti Rahmawati")
    text = "Saya siti RAHMAWATI, warga Loa Janan, hubungi 0812-3456-7890. Salam, Siti."
    masked = redact_for_case(text, case=case)
    assert "siti" not in masked.lower()
    assert "rahmawati" not in masked.lower()
    assert "0812" not in masked
    assert "Loa Janan" in masked  # other words are kept
    assert redact_for_case("Jalan rusak", case=Case(contact_name="")) == "Jalan rusak"


def test_anonymous_name_typed_in_text_is_hidden_from_officers(scene):
    case = make_case(scene, "anonymous")[0]
    case.title = "Laporan dari Siti Aminah"
    case.description = "Nama saya Siti, rumah saya di RT 05."
    case.save()
    view = case_view(case=case, viewer=scene["viewers"]["responsible"])
    assert "Siti" not in view.title and "Aminah" not in view.title
    assert "Siti" not in view.description and "RT 05" in view.description
    assert "Siti" in case_view(case=case, viewer=None, as_citizen=True).title
