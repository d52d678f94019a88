"""Demo step: several hundred cases of every kind, replayed through the real engine.

Every case is submitted with `case_submit` and moved with `case_transition` at explicit past moments
(`submitted_at=` / `at=`), so deadlines, pauses, timelines, audit records and messages are exactly what
the engine would have produced. Timestamps spread over the last 12 months, in office hours on working
days. Marked with `extra={"demo": True}`; the step does nothing when demo cases exist (idempotent).
Seeded random generator: the same data on every machine. All names and texts are invented.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone

from balai.agencies.models import Agency, Region, Unit
from balai.cases.commands import CaseCommand
from balai.cases.errors import CaseError
from balai.cases.models import Case
from balai.cases.submission import Submission
from balai.catalog.models import ComplaintCategory, Service
from balai.catalog.selectors import offered_on
from balai.ops.demo.people import VIA
from balai.ops.demo.ppid import privacy_test_for
from balai.people.models import User
from balai.people.services import membership_grant, user_create
from balai.worktime.calendar import add_working_days, is_working_day

TOTAL = 420
SEED = 2026
DOMAIN = "demo.balai.id"

FIRST = ["Siti", "Budi", "Ahmad", "Dewi", "Rahmat", "Nur", "Agus", "Rina", "Hendra", "Yuliana", "Muhammad",
         "Fitri", "Andi", "Sri", "Bambang", "Wahyuni", "Dayang", "Aji", "Intan", "Rusdi", "Lina", "Fransiskus",
         "Maria", "Yohanes", "Ketut", "Made", "Syahrani", "Hairul", "Norhayati", "Samsul"]
LAST = ["Rahmawati", "Santoso", "Hidayat", "Lestari", "Saputra", "Aisyah", "Wijaya", "Kurniawan", "Pratama",
        "Anggraini", "Syahputra", "Nugroho", "Handayani", "Setiawan", "Susanti", "Ramadhan", "Kartika",
        "Effendi", "Purnamasari", "Tambunan", "Lumban Gaol", "Ngau", "Ajang", "Bilung"]
PLACES = ["Jl. Juanda", "Jl. Pramuka", "Jl. M.T. Haryono", "Jl. Sudirman", "Jl. Ahmad Yani", "Jl. Gatot Subroto",
          "Jl. Pangeran Antasari", "Jl. D.I. Panjaitan", "Jl. Letjen Suprapto", "Jl. Kusuma Bangsa"]

SERVICE_TEXTS = [
    ("Permohonan {s}", "Saya mengajukan permohonan {s}. Berkas sudah saya unggah lengkap sesuai persyaratan."),
    ("Pengajuan {s} untuk usaha keluarga", "Mohon diproses, usaha kami di {p} membutuhkan {s} segera."),
    ("{s} atas nama saya", "Permohonan ini saya ajukan sendiri. Bila ada kekurangan berkas mohon dikabari lewat SMS."),
]
COMPLAINTS = [
    ("Jalan berlubang di {p}", "Lubang besar di {p} sudah dua bulan belum diperbaiki. Sudah ada pengendara motor "
     "yang jatuh malam hari karena tidak ada penerangan."),
    ("Lampu penerangan jalan mati", "Lampu jalan di {p} mati sejak tiga minggu. Warga khawatir karena rawan "
     "kecelakaan dan pencurian."),
    ("Sampah menumpuk di TPS", "TPS di dekat pasar {p} tidak diangkut seminggu, baunya sampai ke rumah warga."),
    ("Pelayanan puskesmas lambat", "Antrean di puskesmas sangat panjang, petugas pendaftaran hanya satu orang. "
     "Ibu saya menunggu empat jam."),
    ("Banjir setiap hujan deras", "Drainase di {p} tersumbat sehingga air masuk ke rumah setiap hujan deras."),
    ("Pungutan di sekolah", "Sekolah anak saya meminta uang seragam dan buku di luar ketentuan. Mohon ditindaklanjuti."),
    ("Air PDAM keruh", "Air dari PDAM di {p} keruh dan berbau selama seminggu terakhir."),
    ("Izin usaha tidak kunjung terbit", "Sudah lewat waktu yang dijanjikan, izin usaha saya belum terbit dan "
     "tidak ada kabar."),
]
ASPIRATIONS = [
    ("Usulan taman bermain anak", "Kami mengusulkan lahan kosong di {p} dijadikan taman bermain anak dan "
     "ruang terbuka hijau."),
    ("Usulan angkutan umum ke desa", "Mohon ada angkutan umum dari desa kami ke pusat kecamatan, terutama untuk "
     "anak sekolah."),
    ("Pelatihan UMKM untuk ibu rumah tangga", "Kami berharap ada pelatihan pemasaran daring untuk UMKM di "
     "kelurahan kami."),
    ("Perpustakaan keliling", "Usul agar perpustakaan keliling kembali datang ke desa-desa di pedalaman."),
]
INFORMATION = [
    ("Salinan DPA tahun berjalan", "Saya meminta salinan Dokumen Pelaksanaan Anggaran dinas tahun ini dalam "
     "bentuk PDF untuk penelitian skripsi."),
    ("Data penerima bantuan sosial per kecamatan", "Mohon data jumlah penerima bantuan sosial per kecamatan, "
     "tanpa data pribadi, format CSV."),
    ("Laporan realisasi pembangunan jalan", "Saya meminta laporan realisasi proyek peningkatan jalan di {p}."),
    ("SOP pelayanan perizinan", "Mohon salinan standar operasional prosedur pelayanan perizinan yang berlaku."),
]
ICT = [
    ("Permintaan {s}", "Bidang kami membutuhkan {s}. Penanggung jawab dapat dihubungi melalui e-mail dinas."),
    ("{s} untuk kegiatan rapat koordinasi", "Mohon dukungan {s} untuk rapat koordinasi minggu depan."),
    ("Gangguan terkait {s}", "Terjadi gangguan sejak pagi, mohon segera dibantu."),
]
ANSWERS = [
    "Terima kasih atas laporan Bapak/Ibu. Tim kami sudah turun ke lokasi dan perbaikan telah dilakukan.",
    "Laporan sudah kami teruskan ke UPTD terkait dan dijadwalkan dalam anggaran perubahan tahun ini.",
    "Permintaan informasi kami penuhi. Dokumen terlampir dan dapat diunduh melalui tautan pada pesan ini.",
    "Pekerjaan telah selesai. Silakan konfirmasi apabila masih ada kendala.",
]
QUESTIONS = ["Mohon lengkapi fotokopi KTP dan KK yang masih terbaca jelas.",
             "Mohon kirim foto lokasi dan titik koordinat yang lebih tepat.",
             "Mohon sebutkan format dokumen yang Bapak/Ibu inginkan."]
REPLIES = ["Sudah saya kirim lewat portal, terima kasih.", "Foto lokasi sudah saya lampirkan.",
           "Format PDF saja, terima kasih."]
CHANNELS = [("web", 45), ("sms", 14), ("whatsapp", 16), ("counter", 14), ("email", 5), ("api", 6)]
ACCOMMODATIONS = ["wheelchair", "sign_language", "home_visit", "reading_help", "large_print", "braille",
                  "audio", "regional_language"]

# Paths through each workflow: (action, what it needs). A case follows a prefix of one path, longer for
# older cases.
PATHS: dict[str, list[tuple[int, list[str]]]] = {
    "service_request": [(55, ["verify", "start", "complete"]),
                        (20, ["verify", "request_info", "citizen_reply", "complete"]),
                        (10, ["reject"]), (8, ["verify", "start", "note", "complete"]),
                        (7, ["assign", "verify", "start", "complete", "reopen", "complete"])],
    "complaint": [(40, ["verify", "start", "answer", "accept"]), (25, ["verify", "start", "answer"]),
                  (10, ["dispose", "verify", "answer", "dispute", "answer", "accept"]),
                  (10, ["verify", "request_info", "citizen_reply", "answer"]), (8, ["reject"]),
                  (7, ["note", "verify", "escalate", "start", "answer", "accept"])],
    "aspiration": [(60, ["verify", "start", "answer"]), (30, ["verify", "answer", "accept"]), (10, ["reject"])],
    "information_request": [(45, ["start", "answer"]), (20, ["start", "extend", "answer", "accept"]),
                            (15, ["start", "refuse", "object", "answer_objection"]),
                            (10, ["request_info", "citizen_reply", "answer"]), (10, ["start"])],
    "ict_request": [(50, ["start", "resolve", "accept"]), (25, ["start", "request_info", "citizen_reply", "resolve"]),
                    (15, ["start", "resolve"]), (10, ["reject"])],
}
KIND_WEIGHTS = [("service_request", 36), ("complaint", 28), ("aspiration", 9), ("information_request", 14),
                ("ict_request", 13)]
ROLE_FOR = {  # which officer takes each staff action, per kind group
    "default": {"verify": "verifier", "start": "operator", "complete": "operator", "reject": "verifier",
                "request_info": "operator", "answer": "operator", "dispose": "head", "assign": "head",
                "note": "operator", "escalate": "head"},
    "information_request": {"start": "ppid", "answer": "ppid", "extend": "ppid", "refuse": "ppid",
                            "request_info": "ppid", "answer_objection": "head", "note": "ppid"},
    "ict_request": {"start": "ict_agent", "resolve": "ict_agent", "reject": "head", "request_info": "ict_agent",
                    "note": "ict_agent"},
}
CITIZEN_ACTIONS = {"citizen_reply", "accept", "dispute", "reopen", "object", "object_late"}


def _weighted(rng: random.Random, items: list[tuple[Any, int]]) -> Any:
    return rng.choices([i for i, _w in items], weights=[w for _i, w in items])[0]


def _office_moment(rng: random.Random, day: datetime) -> datetime:
    local = timezone.localtime(day)
    d = local.date()
    for _i in range(15):
        if is_working_day(d):
            break
        d += timedelta(days=1)
    return datetime.combine(d, time(rng.randint(8, 14), rng.randint(0, 59)), tzinfo=local.tzinfo)


class _Officers:
    """Demo officers per unit and role (created on demand, no usable password: they only sign the demo)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.cache: dict[tuple[int, str], User] = {}

    def get(self, unit: Unit, role: str) -> User:
        key = (unit.pk, role)
        if key not in self.cache:
            existing = (User.objects.filter(memberships__unit=unit, memberships__role=role,
                                            memberships__is_active=True, is_active=True).order_by("pk").first())
            if existing is None:
                email = f"petugas.{unit.agency.slug}.{unit.slug}.{role}@{DOMAIN}"[:254]
                existing = User.objects.filter(email=email).first()
                if existing is None:  # through the audited services, as every account and role (ADR 0015)
                    existing = user_create(actor=None, email=email, is_staff=True, via=VIA,
                                           full_name=f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}")
                membership_grant(user=existing, unit=unit, role=role, via=VIA)
            self.cache[key] = existing
        return self.cache[key]


