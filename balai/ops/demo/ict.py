"""Demo step: Diskominfo's ICT desk and application registry (invented demo content).

- a desk profile for each ICT service of the catalog (ticket type, approval by the agency's head);
- ICT canned answers; the ICT agent (Fajar Ramadhan) works in every Diskominfo ICT unit;
- 80 applications across the demo agencies, with a few deliberate near-duplicates;
- a month of probe history (daily roll-ups, and the last day's checks) for the live public applications,
  whose addresses are local demo targets on 127.0.0.1 (the probe job checks them for real when run);
- desk tickets in every state, asked by agency staff and handled by the ICT agent, with status notices.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone

from balai.agencies.models import Agency, Unit
from balai.catalog.models import Service
from balai.ict.models import Application, DailyUptime, ProbeResult, ServiceProfile, StatusNotice
from balai.ops.demo._util import upsert
from balai.people.models import Membership, User
from balai.worktime.calendar import LOCAL_TZ

SEED = 15
PROFILES = {  # service code → (ticket, needs the agency head's approval, also for the public on the portal)
    "tik-subdomain-go-id": ("request", True, False),
    "tik-hosting-pusat-data": ("request", False, False),
    "tik-email-resmi": ("request", False, False),
    "tik-tte": ("request", False, False),
    "tik-jaringan-internet": ("request", False, False),
    "tik-video-conference": ("request", False, False),
    # anyone may report defacement, phishing, malware or a data leak of a government system to the CSIRT
    "tik-insiden-siber": ("security", False, True),
    "tik-gangguan": ("incident", False, False),
    "tik-aplikasi-baru": ("application", True, False),
}
CANNED = (
    ("Reset kata sandi selesai", "Kata sandi akun Anda sudah kami atur ulang. Silakan masuk dan segera ganti kata "
     "sandi.", "Your password has been reset. Please sign in and change it straight away."),
    ("Mohon kirim pesan galat", "Mohon kirim tangkapan layar pesan galat dan jam kejadian agar kami dapat "
     "menelusuri log.", "Please send a screenshot of the error message and the time it happened so we can check "
     "the logs."),
    ("Gangguan sudah pulih", "Layanan sudah pulih. Penyebab: gangguan pada perangkat jaringan pusat data. Mohon "
     "konfirmasi bila masih ada kendala.", "The service is back. Cause: a fault in a data-centre network device. "
     "Please confirm if anything still does not work."),
    ("Gunakan aplikasi umum", "Untuk kebutuhan ini sudah tersedia aplikasi umum nasional. Mohon gunakan aplikasi "
     "tersebut; kami bantu integrasinya.", "A national general application already does this. Please use it; we "
     "help with the integration."),
)
PURPOSES = [  # (SPBE code, name stem, purpose)
    ("RAB.03.02", "SIMPEG", "Mengelola data kepegawaian ASN: cuti, absensi, kenaikan pangkat dan riwayat jabatan."),
    ("RAB.03.05", "E-SPPD", "Surat perintah tugas dan perjalanan dinas pegawai beserta pertanggungjawabannya."),
    ("RAB.04.01", "E-Arsip", "Pengelolaan arsip dinamis dan surat masuk keluar secara elektronik."),
    ("RAB.05.02", "SIPD Perencanaan", "Perencanaan dan penganggaran daerah serta laporan realisasi kegiatan."),
    ("RAB.06.01", "Aset", "Inventarisasi barang milik daerah, mutasi dan penghapusan aset."),
    ("RAB.07.03", "Pengaduan", "Menerima dan menindaklanjuti pengaduan masyarakat tentang layanan dinas."),
    ("RAB.08.04", "Data Terpadu", "Portal data sektoral dan dasbor statistik untuk Satu Data."),
    ("RAB.09.01", "Perizinan", "Pelayanan perizinan dan nonperizinan sektor daerah secara daring."),
    ("RAB.10.02", "Informasi Publik", "Situs informasi publik, berita dan pengumuman perangkat daerah."),
    ("RAB.11.06", "Monitoring Proyek", "Pemantauan fisik dan keuangan proyek pembangunan dengan foto lapangan."),
]
VOCABULARY = ("jembatan beasiswa udara kapal puskesmas pangan kendaraan irigasi pasar hutan koperasi museum "
              "nelayan sekolah perpustakaan banjir tambang sungai pelabuhan bandara hotel wisata kebun sawit "
              "karet ternak vaksin gizi posyandu stunting disabilitas lansia pemuda olahraga seni budaya "
              "naskah prasasti terminal bus gudang pupuk benih bibit air limbah sampah hujan gempa angin "
              "mangrove terumbu satwa listrik surya gas minyak batubara koperasi ekspor garam rumput").split()
STATUSES = ["live"] * 6 + ["development", "planned", "retired"]
TECH = ["Laravel, MySQL", "Django, PostgreSQL", "CodeIgniter, MySQL", "Node.js, MongoDB", "WordPress",
        "Java Spring, Oracle"]


def _profiles(log: Callable[[str], None]) -> None:
    for code, (ticket, approval, public) in PROFILES.items():
        service = Service.objects.filter(code=code).first()
        if service is not None:
            upsert(ServiceProfile, {"service": service},
                   {"ticket": ticket, "needs_agency_head_approval": approval, "public": public})
    log(f"  {len(PROFILES)} ICT service profiles")


def _staff(log: Callable[[str], None]) -> None:
    from balai.office.models import CannedAnswer

    diskominfo = Agency.objects.filter(slug="diskominfo").first()
    agent = User.objects.filter(email="ict_agent@demo.balai.id").first()
    if diskominfo is None or agent is None:
        return
    for unit in Unit.objects.filter(agency=diskominfo, slug__in=("aptika", "tik", "pusat-data", "persandian")):
        upsert(Membership, {"user": agent, "unit": unit, "role": "ict_agent"}, {"is_active": True}, clean=False)
    for title, body_id, body_en in CANNED:
        upsert(CannedAnswer, {"agency": diskominfo, "title": title}, {"body_id": body_id, "body_en": body_en})
    log(f"  ICT agent in 4 units, {len(CANNED)} ICT canned answers")


def _applications(rng: random.Random, log: Callable[[str], None]) -> list[Application]:
    agencies = list(Agency.objects.filter(is_active=True).order_by("pk"))
    apps = []
    for n in range(80):
        agency = agencies[n % len(agencies)]
        code, stem, purpose = PURPOSES[n % len(PURPOSES)]
        # every tenth is a near-duplicate of its template in another agency; the rest get their own twist
        name = f"{stem} {agency.short_name}"
        if n % 10 < 3 and n >= 10:  # the deliberate near-duplicates of applications 0, 1 and 2
            purpose = f"{purpose} Dipakai di {agency.short_name}."
        if n % 10 >= 3 or n >= 30:  # everything else: a purpose of its own
            words = rng.sample(VOCABULARY, 5)
            name, stem = f"Si{words[0].title()} {words[1].title()}", f"si{words[0]}-{words[1]}"
            purpose = f"Pendataan {words[0]}, {words[1]}, {words[2]}, {words[3]} dan {words[4]}."
            code = f"RAB.{12 + n % 7:02d}.{n:02d}"
        status = STATUSES[n % len(STATUSES)]
        users = ["public", "both", "staff"][n % 3]
        slug = f"{stem.lower().replace(' ', '-')}-{agency.slug}-{n}"
        apps.append(upsert(Application, {"slug": slug}, {
            "name": name, "agency": agency, "purpose": purpose, "spbe_code": code,
            "app_type": "umum" if n % 11 == 0 else "khusus",
            "url": f"http://127.0.0.1:8000/healthz?app={n}" if status in ("live", "retired") else "",
            "hosting": ["pusat_data", "pusat_data", "cloud", "agency", "pdn"][n % 5], "technology": TECH[n % len(TECH)],
            "personal_data": n % 2 == 0, "classification": ["internal", "limited", "public"][n % 3], "status": status,
            "users": users, "year": 2016 + n % 10, "budget_line": f"5.2.2.{n % 9:02d}.{n:03d}",
            "last_security_test": (timezone.localdate() - timedelta(days=30 * (n % 14))) if n % 4 else None,
            "approval_reference": f"B-{200 + n}/KOMINFO/2025" if 2016 + n % 10 >= 2025 else "",
            "probe_keyword": "ok" if n % 7 == 0 else "",
            "domain_expires_on": timezone.localdate() + timedelta(days=20) if n == 12 else None,
        }))
    log(f"  {len(apps)} applications")
    return apps


def _history(rng: random.Random, apps: list[Application], log: Callable[[str], None]) -> None:
    now = timezone.now()
    today = now.astimezone(LOCAL_TZ).date()
    targets = [a for a in apps if a.status == "live" and a.users != "staff" and a.url]
    DailyUptime.objects.filter(application__in=targets).delete()
    ProbeResult.objects.filter(application__in=targets).delete()
    rows = []
    for app in targets:
        flaky = app.pk % 5 == 0
        for back in range(30, 0, -1):
            checks = 288
            down = rng.choice([0, 0, 0, 1, 2]) + (rng.randint(5, 40) if flaky and back % 6 == 0 else 0)
            rows.append(DailyUptime(application=app, day=today - timedelta(days=back), checks=checks,
                                    up=checks - down, total_ms=(checks - down) * rng.randint(80, 900)))
    DailyUptime.objects.bulk_create(rows, batch_size=1000)
    probes = []
    for app in targets:
        for hour in range(24, 0, -1):
            is_up = not (app.pk % 5 == 0 and hour < 2)
            probes.append(ProbeResult(application=app, checked_at=now - timedelta(hours=hour), is_up=is_up,
                                      status_code=200 if is_up else 503, response_ms=rng.randint(60, 900) if is_up else None,
                                      error="" if is_up else "HTTP 503"))
    ProbeResult.objects.bulk_create(probes, batch_size=1000)
    for app in targets:
        day = DailyUptime.objects.filter(application=app, day=today).first()
        ups = sum(1 for p in probes if p.application_id == app.pk and p.checked_at.astimezone(LOCAL_TZ).date() == today
                  and p.is_up)
        total = sum(1 for p in probes if p.application_id == app.pk and p.checked_at.astimezone(LOCAL_TZ).date() == today)
        if total and day is None:
            DailyUptime.objects.create(application=app, day=today, checks=total, up=ups, total_ms=ups * 300)
    log(f"  a month of probe history for {len(targets)} live public applications")


def _tickets(log: Callable[[str], None]) -> None:
    from balai.cases.commands import CaseCommand
    from balai.cases.services import case_transition
    from balai.ict.services import DeskRequest, decide_approval, desk_submit, notice_open, notice_update

    requester = User.objects.filter(email="operator@demo.balai.id").first()
    head = User.objects.filter(email="head@demo.balai.id").first()
    agent = User.objects.filter(email="ict_agent@demo.balai.id").first()
    agency = Agency.objects.filter(slug="dpmptsp").first()
    services = {s.code: s for s in Service.objects.filter(kind=Service.Kind.ICT)}
    if None in (requester, head, agent, agency) or "tik-gangguan" not in services:
        return
    from balai.cases.models import Case

    if Case.objects.filter(kind="ict_request", citizen=requester).exists():
        log("  desk tickets already there")
        return
    now = timezone.now()

    def ticket(code: str, title: str, days_ago: int, **kw):
        at = now - timedelta(days=days_ago, hours=1)
        return desk_submit(DeskRequest(service=services[code], requester=requester, agency_id=agency.pk,
                                       title=title, submitted_at=at, answers=_answers(services[code]),
                                       files=_demo_files(services[code]), **kw)), at

    def act(case, action, at, actor=agent, **kw):
        return case_transition(case, CaseCommand(action=action, actor=actor, at=at, **kw))

    made = []
    case, at = ticket("tik-gangguan", "Aplikasi perizinan tidak bisa dibuka", 0, impact="high", urgency="high",
                      on_behalf_of="Kepala Bidang Perizinan")
    made.append(case)  # submitted, P1
    case, at = ticket("tik-gangguan", "Printer jaringan lantai 2 mati", 2, impact="low", urgency="medium")
    act(case, "start", at + timedelta(hours=1))
    made.append(case)  # in progress, P4
    case, at = ticket("tik-gangguan", "E-mail dinas tidak bisa kirim lampiran", 3, impact="medium", urgency="medium")
    act(case, "start", at + timedelta(minutes=40))
    act(case, "request_info", at + timedelta(hours=2), body="Mohon kirim tangkapan layar pesan galatnya.")
    made.append(case)  # waiting for the requester, P3
    case, at = ticket("tik-gangguan", "Wi-Fi ruang rapat lambat", 6, impact="medium", urgency="high")
    act(case, "start", at + timedelta(minutes=30))
    act(case, "resolve", at + timedelta(hours=3), body="Titik akses diganti. Mohon konfirmasi.")
    made.append(case)  # resolved, P2
    case, at = ticket("tik-email-resmi", "Akun e-mail untuk pegawai baru", 9)
    act(case, "start", at + timedelta(hours=2))
    act(case, "resolve", at + timedelta(days=1), body="Akun sudah dibuat; kata sandi dikirim terpisah.")
    act(case, "accept", at + timedelta(days=2), actor=requester)
    made.append(case)  # closed
    case, at = ticket("tik-video-conference", "Video conference rapat koordinasi", 8)
    act(case, "reject", at + timedelta(hours=3), reason="Jadwal bentrok dengan pemeliharaan; ajukan tanggal lain.")
    made.append(case)  # rejected
    case, at = ticket("tik-subdomain-go-id", "Subdomain oss-kaltim", 1)
    made.append(case)  # waiting for the agency head's approval
    case, at = ticket("tik-subdomain-go-id", "Subdomain perizinan", 4)
    decide_approval(case=case, actor=head, approve=True, note="Setuju.", at=at + timedelta(hours=2))
    act(case, "start", at + timedelta(hours=4))
    made.append(case)  # approved and in progress
    case, at = ticket("tik-aplikasi-baru", "Usulan aplikasi kepegawaian DPMPTSP", 2, proposal={
        "name": "E-Pegawai DPMPTSP", "spbe_code": "RAB.03.02",
        "purpose": "Mengelola data kepegawaian ASN DPMPTSP: cuti, absensi dan kenaikan pangkat."})
    made.append(case)  # proposal with near-duplicates, waiting for approval
    case, at = ticket("tik-insiden-siber", "Tampilan situs DPMPTSP berubah (deface)", 1, impact="high",
                      urgency="high", security={"asset": "dpmptsp.kaltimprov.go.id (server web)",
                                                "taxonomy": "intrusions", "tlp": "TLP:AMBER",
                                                "impact_text": "Halaman depan diganti; layanan perizinan daring ikut terhenti."})
    act(case, "start", at + timedelta(minutes=20))
    made.append(case)
    inc = notice_open(actor=agent, kind="incident", title="Situs DPMPTSP tidak dapat diakses", case=case,
                      body="Kami sedang menangani gangguan keamanan pada situs ini.", starts_at=at + timedelta(minutes=30))
    notice_update(actor=agent, notice=inc, body="Situs dialihkan ke halaman pemeliharaan; data pemohon aman.",
                  at=at + timedelta(hours=2))
    StatusNotice.objects.filter(kind="maintenance", title__startswith="Pemeliharaan").delete()
    notice_open(actor=agent, kind="maintenance", title="Pemeliharaan jaringan pusat data",
                body="Layanan yang dihosting di pusat data tidak tersedia sekitar 1 jam.",
                starts_at=now + timedelta(days=3, hours=12), ends_at=now + timedelta(days=3, hours=13))
    log(f"  {len(made)} desk tickets in every state, 2 status notices")


def _demo_files(service: Service) -> dict:
    from balai.ops.demo.cases import _demo_files as files

    return files(service)


def _answers(service: Service) -> dict:
    from balai.ops.demo.cases import _demo_answers

    answers = _demo_answers(service)
    answers.update({"agency_name": "DPMPTSP Provinsi Kalimantan Timur", "officer_name": "Rina Oktaviani",
                    "nip": "199001012015032001", "phone": "081250000011", "full_name": "Rina Oktaviani",
                    "organisation": "DPMPTSP Provinsi Kalimantan Timur"})
    return {k: v for k, v in answers.items() if k in {f["name"] for f in service.form_definition or []}
            and next(f for f in service.form_definition if f["name"] == k).get("type") != "file"}


def load(*, log: Callable[[str], None]) -> None:
    rng = random.Random(SEED)  # nosec B311 # repeatable demo data, not security
    _profiles(log)
    _staff(log)
    apps = _applications(rng, log)
    _history(rng, apps, log)
    _tickets(log)
