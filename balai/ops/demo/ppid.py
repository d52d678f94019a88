"""Demo step: the PPID's register of public information for the demo agencies (at least 60 items across the
four categories, several exempt with their consequence tests, one opening this month, a serta-merta
notice), 40 published answered requests, an objection and a dispute, and last year's published annual
report (docs/regulations.md §11). Invented demo content. Idempotent."""

from __future__ import annotations

import calendar
import random
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone

from balai.agencies.models import Agency, Unit
from balai.cases.commands import CaseCommand
from balai.cases.models import Case
from balai.cases.services import case_submit, case_transition
from balai.cases.submission import Submission
from balai.people.models import User
from balai.ppid.models import ArchiveEntry, ConsequenceTest, Dispute, InformationItem, Objection
from balai.ppid.services import (
    announce,
    archive_confirm,
    consequence_test_create,
    dispute_record,
    item_propose,
    item_review,
    report_annotate,
)

SEED = 14

# (title, summary, category, holder, format, retention)
ITEMS: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("Rencana Strategis (Renstra) 2025–2029", "Tujuan, sasaran, program dan indikator kinerja lima tahun.",
     "berkala", "Sekretariat, Subbagian Perencanaan", "both", "Permanen (JRA)"),
    ("Laporan Kinerja Instansi Pemerintah (LKjIP)", "Capaian indikator kinerja tahun lalu dan analisisnya.",
     "berkala", "Sekretariat, Subbagian Perencanaan", "soft", "10 tahun (JRA)"),
    ("Laporan Realisasi Anggaran semester I", "Realisasi pendapatan dan belanja per program sampai Juni.",
     "berkala", "Sekretariat, Subbagian Keuangan", "soft", "10 tahun (JRA)"),
    ("Daftar Pelaksanaan Anggaran (DPA)", "Rincian belanja per kegiatan dan sub kegiatan tahun berjalan.",
     "berkala", "Sekretariat, Subbagian Keuangan", "soft", "10 tahun (JRA)"),
    ("Standar Pelayanan", "Standar pelayanan setiap layanan: persyaratan, prosedur, waktu, biaya.",
     "setiap_saat", "Bidang Pelayanan", "both", "Selama berlaku"),
    ("Daftar aset dan barang milik daerah", "Inventaris aset tetap per lokasi dan kondisi.",
     "setiap_saat", "Sekretariat, Subbagian Umum", "soft", "5 tahun (JRA)"),
    ("Rencana Umum Pengadaan", "Paket pengadaan barang/jasa tahun berjalan dan pagu anggarannya.",
     "setiap_saat", "Sekretariat, Pejabat Pengadaan", "soft", "10 tahun (JRA)"),
    ("Data pribadi pemohon layanan", "NIK, alamat dan data keluarga pemohon layanan.",
     "dikecualikan", "Bidang Pelayanan", "soft", "Sesuai JRA"),
    ("Dokumen evaluasi penawaran pengadaan", "Evaluasi penawaran peserta tender sebelum pengumuman pemenang.",
     "dikecualikan", "Pokja Pemilihan", "soft", "10 tahun (JRA)"),
)
EXEMPT = {"Data pribadi pemohon layanan": ("17h", "UU 14/2008 pasal 17 huruf h; UU 27/2022",
                                           "Mengungkap rahasia pribadi pemohon dan dapat disalahgunakan."),
          "Dokumen evaluasi penawaran pengadaan": ("17b", "UU 14/2008 pasal 17 huruf b",
                                                  "Mengganggu persaingan usaha yang sehat sebelum tender selesai.")}


def _agencies() -> list[Agency]:
    return list(Agency.objects.filter(units__kind=Unit.Kind.PPID, is_active=True).distinct().order_by("slug"))


