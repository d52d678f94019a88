"""The public participation pages with the Django test client: both languages, the phone proof, support,
vote, comment, and never a 500 on bad input."""

from __future__ import annotations

import pytest
from django.utils import timezone

from balai.participation import services
from balai.participation.models import Ballot, Comment, Support
from tests.factories import StaffFactory
from tests.participation.world import NIKS, budget_process, process, regions
from tests.portal.flows_b_data import last_otp

pytestmark = pytest.mark.django_db

PHONE = "+6281234567811"


def prove_phone(client, next_url: str) -> None:
    response = client.post("/partisipasi/telepon/", {"telepon": "0812-3456-7811", "next": next_url})
    assert response.status_code == 302, response.content[:400]
    response = client.post("/partisipasi/telepon/kode/", {"kode_otp": last_otp(PHONE), "next": next_url})
    assert response.status_code == 302 and response["Location"] == next_url


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_process_pages_in_both_languages(client, prefix):
    proc = process()
    proposal = services.proposal_submit(process=proc, title="Sumur bor RT 05", description="Air bersih.",
                                        region=regions()["v1"])
    for path in ("/partisipasi/", f"/partisipasi/{proc.slug}/", f"/partisipasi/{proc.slug}/usulan/",
                 f"/partisipasi/{proc.slug}/usulan/{proposal.code}/", "/partisipasi/inklusi/",
                 f"/partisipasi/{proc.slug}/usulan/?status=zzz&halaman=abc"):
        response = client.get(prefix + path)
        assert response.status_code == 200, path
        assert len(response.content) < 30 * 1024
    page = client.get(f"{prefix}/partisipasi/{proc.slug}/").content.decode()
    assert ("Who decides" if prefix else "Siapa yang memutuskan") in page
    assert client.get(prefix + "/partisipasi/tidak-ada/").status_code == 404
    assert client.get(f"{prefix}/partisipasi/{proc.slug}/usulan/ZZZZZ/").status_code == 404


def test_support_needs_a_proven_phone_and_counts_once(client):
    proc = process()
    proposal = services.proposal_submit(process=proc, title="Sumur bor", description="…", region=regions()["v1"])
    url = f"/partisipasi/{proc.slug}/usulan/{proposal.code}/"
    response = client.post(url + "dukung/")
    assert response.status_code == 302 and "/partisipasi/telepon/" in response["Location"]
    prove_phone(client, url)
    assert client.post(url + "dukung/")["Location"].endswith("?dukungan=ok")
    assert client.post(url + "dukung/")["Location"].endswith("?dukungan=already")
    assert Support.objects.count() == 1


def test_new_proposal_through_the_form(client):
    proc = process()
    url = f"/partisipasi/{proc.slug}/usulan/baru/"
    prove_phone(client, url)
    assert client.post(url, {"judul": ""}).status_code == 400
    response = client.post(url, {"judul": "Lampu jalan Gang Mawar", "uraian": "Gelap sejak 2025.",
                                 "kategori": "infrastructure", "tempat": "64.72.01.1002"})
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200


def test_vote_on_the_web_then_paper_is_refused(client):
    proc, _projects = budget_process()
    url = f"/partisipasi/{proc.slug}/pilih/"
    assert "/partisipasi/telepon/" in client.get(url)["Location"]
    prove_phone(client, url)
    assert client.get(url).status_code == 200
    over = client.post(url, {"nik": NIKS[0], "proyek": ["AAAAA", "EEEEE"]})
    assert over.status_code == 400 and "melebihi anggaran" in over.content.decode()
    assert client.post(url, {"nik": NIKS[0], "proyek": ["AAAAA", "CCCCC"]}).status_code == 200
    again = client.post(url, {"nik": NIKS[1], "proyek": ["DDDDD"]})  # same phone, another NIK
    assert again.status_code == 400 and "sudah tercatat" in again.content.decode()
    paper = services.ballot_cast(process=proc, nik=NIKS[0], codes=["DDDDD"], channel="paper",
                                 recorded_by=StaffFactory(), location="Loket Kecamatan Palaran")
    assert paper.error == "already_voted" and paper.previous_channel == "web"
    assert Ballot.objects.count() == 1
    results = client.get(f"/partisipasi/{proc.slug}/hasil/")
    assert results.status_code == 200
    proc.results_published_at = timezone.now()
    proc.save()
    page = client.get(f"/en/partisipasi/{proc.slug}/hasil/").content.decode()
    assert "Votes per project" in page and "AAAAA" in page
    csv = b"".join(client.get("/data/partisipasi-anggaran.csv").streaming_content).decode()
    assert "anggaran-2027" in csv and "AAAAA" in csv


