"""The process editor of the staff workspace (/kantor/partisipasi/baru/, …/ubah/): only the head or the
administrator of the owner agency, ordered phases, budgets, drafts with sections, every change audited,
errors in the user's language with nothing typed lost."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from balai.audit.models import AuditRecord
from balai.participation import services
from balai.participation.models import Comment, DraftSection, Phase, Process
from tests.factories import (
    AgencyFactory,
    GovernmentFactory,
    MembershipFactory,
    RegionFactory,
    StaffFactory,
    UnitFactory,
)
from tests.office.conftest import office_login
from tests.participation.world import NIKS, budget_process, process, regions

pytestmark = pytest.mark.django_db

NEW = "/kantor/partisipasi/baru/"
D0 = date(2027, 3, 1)


def _member(agency, role):
    user = StaffFactory()
    MembershipFactory(user=user, unit=UnitFactory(agency=agency), role=role)
    return user


def _dates(**phases: tuple[int, int]) -> dict[str, str]:
    """POST fields for phases given as day offsets from D0: information=(0, 9) → 1–10 March 2027."""
    out = {}
    for kind, (start, end) in phases.items():
        out[f"phase_{kind}_starts"] = (D0 + timedelta(days=start)).isoformat()
        out[f"phase_{kind}_ends"] = (D0 + timedelta(days=end)).isoformat()
    return out


def _post(agency, region, **extra) -> dict[str, str]:
    data = {"title_id": "Anggaran partisipatif Kelurahan 2027", "title_en": "Participatory budget 2027",
            "slug": "anggaran-palaran-2027", "kind": "budget", "agency": str(agency.pk), "region": str(region.pk),
            "decides_id": "Tiga kegiatan yang didanai dari Rp 1,5 miliar.",
            "deciders_id": "Warga memilih; Camat menetapkan hasil yang dihitung.",
            "input_use_id": "Setiap suara dihitung dan hasilnya diumumkan.",
            "budget": "1.500.000.000", "ballot_kind": "approval", "max_choices": "3", "section_rows": "3",
            **_dates(information=(0, 9), proposals=(10, 29), review=(30, 39), voting=(40, 49))}
    data.update(extra)
    return data


@pytest.fixture
def owner_world():
    places = regions()
    agency = AgencyFactory()
    return places, agency, _member(agency, "head")


def test_the_owner_agency_head_creates_a_budget_process_and_it_is_audited(client, owner_world):
    places, agency, head = owner_world
    office_login(client, head)
    assert "Proses partisipasi baru" in client.get("/kantor/partisipasi/").content.decode()
    page = client.get(NEW)
    assert page.status_code == 200 and "Apa yang diputuskan" in page.content.decode()
    response = client.post(NEW, _post(agency, places["district"]))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == "/kantor/partisipasi/anggaran-palaran-2027/?selesai=1"
    proc = Process.objects.get(slug="anggaran-palaran-2027")
    assert (proc.agency, proc.region, proc.budget, proc.ballot_kind, proc.max_choices) == (
        agency, places["district"], 1_500_000_000, "approval", 3)
    assert proc.is_published is False
    assert [(p.kind, p.starts_on) for p in Phase.objects.filter(process=proc).order_by("starts_on")] == [
        ("information", D0), ("proposals", D0 + timedelta(days=10)), ("review", D0 + timedelta(days=30)),
        ("voting", D0 + timedelta(days=40))]
    record = AuditRecord.objects.get(action="participation.process_create")
    assert record.actor == head and record.target_id == str(proc.pk)
    assert record.data["phases"]["voting"] == ["2027-04-10", "2027-04-19"]
    # the process page offers the editor to its owner
    assert "/ubah/" in client.get(f"/kantor/partisipasi/{proc.slug}/").content.decode()


def test_overlapping_or_reversed_phases_are_refused_with_everything_typed_kept(client, owner_world):
    places, agency, head = owner_world
    office_login(client, head)
    data = _post(agency, places["district"], title_id="Judul yang diketik tidak hilang",
                 **_dates(proposals=(10, 35), review=(30, 39)))
    response = client.post(NEW, data)
    body = response.content.decode()
    assert response.status_code == 400
    assert "Tahap Penilaian harus dimulai setelah tahap Usulan berakhir (2027-04-05)" in body
    assert 'value="Judul yang diketik tidak hilang"' in body and "Tiga kegiatan yang didanai" in body
    assert 'value="1.500.000.000"' in body and 'value="2027-03-31"' in body
    reversed_ = client.post(NEW, _post(agency, places["district"], **_dates(voting=(49, 40))))
    assert reversed_.status_code == 400 and "Tahap tidak boleh berakhir sebelum dimulai." in reversed_.content.decode()
    half = client.post(NEW, _post(agency, places["district"], phase_results_starts="2027-05-01"))
    assert half.status_code == 400 and "Isi kedua tanggal tahap ini, atau kosongkan keduanya." in half.content.decode()
    assert not Process.objects.exists() and not AuditRecord.objects.exists()


def test_errors_are_in_english_on_the_english_pages(client, owner_world):
    places, agency, head = owner_world
    office_login(client, head)
    assert "What is decided" in client.get("/en" + NEW).content.decode()
    response = client.post("/en" + NEW, _post(agency, places["district"], budget="satu miliar", decides_id="",
                                              **_dates(voting=(35, 50))))
    body = response.content.decode()
    assert response.status_code == 400
    assert "Give the amount in rupiah with digits only" in body
    assert "This is needed: citizens read it before taking part." in body
    assert "The Voting phase must start after the Review phase ends (2027-04-09)" in body


def test_budget_rules_are_checked(client, owner_world):
    places, agency, head = owner_world
    office_login(client, head)
    body = client.post(NEW, _post(agency, places["district"], budget="0", ballot_kind="approval",
                                  max_choices="")).content.decode()
    assert "Isi anggaran dalam rupiah (lebih dari 0)." in body
    assert "Isi jumlah kegiatan terbanyak yang boleh dipilih (paling sedikit 1)." in body
    no_voting = _post(agency, places["district"])
    no_voting.update(phase_voting_starts="", phase_voting_ends="")
    assert "memerlukan tahap Pemungutan suara" in client.post(NEW, no_voting).content.decode()


def test_a_rogue_officer_of_another_agency_is_refused(client, owner_world):
    places, agency, head = owner_world
    proc = process(agency=agency, slug="usulan-dinas-a", region=places["regency"])
    rogue = _member(AgencyFactory(), "head")  # head of ANOTHER agency of the same government
    office_login(client, rogue)
    assert client.get(f"/kantor/partisipasi/{proc.slug}/ubah/").status_code == 403
    before = proc.title_id
    edit = client.post(f"/kantor/partisipasi/{proc.slug}/ubah/", _post(agency, places["district"], kind="proposals",
                                                                      title_id="Dibajak"))
    assert edit.status_code == 403
    # creating a process in the other agency's name: that agency is not a choice
    forged = client.post(NEW, _post(agency, places["district"], slug="palsu"))
    assert forged.status_code == 400 and not Process.objects.filter(slug="palsu").exists()
    # and the service refuses it even when called directly
    with pytest.raises(PermissionDenied):
        services.process_save(actor=rogue, data={"agency": agency}, phases=[], process=proc)
    proc.refresh_from_db()
    assert proc.title_id == before
    assert not AuditRecord.objects.filter(action__startswith="participation.process_").exists()


def test_other_roles_of_the_owner_agency_cannot_edit(client, owner_world):
    _places, agency, _head = owner_world
    proc = process(agency=agency, slug="usulan-dinas-b")
    for role in ("operator", "verifier", "counter"):
        client.logout()
        office_login(client, _member(agency, role))
        assert client.get(f"/kantor/partisipasi/{proc.slug}/ubah/").status_code == 403, role
        assert client.get(NEW).status_code == 403, role
    client.logout()
    office_login(client, _member(agency, "admin"))
    assert client.get(f"/kantor/partisipasi/{proc.slug}/ubah/").status_code == 200


def test_the_region_must_be_within_the_owner_government(client, owner_world):
    places, agency, head = owner_world
    elsewhere = RegionFactory(code="65", name="Kalimantan Utara", level="province")
    GovernmentFactory(region=elsewhere, name="Pemprov Kaltara")
    with pytest.raises(ValidationError) as exc:
        services.process_save(actor=head, data={**_service_data(agency, elsewhere)},
                              phases=[services.PhaseInput("proposals", D0, D0 + timedelta(days=9))])
    assert "region" in exc.value.message_dict
    office_login(client, head)
    assert "65 Kalimantan Utara" not in client.get(NEW).content.decode()


def _service_data(agency, region, **extra):
    return {"slug": "usulan-x", "kind": "proposals", "agency": agency, "region": region, "is_published": False,
            "title_id": "Usulan", "title_en": "", "summary_id": "", "summary_en": "", "decides_id": "a",
            "decides_en": "", "deciders_id": "b", "deciders_en": "", "input_use_id": "c", "input_use_en": "",
            "support_threshold": 0, "threshold_date": None, "budget": None, "ballot_kind": "",
            "max_choices": None, "year": None, **extra}


def test_a_consultation_with_sections_is_created_then_edited(client, owner_world):
    places, agency, head = owner_world
    office_login(client, head)
    data = _post(agency, places["regency"], kind="consultation", slug="rancangan-perda-sampah",
                 budget="", ballot_kind="", max_choices="", draft_title="Rancangan Perda Pengelolaan Sampah",
                 section_0_heading="Ketentuan umum", section_0_text="Dalam peraturan ini yang dimaksud …",
                 section_1_heading="Retribusi", section_1_text="Retribusi sampah rumah tangga …",
                 section_2_heading="Sanksi", section_2_text="")
    half = client.post(NEW, data)
    assert half.status_code == 400 and "Isi judul dan teks bagian ini." in half.content.decode()
    data["section_2_text"] = "Setiap orang yang membuang sampah …"
    assert client.post(NEW, data).status_code == 302
    proc = Process.objects.get(slug="rancangan-perda-sampah")
    assert proc.budget is None
    sections = list(DraftSection.objects.filter(draft__process=proc).order_by("number"))
    assert [(s.number, s.heading) for s in sections] == [(1, "Ketentuan umum"), (2, "Retribusi"), (3, "Sanksi")]
    # a comment on "Retribusi": that section can no longer be removed
    Comment.objects.create(draft=sections[0].draft, section=sections[1], stance="disagree", text="Terlalu mahal")
    url = f"/kantor/partisipasi/{proc.slug}/ubah/"
    page = client.get(url).content.decode()
    assert "Ketentuan umum" in page and 'name="section_5_heading"' in page  # 3 sections + 3 empty rows
    edit = {**data, "section_rows": "6", "section_0_id": str(sections[0].pk), "section_1_id": str(sections[1].pk),
            "section_2_id": str(sections[2].pk), "section_1_remove": "on"}
    edit.pop("kind")  # disabled on the edit page: a browser does not send it
    refused = client.post(url, edit)
    assert refused.status_code == 400 and "Bagian ini sudah dikomentari" in refused.content.decode()
    edit.pop("section_1_remove")
    edit.update(section_0_remove="on", section_2_heading="Sanksi administratif",
                section_3_heading="Ketentuan peralihan", section_3_text="Izin yang telah terbit …")
    assert client.post(url, edit).status_code == 302
    assert [(s.number, s.heading) for s in DraftSection.objects.filter(draft__process=proc).order_by("number")] == [
        (1, "Retribusi"), (2, "Sanksi administratif"), (3, "Ketentuan peralihan")]
    assert Comment.objects.get().section.heading == "Retribusi"
    record = AuditRecord.objects.get(action="participation.process_edit")
    assert record.data["sections"] == {"added": 1, "edited": 1, "removed": 1}


def test_more_section_rows_without_javascript_keeps_the_input(client, owner_world):
    places, agency, head = owner_world
    office_login(client, head)
    data = _post(agency, places["regency"], kind="consultation", title_id="Judul tetap ada",
                 section_0_heading="Bagian pertama", more="1")
    response = client.post(NEW, data)
    body = response.content.decode()
    assert response.status_code == 200 and "Ada masalah" not in body
    assert 'value="Judul tetap ada"' in body and 'value="Bagian pertama"' in body
    assert 'name="section_5_heading"' in body and 'name="section_rows" value="6"' in body
    assert not Process.objects.exists()


def test_the_ballot_rules_freeze_once_votes_are_cast(client):
    proc, _projects = budget_process(ballot_kind="approval", max_choices=2, budget=1000)
    head = _member(proc.agency, "head")
    assert services.ballot_cast(process=proc, nik=NIKS[0], codes=["AAAAA"], channel="web").ok
    office_login(client, head)
    url = f"/kantor/partisipasi/{proc.slug}/ubah/"
    page = client.get(url)
    assert page.status_code == 200 and 'value="1.000"' in page.content.decode()
    phases = {p.kind: p for p in Phase.objects.filter(process=proc)}
    data = _post(proc.agency, proc.region, slug=proc.slug, title_id=proc.title_id, budget="2.000", max_choices="2",
                 title_en=proc.title_en, decides_id=proc.decides_id, deciders_id=proc.deciders_id,
                 input_use_id=proc.input_use_id, is_published="on",
                 **{f"phase_{k}_starts": "" for k in ("information", "proposals", "review")},
                 **{f"phase_{k}_ends": "" for k in ("information", "proposals", "review")},
                 phase_voting_starts=phases["voting"].starts_on.isoformat(),
                 phase_voting_ends=phases["voting"].ends_on.isoformat())
    data.pop("kind")
    refused = client.post(url, data)
    assert refused.status_code == 400 and "Suara sudah masuk" in refused.content.decode()
    data["budget"] = "1.000"
    data["title_id"] = "Judul baru"
    assert client.post(url, data).status_code == 302
    proc.refresh_from_db()
    assert proc.title_id == "Judul baru" and proc.budget == 1000
    record = AuditRecord.objects.get(action="participation.process_edit")
    assert record.data["changed"] == ["title_id"]
    # phases left empty were removed; the voting phase stayed as it was
    assert set(Phase.objects.filter(process=proc).values_list("kind", flat=True)) == {"voting"}
    assert services.ballot_cast(process=proc, nik=NIKS[1], codes=["CCCCC"], channel="web").ok