def _submit_kwargs(rng: random.Random, kind: str, pools: dict[str, list[Any]], names: dict[str, str],
                   counter_officer: User | None) -> dict[str, Any] | None:
    region = rng.choice(pools["regions"]) if pools["regions"] else None
    place = f"{rng.choice(PLACES)}, {region.name.title()}" if region else rng.choice(PLACES)
    kw: dict[str, Any] = {"region": region, "location_text": place if kind in ("complaint", "aspiration") else ""}
    if kind in ("service_request", "ict_request"):
        pool = pools["services"] if kind == "service_request" else pools["ict"]
        if not pool:
            return None
        service = rng.choice(pool)
        title, body = rng.choice(SERVICE_TEXTS if kind == "service_request" else ICT)
        kw.update(service=service, title=title.format(s=service.name_id)[:200], description=body.format(
            s=service.name_id, p=place), answers=_demo_answers(service), files=_demo_files(service))
    elif kind in ("complaint", "aspiration"):
        if not pools["categories"]:
            return None
        kw["complaint_category"] = rng.choice(pools["categories"])
        title, body = rng.choice(COMPLAINTS if kind == "complaint" else ASPIRATIONS)
        kw.update(title=title.format(p=place), description=body.format(p=place))
    else:
        if not pools["ppid_agencies"]:
            return None
        kw["agency"] = rng.choice(pools["ppid_agencies"])
        title, body = rng.choice(INFORMATION)
        kw.update(title=title, description=body.format(p=place))
    channel = _weighted(rng, CHANNELS)
    if kind == "ict_request":
        channel = rng.choice(["web", "web", "email"])
    service = kw.get("service")
    if service is not None and not offered_on(service, channel):  # only the channels the service offers
        channel = rng.choice([c for c in service.channels if c in dict(CHANNELS)] or ["counter"])
    confidentiality = "public"
    roll = rng.random()
    if kind in ("complaint", "aspiration") and roll < 0.12:
        confidentiality = "anonymous"
    elif roll < 0.27 and kind != "information_request":
        confidentiality = "confidential"
    accommodations = rng.sample(ACCOMMODATIONS, rng.choice([1, 1, 2])) if rng.random() < 0.13 else []
    phone = f"+628125{rng.randint(1000000, 9999999)}"
    contact_channel = {"whatsapp": "whatsapp", "email": "email"}.get(channel, "sms")
    kw.update(
        channel=channel, contact_name=names["name"], contact_phone=phone,
        contact_email=f"{names['login']}@contoh.id" if contact_channel == "email" or rng.random() < 0.3 else "",
        contact_address=f"{rng.choice(PLACES)} No. {rng.randint(1, 120)}", contact_channel=contact_channel,
        language="en" if rng.random() < 0.04 else "id", confidentiality=confidentiality,
        accommodations=accommodations,
        accommodation_note="Mohon petugas datang ke rumah, saya memakai kursi roda." if "home_visit" in
        accommodations else "",
        registered_by=counter_officer if channel == "counter" else None,
    )
    if region is not None and kind in ("complaint", "aspiration") and rng.random() < 0.5:
        kw.update(latitude=round(-0.5 + rng.random() * 1.2, 6), longitude=round(116.8 + rng.random() * 0.7, 6))
    return kw