def test_consultation_comment_moderation_and_report(client):
    proc = process("consultation", slug="rancangan-perda")
    draft = services.draft_create(process=proc, title="Rancangan Perda Air Bersih",
                                  sections=[("Tujuan", "Menjamin air bersih."), ("Tarif", "Tarif dasar …")])
    url = f"/partisipasi/{proc.slug}/rancangan/"
    assert client.get(url).status_code == 200
    prove_phone(client, url)
    response = client.post(url, {"bagian": "2", "sikap": "disagree", "komentar": "Tarif terlalu mahal.",
                                 "nama": "Bu Sari"})
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.section.number == 2 and comment.state == "pending"
    assert "Tarif terlalu mahal" not in client.get(url).content.decode()  # not before moderation
    staff = StaffFactory()
    services.comment_moderate(comment=comment, publish=True, actor=staff)
    other = services.comment_submit(draft=draft, section=None, stance="agree", text="Nomor saya 0812…")
    services.comment_moderate(comment=other, publish=False, reason="Memuat data pribadi", actor=staff)
    page = client.get(url).content.decode()
    assert "Tarif terlalu mahal" in page and "Memuat data pribadi" in page and "Nomor saya" not in page
    assert client.get(f"/partisipasi/{proc.slug}/rancangan/laporan.pdf").status_code == 404
    services.section_respond(section=draft.sections.get(number=2), response="Tarif ditinjau ulang.", actor=staff)
    services.report_publish(draft=draft, introduction="Terima kasih atas 2 komentar.", actor=staff)
    assert "Tarif ditinjau ulang" in client.get(f"/partisipasi/{proc.slug}/rancangan/laporan/").content.decode()
    pdf = client.get(f"/partisipasi/{proc.slug}/rancangan/laporan.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_inclusion_figures_suppress_small_cells(client):
    from balai.participation import selectors

    proc, _projects = budget_process()
    for i, nik in enumerate(NIKS):  # 8 voters: every cell below 10 is suppressed
        services.ballot_cast(process=proc, nik=nik, codes=["AAAAA"], channel="web",
                             gender="woman" if i % 2 else "man")
    figures = selectors.inclusion_figures()
    assert [c.count for c in figures["ballots_gender"]] == [None, None]
    page = client.get("/partisipasi/inklusi/").content.decode()
    assert "kurang dari 10" in page and ">8<" not in page and ">4<" not in page
    for i in range(10):  # 10 more women (NIKs made up for the test, valid format)
        services.ballot_cast(process=proc, nik=f"64720141019{i}0001"[:12] + f"{i + 10:04d}", codes=["CCCCC"],
                             channel="sms", gender="woman")
    cells = {c.value: c.count for c in selectors.inclusion_figures()["ballots_gender"]}
    assert cells == {"woman": 14, "man": None}


def test_musrenbang_public_pages_pdf_and_csv(client):
    places = regions()
    proc = process("musrenbang", slug="musrenbang-publik", region=places["province"])
    proposal = services.proposal_submit(process=proc, title="Jembatan ulin", description="…", region=places["v1"],
                                        volume="40 m", cost=950_000_000, level="village")
    forum = services.forum_for(process=proc, level="village", region=places["v1"])
    item = services.forum_add(forum=forum, proposal=proposal)
    staff = StaffFactory()
    services.forum_decide(item=item, decision="agreed", priority=1, actor=staff)
    base = f"/partisipasi/{proc.slug}/musrenbang/"
    assert client.get(base).status_code == 200
    assert client.get(f"{base}{forum.pk}/berita-acara.pdf").status_code == 404  # not met yet
    services.forum_record(forum=forum, held_on=timezone.localdate(), place="Balai desa", chair="Kades",
                          minutes="Tertib.", women=11, men=12, disability=1, actor=staff)
    assert "11" in client.get(f"/en{base}{forum.pk}/").content.decode()
    assert client.get(f"{base}{forum.pk}/berita-acara.pdf").content.startswith(b"%PDF")
    csv = client.get(f"{base}{forum.pk}/usulan.csv").content.decode()
    assert csv.startswith("priority,code,title,location,region_code,volume,responsible_agency,estimated_cost")
    assert "950000000" in csv and "40 m" in csv
    assert client.get(f"{base}999999/").status_code == 404


def test_proposal_photo_is_published_without_metadata(client, settings, tmp_path):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from balai.participation.models import Proposal

    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path), "base_url": None}}}
    proc = process()
    url = f"/partisipasi/{proc.slug}/usulan/baru/"
    prove_phone(client, url)
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "KameraRahasia"  # camera maker
    Image.new("RGB", (8, 8), "green").save(buffer, "JPEG", exif=exif)
    assert b"KameraRahasia" in buffer.getvalue()
    form = {"judul": "Taman RT 02", "uraian": "Lahan kosong.", "kategori": "environment", "tempat": "64.72.01.1001"}
    pdf = SimpleUploadedFile("x.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    assert client.post(url, {**form, "foto": pdf}).status_code == 400
    photo = SimpleUploadedFile("taman.jpg", buffer.getvalue(), content_type="image/jpeg")
    response = client.post(url, {**form, "foto": photo})
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert f"/usulan/{proposal.code}/foto/" in page
    image = client.get(f"/partisipasi/{proc.slug}/usulan/{proposal.code}/foto/")
    body = b"".join(image.streaming_content)
    assert image["Content-Type"] == "image/jpeg" and body.startswith(b"\xff\xd8") and b"KameraRahasia" not in body
