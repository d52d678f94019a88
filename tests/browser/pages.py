"""The public pages every browser test walks. Other faces append theirs to PUBLIC_PAGES.

A path may hold `{placeholders}` filled from the dict that the SEEDERS build (each seeder creates test
data with factories and adds keys). Every page is checked in both languages (the path, and `/en` + path):
axe-core 0 violations, works without JavaScript, ≤ 30 KB compressed with everything it loads, ≤ 5
requests, no third-party request, no web font, HTML without parse errors.

To add a page, add a line to the PUBLIC_PAGES list below (it is read when the tests are collected):
    PublicPage("complaint-form", "/lapor/"),
To add data, write a seeder here and add it to SEEDERS:
    def seed_cases(data: dict) -> None: data["code"] = ...   # then use "/lacak/{code}/" in a path
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tests.portal.factories import build_catalog

MAX_BYTES = 30 * 1024
MAX_REQUESTS = 5
LANGUAGE_PREFIXES = ("", "/en")


@dataclass(frozen=True)
class PublicPage:
    name: str
    path: str  # Indonesian path; may contain {placeholders} from the seeded data
    status: int = 200

    def url(self, data: dict, *, prefix: str = "") -> str:
        return prefix + self.path.format(**data)


def seed_catalog(data: dict) -> None:
    data.update(build_catalog())


SEEDERS: list[Callable[[dict], None]] = [seed_catalog]


def seed_all() -> dict:
    data: dict = {}
    for seeder in SEEDERS:
        seeder(data)
    return data


PUBLIC_PAGES: list[PublicPage] = [
    PublicPage("home", "/"),
    PublicPage("catalog", "/layanan/"),
    PublicPage("catalog-filtered", "/layanan/?peristiwa={event}"),
    PublicPage("search", "/layanan/?q=akta+kelahran"),
    PublicPage("search-empty", "/layanan/?q=zzzzqqq"),
    PublicPage("service", "/layanan/{service}/"),
    PublicPage("service-paid", "/layanan/{paid_service}/"),
    PublicPage("agency", "/instansi/{agency}/"),
    PublicPage("display", "/tampilan/"),
    PublicPage("privacy", "/privasi/"),
    PublicPage("accessibility", "/aksesibilitas/"),
    PublicPage("contact", "/kontak/"),
    PublicPage("not-found", "/tidak-ada-halaman-ini/", status=404),
]


# --- portal flows B: tracking, one-time codes, account, public reports ------------------------------------
def seed_flows_b(data: dict) -> None:
    from tests.portal.flows_b_data import act, build_world, submit

    world = build_world()
    complaint = submit(world, "complaint", title="Lampu jalan mati di Palaran",
                       description="Sudah dua minggu gelap. Hubungi 0812 3456 7890.")
    act(world, complaint, "verify", role="verifier")
    confidential = submit(world, "complaint", title="Laporan rahasia", confidentiality="confidential")
    data.update(track_code=complaint.tracking_code, confidential_code=confidential.tracking_code,
                public_case=complaint.pk)


SEEDERS.append(seed_flows_b)
PUBLIC_PAGES += [
    PublicPage("track", "/lacak/"),
    PublicPage("track-unknown", "/lacak/?kode=KT-AAAA-AAAA", status=404),
    PublicPage("track-case", "/lacak/{track_code}/"),
    PublicPage("track-confidential", "/lacak/{confidential_code}/"),
    PublicPage("otp-request", "/lacak/{track_code}/kode/"),
    PublicPage("otp-verify", "/lacak/{track_code}/verifikasi/"),
    PublicPage("account-signin", "/akun/masuk/"),
    PublicPage("public-list", "/laporan/"),
    PublicPage("public-list-filtered", "/laporan/?instansi=dinkes&status=baru"),
    PublicPage("public-case", "/laporan/{public_case}/"),
]

# --- open data and performance (/kinerja/, /data/) ----------------------------------------------------------
def seed_opendata(data: dict) -> None:
    """Roll-ups of the cases seeded above, a published audit head, and the flows-B agency for its page."""
    from balai.opendata.services import record_audit_head
    from balai.transparency import rollup

    rollup.update()
    record_audit_head()
    data["perf_agency"] = "dinkes"


SEEDERS.append(seed_opendata)
PUBLIC_PAGES += [
    PublicPage("performance", "/kinerja/"),
    PublicPage("performance-agency", "/kinerja/instansi/{perf_agency}/"),
    PublicPage("performance-service", "/kinerja/layanan/{service}/"),
    PublicPage("performance-ranking", "/kinerja/peringkat/?urut=median_days"),
    PublicPage("open-data", "/data/"),
    PublicPage("open-data-dataset", "/data/kasus-publik/"),
    PublicPage("open-data-aggregate", "/data/kinerja-instansi/"),
]

# Development-only pages (demo/debug mode; not language-prefixed, so not walked with the public list above).
# tests/channels/test_dev_page_browser.py checks them with axe-core.
DEV_PAGES: list[PublicPage] = [PublicPage("dev-messages", "/dev/pesan/"), PublicPage("dev-messages-en", "/en/dev/pesan/")]

# Staff-workspace pages (/kantor/), their seeder and the staff sign-in helper live in tests/browser/staff.py.
from tests.browser.staff import STAFF_PAGES, StaffPage, seed_staff, staff_login  # noqa: E402, F401


# --- portal flows A: apply, complain, ask for information (each step of each flow) -----------------------
def seed_flows_a(data: dict) -> None:
    from tests.portal.flow_data import build_flow_data

    built = build_flow_data()
    data.update(apply_service=built["service"].code)


SEEDERS.append(seed_flows_a)
PUBLIC_PAGES += [
    PublicPage("apply-1", "/layanan/{apply_service}/ajukan/"),
    PublicPage("apply-2", "/layanan/{apply_service}/ajukan/2/"),
    PublicPage("apply-contact", "/layanan/{apply_service}/ajukan/kontak/"),
    PublicPage("apply-needs", "/layanan/{apply_service}/ajukan/kebutuhan/"),
    PublicPage("apply-check", "/layanan/{apply_service}/ajukan/periksa/"),
    PublicPage("complain", "/lapor/"),
    PublicPage("complain-place", "/lapor/lokasi/"),
    PublicPage("complain-place-typed", "/lapor/lokasi/?cari=palaran"),
    PublicPage("complain-place-chosen", "/lapor/lokasi/?kabupaten=64.72&kecamatan=64.72.01"),
    PublicPage("complain-files", "/lapor/berkas/"),
    PublicPage("complain-privacy", "/lapor/privasi/"),
    PublicPage("complain-contact", "/lapor/kontak/"),
    PublicPage("complain-check", "/lapor/periksa/"),
    PublicPage("information", "/informasi/"),
    PublicPage("information-format", "/informasi/bentuk/"),
    PublicPage("information-contact", "/informasi/kontak/"),
    PublicPage("information-check", "/informasi/periksa/"),
]


# --- PPID: register of public information, archive, annual report (balai.ppid) ------------------------------
def seed_ppid(data: dict) -> None:
    from balai.agencies.models import Agency
    from tests.ppid.helpers import approved_item, privacy_test

    agency = Agency.objects.get(slug="dinkes")
    item = approved_item(agency, title="Laporan keuangan semester I")
    exempt = approved_item(agency, title="Data penerima bantuan", category="dikecualikan", document_url="",
                           where_to_get="")
    privacy_test(agency, item=exempt, number="UK-DINKES-2026-001")
    data.update(register_item=item.pk, register_exempt=exempt.pk)
    from balai.cases.commands import CaseCommand
    from balai.cases.services import case_submit, case_transition
    from balai.cases.submission import Submission
    from balai.ppid.models import ArchiveEntry
    from balai.ppid.services import archive_confirm
    from tests.factories import StaffFactory

    boss = StaffFactory(is_superuser=True)
    case = case_submit(Submission(kind="information_request", channel="web", agency=agency,
                                  title="Anggaran puskesmas", description="Mohon rincian anggaran puskesmas Palaran 2025.",
                                  contact_name="Siti Aminah", contact_phone="081234567890"))
    case_transition(case, CaseCommand(action="answer", actor=boss, body="Rincian anggaran: Rp 1,2 miliar."))
    entry = ArchiveEntry.objects.get(case=case)
    archive_confirm(actor=boss, entry=entry, publish=True, question=entry.question, answer=entry.answer)
    data["archive_entry"] = entry.pk
    from balai.ppid.services import report_annotate

    report_annotate(actor=None, government=agency.government, year=2026, publish=True,
                    values={"policy": "Keterbukaan informasi", "recommendations": "Perluas layanan daring"})


SEEDERS.append(seed_ppid)
PUBLIC_PAGES += [
    PublicPage("register", "/informasi/daftar/"),
    PublicPage("register-filtered", "/informasi/daftar/?kategori=berkala&tahun=2026&instansi=dinkes&q=laporan"),
    PublicPage("register-item", "/informasi/daftar/{register_item}/"),
    PublicPage("register-exempt", "/informasi/daftar/{register_exempt}/"),
    PublicPage("archive", "/informasi/arsip/"),
    PublicPage("archive-filtered", "/informasi/arsip/?q=anggaran&instansi=dinkes&hasil=granted&tahun=2026"),
    PublicPage("archive-entry", "/informasi/arsip/{archive_entry}/"),
    PublicPage("information-similar", "/informasi/?cari=anggaran+puskesmas"),
    PublicPage("annual-report", "/informasi/laporan-tahunan/2026/"),
    PublicPage("notice-subscribe", "/informasi/langganan/"),
]


# --- SMS / WhatsApp channel: /sms/ and its poster (the number itself: tests/browser/test_sms_pages.py) ------
PUBLIC_PAGES += [
    PublicPage("sms", "/sms/"),
    PublicPage("sms-poster", "/sms/poster/"),
    PublicPage("search-elsewhere", "/layanan/?q=ktp"),
]


def seed_elsewhere(data: dict) -> None:
    from balai.catalog.models import ExternalService

    ExternalService.objects.get_or_create(code="ktp-el", defaults={
        "name_id": "KTP elektronik (KTP-el)", "name_en": "Electronic identity card (KTP-el)",
        "provider_id": "Disdukcapil kabupaten/kota", "provider_en": "the Disdukcapil of your regency or city",
        "url": "https://dukcapil.kemendagri.go.id/", "keywords": "ktp ktp-el e-ktp"})


SEEDERS.append(seed_elsewhere)


# --- community participation (/partisipasi/) ----------------------------------------------------------------
def seed_participation(data: dict) -> None:
    from django.utils import timezone

    from balai.participation import services
    from tests.participation.world import NIKS, budget_process, process, regions

    places = regions()
    proc = process(slug="usulan-uji")
    proposal = services.proposal_submit(process=proc, title="Sumur bor RT 05", description="Air sering mati.",
                                        region=places["v1"])
    budget, _projects = budget_process(slug="anggaran-uji")
    services.ballot_cast(process=budget, nik=NIKS[0], codes=["AAAAA"], channel="web")
    budget.results_published_at = timezone.now()
    budget.save(update_fields=["results_published_at"])
    consult = process("consultation", slug="rancangan-uji")
    draft = services.draft_create(process=consult, title="Rancangan Standar Pelayanan",
                                  sections=[("Biaya", "Layanan tidak dipungut biaya.")])
    comment = services.comment_submit(draft=draft, section=None, stance="agree", text="Setuju.")
    services.comment_moderate(comment=comment, publish=True, actor=None)
    services.report_publish(draft=draft, introduction="Terima kasih.", actor=None)
    musren = process("musrenbang", slug="musrenbang-uji", region=places["province"])
    forum = services.forum_for(process=musren, level="village", region=places["v1"])
    data.update(pp_process=proc.slug, pp_proposal=proposal.code, pp_budget=budget.slug, pp_consult=consult.slug,
                pp_musren=musren.slug, pp_forum=forum.pk)


SEEDERS.append(seed_participation)
PUBLIC_PAGES += [
    PublicPage("participation", "/partisipasi/"),
    PublicPage("participation-inclusion", "/partisipasi/inklusi/"),
    PublicPage("participation-phone", "/partisipasi/telepon/"),
    PublicPage("participation-process", "/partisipasi/{pp_process}/"),
    PublicPage("participation-proposals", "/partisipasi/{pp_process}/usulan/"),
    PublicPage("participation-proposal", "/partisipasi/{pp_process}/usulan/{pp_proposal}/"),
    PublicPage("participation-results", "/partisipasi/{pp_budget}/hasil/"),
    PublicPage("participation-draft", "/partisipasi/{pp_consult}/rancangan/"),
    PublicPage("participation-report", "/partisipasi/{pp_consult}/rancangan/laporan/"),
    PublicPage("participation-forums", "/partisipasi/{pp_musren}/musrenbang/"),
    PublicPage("participation-forum", "/partisipasi/{pp_musren}/musrenbang/{pp_forum}/"),
]

# --- Diskominfo: the application registry and the status page (/aplikasi/, /status/) -------------------------
def seed_ict(data: dict) -> None:
    import datetime

    from django.utils import timezone

    from balai.agencies.models import Agency
    from balai.ict.models import Application
    from balai.ict.probes import Outcome
    from balai.ict.services import notice_open, record_probe

    agency = Agency.objects.order_by("pk").first()
    now = timezone.now()
    for n, (state, status) in enumerate([("up", "live"), ("down", "live"), ("slow", "live"), ("up", "retired")]):
        app = Application.objects.create(
            slug=f"aplikasi-{n}", name=f"Aplikasi {n}", agency=agency, purpose="Layanan publik daring " * 3,
            spbe_code="RAB.03.02", status=status, users="public", url=f"http://127.0.0.1:9/{n}",
            technology="Django, PostgreSQL", year=2022)
        outcome = {"up": Outcome(True, 200, 120), "down": Outcome(False, 500, 80, "HTTP 500"),
                   "slow": Outcome(True, 200, 4200)}[state]
        record_probe(application=app, outcome=outcome, at=now)
    notice_open(actor=None, kind="incident", title="Aplikasi 1 tidak bisa diakses", body="Sedang diperiksa.",
                applications=[app])
    notice_open(actor=None, kind="maintenance", title="Pemeliharaan jaringan", body="Satu jam.",
                starts_at=now + datetime.timedelta(days=3))
    from balai.ict.services import forget_status_board

    forget_status_board()  # the cache table outlives the flush between browser tests
    data["ict_app"] = "aplikasi-0"


SEEDERS.append(seed_ict)
PUBLIC_PAGES += [
    PublicPage("applications", "/aplikasi/"),
    PublicPage("application", "/aplikasi/{ict_app}/"),
    PublicPage("status", "/status/"),
    PublicPage("open-data-applications", "/data/aplikasi/"),
]

# --- services of other governments, forwarded by Open311 (ADR 0045) ------------------------------------------
def seed_elsewhere(data: dict) -> None:
    from balai.catalog.models import ExternalRequest, ExternalService

    service = ExternalService.objects.create(
        code="ktp-el-uji", name_id="KTP elektronik", name_en="Electronic identity card",
        provider_id="Disdukcapil Kabupaten Kutai Kartanegara", url="https://disdukcapil.example.org/",
        keywords="ktp", open311_url="https://balai.example.org/open311/v2/", open311_service_code="ktp_baru")
    sent = ExternalRequest.objects.create(reference="LR-UJIAA-BBBBB", service=service, status="sent",
                                          remote_id="KK-0001-UJI", remote_status="open",
                                          remote_status_notes="Diterima; jadwal perekaman dikirim lewat SMS.")
    data.update(elsewhere_service=service.code, elsewhere_request=sent.reference)


SEEDERS.append(seed_elsewhere)
PUBLIC_PAGES += [
    PublicPage("elsewhere-apply", "/layanan/luar/{elsewhere_service}/ajukan/"),
    PublicPage("elsewhere-request", "/layanan/luar/permintaan/{elsewhere_request}/"),
]