# A one-page PDF, for the form's required file fields.
DEMO_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>"
            b"endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n"
            b"%%EOF\n")


def _demo_files(service: Service) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {f["name"]: SimpleUploadedFile(f"{f['name']}.pdf", DEMO_PDF, content_type="application/pdf")
            for f in service.form_definition or [] if f.get("type") == "file" and f.get("required")}


def _demo_answers(service: Service) -> dict[str, Any]:
    """Plausible answers for the service's required fields (the validator cleans them)."""
    out: dict[str, Any] = {}
    for field in service.form_definition or []:
        if not field.get("required"):
            continue
        t = field.get("type")
        name = field["name"]
        limit = field.get("max_length") or 200
        if t == "choice" and field.get("choices"):
            out[name] = field["choices"][0]["value"]
        elif t == "number":
            out[name] = str(field.get("min") or 1)
        elif t == "boolean":
            out[name] = True
        elif t == "date":
            out[name] = "2025-01-15"
        elif t == "nik":
            out[name] = "6472015205900001"
        elif t == "phone":
            out[name] = "081250000001"
        elif t in ("text", "textarea"):
            out[name] = "KT 1234 AB" if limit < 17 else "Data pemohon demo"
        elif t == "region":
            out[name] = "64.72"
        elif t == "location":
            out[name] = "-0.502106,117.153709"
    return out