def _end_of_month(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _register(*, log: Callable[[str], None], today: date, now: datetime) -> None:
    agencies = _agencies()
    rng = random.Random(SEED)  # nosec B311 # repeatable demo data, not security
    made = 0
    for agency in agencies:
        for index, (title, summary, category, holder, fmt, retention) in enumerate(ITEMS, start=1):
            number = f"DIP-{agency.slug.upper()}-DEMO-{index:02d}"
            if InformationItem.objects.filter(number=number).exists():
                continue
            year = today.year - (1 if index in (2, 6) else 0)
            made_when = min(today, date(year, rng.randint(1, today.month if year == today.year else 12),
                                        rng.randint(1, 28)))
            # berkala items updated 2 to 8 months ago: some are older than six months and get the warning
            updated = now - timedelta(days=rng.randint(60, 240) if category == "berkala" else rng.randint(5, 120))
            exempt = category == "dikecualikan"
            item = item_propose(actor=None, agency=agency, number=number, at=updated, values={
                "title": title, "summary": summary, "holder": holder, "responsible": f"PPID Pelaksana {agency.short_name}",
                "made_when": made_when, "made_where": "Samarinda", "format": fmt, "retention": retention,
                "category": category, "year": year,
                "document_url": "" if exempt else f"https://ppid.kaltimprov.go.id/{agency.slug}/{index:02d}.pdf",
                "where_to_get": "Tidak diumumkan (lihat uji konsekuensi)" if exempt else
                f"Meja PPID {agency.short_name}, hari kerja 08.00–15.00"})
            item_review(actor=None, item=item, approve=True, at=updated)
            made += 1
            if exempt:
                ground, law, harm = EXEMPT[title]
                opening = agency == agencies[0] and title.startswith("Dokumen evaluasi")
                consequence_test_create(actor=None, agency=agency, item=item,
                                        number=f"UK-{agency.slug.upper()}-DEMO-{index:02d}", values={
                    "document": title, "excluded_part": "Seluruh isi" if opening else "Kolom identitas perorangan",
                    "exemption": ground, "law": law, "harm": harm,
                    "public_interest": "Manfaat membuka lebih kecil daripada kerugiannya; ringkasan tetap dibuka.",
                    "decision": "full" if opening else "partial", "decided_at": today - timedelta(days=200),
                    "exempt_until": _end_of_month(today) if opening else today + timedelta(days=3 * 365),
                    "occasion": "before"})
    flood = f"DIP-{agencies[0].slug.upper()}-DEMO-SM" if agencies else ""
    if agencies and not InformationItem.objects.filter(number=flood).exists():
        item = item_propose(actor=None, agency=agencies[0], number=flood, values={
            "title": "Peringatan dini banjir Sungai Karang Mumus", "summary": "Status siaga dan lokasi posko.",
            "holder": "Pusat Pengendalian Operasi", "responsible": "Kepala Pelaksana", "made_when": today,
            "made_where": "Samarinda", "format": "soft", "retention": "5 tahun (JRA)", "category": "serta_merta",
            "year": today.year, "where_to_get": "Beranda Balai, SMS dan WhatsApp pelanggan"})
        announce(actor=None, item=item, notice="Status siaga banjir Sungai Karang Mumus. Warga bantaran sungai "
                 "di Sungai Pinang dan Samarinda Ulu bersiap mengungsi ke posko kelurahan terdekat.")
        made += 1
    log(f"  register: {made} items added ({InformationItem.objects.count()} in all)")


QUESTIONS = (
    "Rincian realisasi anggaran program kesehatan ibu dan anak tahun lalu.",
    "Daftar sekolah penerima bantuan operasional daerah dan besarnya.",
    "Jadwal dan anggaran perbaikan jalan provinsi di Kutai Kartanegara.",
    "Data izin usaha pertambangan yang terbit tiga tahun terakhir.",
    "Hasil uji kualitas air sungai Mahakam di Samarinda.",
)


def _top_up(needed: int, *, now: datetime) -> None:
    """Answered requests of the main PPID when the demo cases gave fewer than 40 (balai/ops/demo/cases.py)."""
    officer = User.objects.filter(memberships__role="ppid", memberships__unit__kind=Unit.Kind.PPID,
                                  is_active=True).order_by("pk").first()
    agency = officer.memberships.filter(role="ppid").first().unit.agency if officer else None
    if agency is None:
        return
    for i in range(needed):
        asked = now - timedelta(days=20 + 9 * i)
        case = case_submit(Submission(kind="information_request", channel="web", agency=agency,
                                      title=QUESTIONS[i % len(QUESTIONS)][:120], description=QUESTIONS[i % len(QUESTIONS)],
                                      contact_name="Warga Demo", contact_phone="081250000099", submitted_at=asked,
                                      extra={"demo": True}))
        case_transition(case, CaseCommand(action="answer", actor=officer, at=asked + timedelta(days=6),
                                          body="Informasi yang Anda minta kami lampirkan dalam bentuk tabel."))


def _archive(*, log: Callable[[str], None], now: datetime) -> None:
    drafts = ArchiveEntry.objects.exclude(status=ArchiveEntry.Status.WITHHELD).count()
    if drafts < 40:
        _top_up(40 - drafts, now=now)
    published = ArchiveEntry.objects.filter(status=ArchiveEntry.Status.PUBLISHED).count()
    for entry in ArchiveEntry.objects.filter(status=ArchiveEntry.Status.DRAFT).order_by("answered_at")[:max(0, 40 - published)]:
        archive_confirm(actor=None, entry=entry, publish=True, question=entry.question, answer=entry.answer,
                        attachment_ids=[a.pk for a in entry.case.attachments.filter(is_public=True)])
    log(f"  archive: {ArchiveEntry.objects.filter(status='published').count()} answered requests published")


def _dispute(*, log: Callable[[str], None]) -> None:
    if Dispute.objects.exists():
        return
    objection = Objection.objects.filter(answered_at__isnull=False).order_by("registered_at").first()
    if objection is None:
        log("  no answered objection for the demo dispute")
        return
    dispute_record(actor=None, objection=objection, values={
        "commission_number": f"KI-KALTIM/{objection.registered_at:%Y}/007", "stage": "mediation",
        "registered_at": timezone.localdate(objection.answered_at) + timedelta(days=7),
        "mediation_result": "Mediasi pertama: para pihak sepakat membuka ringkasan data."})
    log(f"  objections: {Objection.objects.count()}, dispute recorded on {objection.number}")


def _report(*, log: Callable[[str], None], today: date) -> None:
    agency = Agency.objects.filter(slug="diskominfo").select_related("government").first() or (_agencies() or [None])[0]
    if agency is None:
        return
    from balai.ppid.models import AnnualReport

    if AnnualReport.objects.filter(government=agency.government, year=today.year - 1).exists():
        return
    report_annotate(actor=None, government=agency.government, year=today.year - 1, publish=True, values={
        "policy": "Pergub tentang pengelolaan informasi dan dokumentasi; PPID pelaksana di setiap perangkat daerah.",
        "implementation": "Permohonan diterima lewat Balai (web, SMS, WhatsApp, surel) dan meja PPID.",
        "constraints": "Jaringan internet di kabupaten pedalaman; dokumen lama belum digital.",
        "recommendations": "Digitalisasi arsip; pelatihan uji konsekuensi bagi PPID pelaksana."})
    log(f"  annual report {today.year - 1} published")


def privacy_test_for(agency: Any) -> ConsequenceTest:
    """The demo consequence test on personal data (art. 17(h)) that the demo refusals of `agency` cite."""
    number = f"UK-{agency.slug.upper()}-DEMO-17H"
    test = ConsequenceTest.objects.filter(number=number).first()
    if test is not None:
        return test
    return consequence_test_create(actor=None, agency=agency, number=number, values={
        "document": "Data pribadi pemohon dan penerima layanan (NIK, alamat, nomor telepon)",
        "excluded_part": "NIK, alamat rumah, nomor telepon dan riwayat kesehatan perorangan",
        "exemption": "17h", "law": "UU 14/2008 pasal 17 huruf h; UU 27/2022 tentang Pelindungan Data Pribadi",
        "harm": "Membuka data ini mengungkap rahasia pribadi dan dapat disalahgunakan untuk penipuan.",
        "public_interest": "Kepentingan publik terpenuhi oleh data agregat yang tetap dibuka; manfaat membuka "
                           "data perorangan tidak sebanding dengan kerugiannya.",
        "decision": "partial", "decided_at": date(2026, 1, 5), "exempt_until": date(2031, 1, 5),
        "occasion": "before"})


def load(*, log: Callable[[str], None]) -> None:
    now = timezone.now()
    today = timezone.localdate(now)
    _register(log=log, today=today, now=now)
    _archive(log=log, now=now)
    _dispute(log=log)
    _report(log=log, today=today)
    if not Case.objects.filter(kind="information_request").exists():
        log("  (no demo information requests: run the cases step first)")