def _act(case: Case, action: str, at: datetime, officers: _Officers, rng: random.Random,
         pools: dict[str, list[Any]]) -> Case:
    from balai.cases.services import case_transition

    kw: dict[str, Any] = {"case": case, "action": action, "at": at}
    if action in CITIZEN_ACTIONS:
        kw.update(actor=None, channel=case.channel if case.channel != "counter" else "web")
    else:
        roles = ROLE_FOR.get(case.kind, ROLE_FOR["default"])
        role = roles.get(action) or ROLE_FOR["default"].get(action, "operator")
        kw["actor"] = officers.get(case.unit, role)
    if action in ("reject", "dispute", "reopen", "object", "extend", "escalate"):
        kw["reason"] = {
            "reject": "Berkas tidak memenuhi persyaratan dan sudah dua kali diminta dilengkapi.",
            "dispute": "Setelah dicek, masalahnya belum selesai di lapangan.",
            "reopen": "Dokumen yang diterbitkan ada salah ketik nama.",
            "object": "Informasi yang diberikan tidak sesuai yang diminta (UU 14/2008 pasal 35).",
            "extend": "Data berada di tiga bidang dan perlu dihimpun; diperpanjang 7 hari kerja.",
            "escalate": "Perlu keputusan kepala karena melibatkan anggaran.",
        }[action]
    if action in ("answer", "resolve", "answer_objection"):
        kw["body"] = rng.choice(ANSWERS)
    if action == "request_info":
        kw["body"] = rng.choice(QUESTIONS)
    if action == "citizen_reply":
        kw["body"] = rng.choice(REPLIES)
    if action == "note":
        kw["body"] = "Sudah dikoordinasikan dengan bidang teknis, menunggu jadwal survei."
    if action == "refuse":
        kw["data"] = {"consequence_test": privacy_test_for(case.agency).number}  # docs/regulations.md §11
        kw.update(exemption="17h", reason="Memuat data pribadi penerima; membukanya merugikan hak privasi "
                  "mereka lebih besar daripada manfaatnya bagi publik (uji konsekuensi).")
    if action == "assign":
        kw["assignee"] = officers.get(case.unit, "operator")
    if action == "dispose":
        others = [u for u in pools["units_by_agency"].get(case.agency_id, []) if u.pk != case.unit_id]
        if not others:
            return case
        kw.update(target_unit=rng.choice(others), reason="Substansi laporan menjadi kewenangan bidang lain.")
    case = kw.pop("case")
    return case_transition(case, CaseCommand(**kw))


def load(*, log: Callable[[str], None]) -> None:
    from balai.cases.deadlines import sweep
    from balai.cases.services import case_submit

    if Case.objects.filter(extra__demo=True).exists():
        log("  demo cases exist; skipped")
        return
    rng = random.Random(SEED)  # nosec B311 # repeatable demo data, not security
    now = timezone.now()
    pools: dict[str, Any] = {
        "services": list(Service.objects.filter(kind=Service.Kind.SERVICE, is_published=True).select_related(
            "agency", "unit")),
        "ict": list(Service.objects.filter(kind=Service.Kind.ICT, is_published=True).select_related("agency", "unit")),
        "categories": list(ComplaintCategory.objects.filter(is_active=True)),
        "ppid_agencies": list(Agency.objects.filter(units__kind=Unit.Kind.PPID, is_active=True).distinct()),
        "regions": list(Region.objects.filter(level__in=["district", "regency", "city"], code__startswith="64")),
        "units_by_agency": {},
    }
    for unit in Unit.objects.filter(is_active=True).exclude(kind=Unit.Kind.PPID):
        pools["units_by_agency"].setdefault(unit.agency_id, []).append(unit)
    counter_officer = User.objects.filter(memberships__role="counter", is_active=True).order_by("pk").first()
    citizens = list(User.objects.filter(email__startswith="warga", is_staff=False).order_by("pk"))
    officers = _Officers(rng)
    made = failed = 0
    for i in range(TOTAL):
        kind = _weighted(rng, KIND_WEIGHTS)
        first, last = rng.choice(FIRST), rng.choice(LAST)
        names = {"name": f"{first} {last}", "login": f"{first}.{last}".lower().replace(" ", "")}
        kw = _submit_kwargs(rng, kind, pools, names, counter_officer)
        if kw is None:
            continue
        age_days = rng.random() ** 1.3 * 365
        submitted = _office_moment(rng, now - timedelta(days=age_days))
        if submitted >= now:
            submitted = _office_moment(rng, now - timedelta(days=age_days + 3))
        if citizens and rng.random() < 0.05:
            kw["citizen"] = rng.choice(citizens)
        try:
            case = case_submit(Submission(kind=kind, submitted_at=submitted, extra={"demo": True, "n": i}, **kw))
        except Exception as exc:  # noqa: BLE001 - a catalog entry the demo cannot fill: skip it, say so
            failed += 1
            log(f"  skipped a {kind}: {exc}")
            continue
        made += 1
        path = _weighted(rng, [(p, w) for w, p in PATHS[kind]])
        # older cases went further along their path
        steps = len(path) if age_days > 40 else rng.randint(0, len(path))
        at = previous = submitted
        for action in path[:steps]:
            gap = rng.choice([0, 0, 1, 1, 2, 3, 4, 6])
            at = add_working_days(at, gap, government_id=case.government_id) - timedelta(
                minutes=rng.randint(20, 400))
            at = max(at, previous + timedelta(minutes=rng.randint(15, 90)))
            previous = at
            if at >= now:
                break
            try:
                case = _act(case, action, at, officers, rng, pools)
            except CaseError:
                break  # a window closed before the replayed moment: the case stays where it is
    result = sweep(now=now)
    log(f"  {made} demo cases ({failed} skipped); sweep: {result.as_dict()}")
    log(f"  {_starter_work(now, log=log)} fresh cases waiting for the documented demo accounts")


# Fresh work for each documented demo account (README "Demo logins"), submitted today and not yet touched,
# so that each can carry a case from submission to closure: (role, kind, category slug or service code or
# agency slug, title, description).
STARTER_WORK: tuple[tuple[str, str, str, str, str], ...] = (
    ("verifier", "complaint", "perizinan", "Izin usaha belum terbit setelah sebulan",
     "Saya mengajukan izin usaha lewat OSS bulan lalu, statusnya masih diproses tanpa kabar."),
    ("operator", "service_request", "pendampingan-oss", "Pendampingan OSS untuk usaha katering",
     "Mohon pendampingan mengisi data usaha katering rumahan di OSS."),
    ("ict_agent", "complaint", "tik-website", "Formulir di situs dinas tidak bisa dikirim",
     "Tombol kirim pada formulir pengaduan di situs dinas tidak bereaksi."),
    ("ict_agent", "ict_request", "tik-subdomain-go-id", "Subdomain untuk situs UPTD baru",
     "UPTD kami memerlukan alamat situs resmi go.id."),
    ("ppid", "information_request", "diskominfo", "Daftar aplikasi pemerintah provinsi 2025",
     "Mohon daftar aplikasi yang dikelola pemerintah provinsi tahun 2025 beserta unit pengelolanya."),
    ("inspector", "complaint", "korupsi", "Pungutan di loket pelayanan",
     "Petugas meminta uang tambahan di luar tarif resmi saat saya mengurus berkas."),
)


def _starter_work(now: datetime, *, log: Callable[[str], None]) -> int:
    from balai.cases.services import case_submit

    made = 0
    for role, kind, key, title, description in STARTER_WORK:
        kw: dict[str, Any] = {"kind": kind, "channel": "web", "title": title, "description": description,
                              "contact_name": "Siti Aminah", "contact_phone": "+6281250000001",
                              "contact_email": "warga1@demo.balai.id", "contact_address": "Jl. Juanda No. 5, Samarinda",
                              "extra": {"demo": True, "starter": role}}
        if kind == "complaint":
            kw["complaint_category"] = ComplaintCategory.objects.filter(slug=key).first()
        elif kind in ("service_request", "ict_request"):
            service = Service.objects.filter(code=key).first()
            if service is None:
                continue
            kw.update(service=service, answers=_demo_answers(service), files=_demo_files(service))
        else:
            kw["agency"] = Agency.objects.filter(slug=key).first()
            kw["answers"] = {"purpose": "Penelitian tugas akhir", "format": "softcopy", "accessible_formats": [],
                             "delivery": "email"}
        if kw.get("complaint_category", True) is None or kw.get("agency", True) is None:
            continue
        try:
            case_submit(Submission(submitted_at=now, **kw))
        except Exception as exc:  # noqa: BLE001 - a catalog entry the demo cannot fill: skip it, say so
            log(f"  skipped the starter {kind} of {role}: {exc}")
        else:
            made += 1
    return made
