"""Demo step: service categories (SPBE sectors), life events, services with full standards, complaint
categories (like SP4N-LAPOR!'s) with SMS keywords and a few regional routes."""

from __future__ import annotations

from collections.abc import Callable

from balai.agencies.models import Agency, Region, Unit
from balai.catalog.models import (
    ComplaintCategory,
    ComplaintRoute,
    ExternalService,
    LifeEvent,
    Service,
    ServiceCategory,
)
from balai.catalog.selectors import APPLICATION_CHANNELS
from balai.ops.demo._util import bi, upsert
from balai.ops.demo.catalog_data import POPULARITY, SERVICES

# Public-service sectors of the SPBE framework (Perpres 95/2018; docs/regulations.md §8).
CATEGORIES: tuple[tuple[str, str, str], ...] = (
    ("education", "Pendidikan", "Education"),
    ("work-business", "Pekerjaan dan usaha", "Work and business"),
    ("housing", "Tempat tinggal", "Housing"),
    ("communication-information", "Komunikasi dan informatika", "Communication and information"),
    ("environment", "Lingkungan hidup", "Environment"),
    ("health", "Kesehatan", "Health"),
    ("social-security", "Jaminan sosial", "Social security"),
    ("energy", "Energi", "Energy"),
    ("banking", "Perbankan", "Banking"),
    ("transport", "Transportasi", "Transport"),
    ("natural-resources", "Sumber daya alam", "Natural resources"),
    ("tourism", "Pariwisata", "Tourism"),
    ("other", "Lainnya", "Other"),
)

LIFE_EVENTS: tuple[tuple[str, str, str, str, str], ...] = (
    ("having-a-baby", "Memiliki bayi", "Having a baby",
     "Dari kehamilan sampai persalinan yang aman.", "From pregnancy to a safe birth."),
    ("going-to-school", "Bersekolah", "Going to school",
     "Sekolah menengah, sekolah luar biasa dan beasiswa.", "Secondary and special-needs schools, scholarships."),
    ("starting-a-business", "Memulai usaha", "Starting a business",
     "Izin, nomor induk berusaha dan konsultasi investasi.", "Permits, business number and investment advice."),
    ("looking-for-work", "Mencari kerja", "Looking for work",
     "Pelatihan kerja, dokumen pendidikan dan perselisihan kerja.", "Job training, school documents, work disputes."),
    ("owning-a-vehicle", "Memiliki kendaraan", "Owning a vehicle",
     "Pajak kendaraan, balik nama dan keringanan.", "Vehicle tax, ownership transfer and relief."),
    ("facing-a-disaster", "Menghadapi bencana", "Facing a disaster",
     "Bantuan darurat, bantuan sosial dan perbaikan rumah.", "Emergency relief, social assistance and home repair."),
    ("getting-old", "Memasuki usia lanjut", "Getting old",
     "Pensiun, perawatan lansia dan jaminan kesehatan.", "Retirement, care for older people and health coverage."),
)

# (slug, keyword, name_id, name_en, description_id, description_en, agency, unit, working days)
COMPLAINT_CATEGORIES: tuple[tuple, ...] = (
    ("infrastruktur-jalan", "JALAN", "Jalan dan jembatan provinsi", "Provincial roads and bridges",
     "Jalan berlubang, jembatan rusak, drainase tersumbat di jalan provinsi.",
     "Potholes, damaged bridges, blocked drains on provincial roads.", "pupr", "bina-marga", 30),
    ("kesehatan", "SEHAT", "Kesehatan", "Health",
     "Pelayanan rumah sakit dan puskesmas, obat, jaminan kesehatan.",
     "Hospital and health-centre services, medicines, health coverage.", "dinkes", "yankes", 30),
    ("pendidikan", "SEKOLAH", "Pendidikan", "Education",
     "SMA, SMK, SLB: pungutan, fasilitas, penerimaan siswa, guru.",
     "Senior high, vocational and special schools: fees, facilities, admissions, teachers.", "disdikbud", "sma", 30),
    ("ketertiban-umum", "TERTIB", "Ketenteraman dan ketertiban umum", "Public order",
     "Gangguan ketertiban, pelanggaran peraturan daerah, bangunan liar.",
     "Disturbances, breaches of regional regulations, illegal buildings.", "satpol-pp", "tibum", 14),
    ("korupsi", "KORUPSI", "Dugaan korupsi dan pungutan liar", "Suspected corruption and illegal fees",
     "Suap, pungli, penyalahgunaan wewenang oleh aparatur pemerintah provinsi. Identitas pelapor dilindungi.",
     "Bribes, illegal fees, abuse of power by provincial officials. The reporter's identity is protected.",
     "inspektorat", "irban-investigasi", 60),
    ("kualitas-pelayanan", "LAYANAN", "Kualitas pelayanan publik", "Quality of public services",
     "Petugas tidak ramah, antrean lama, layanan melebihi waktu yang dijanjikan.",
     "Unfriendly staff, long queues, services later than promised.", "inspektorat", "irban-1", 30),
    ("lingkungan", "LINGKUNGAN", "Lingkungan hidup", "Environment",
     "Pencemaran sungai dan udara, limbah tambang, kebakaran lahan.",
     "River and air pollution, mining waste, land fires.", "dlh", "gakkum", 30),
    ("transportasi", "ANGKUTAN", "Transportasi", "Transport",
     "Angkutan antarkota, terminal, penyeberangan, rambu dan lampu lalu lintas jalan provinsi.",
     "Intercity transport, terminals, ferries, signs and traffic lights on provincial roads.", "dishub", "llaj", 30),
    ("bantuan-sosial", "BANSOS", "Bantuan sosial", "Social assistance",
     "Bantuan tidak tepat sasaran, belum diterima, atau dipotong.",
     "Assistance going to the wrong people, not received, or cut.", "dinsos", "linjamsos", 30),
    ("perizinan", "IZIN", "Perizinan dan investasi", "Permits and investment",
     "Izin lama terbit, persyaratan tidak jelas, pungutan di luar ketentuan.",
     "Slow permits, unclear requirements, unofficial charges.", "dpmptsp", "pengaduan", 30),
    ("tik-website", "WEB", "Situs dan aplikasi pemerintah", "Government websites and apps",
     "Situs tidak bisa dibuka, aplikasi error, informasi tidak mutakhir.",
     "Website down, app errors, out-of-date information.", "diskominfo", "aptika", 14),
    ("bencana", "BENCANA", "Bencana", "Disasters",
     "Laporan banjir, longsor, kebakaran hutan dan lahan, kebutuhan pengungsi.",
     "Reports of floods, landslides, forest fires and evacuees' needs.", "bpbd", "kedaruratan", 7),
    ("pajak-kendaraan", "PAJAK", "Pajak kendaraan", "Vehicle tax",
     "Layanan Samsat, perhitungan pajak, denda.", "Samsat services, tax calculation, fines.", "bapenda", "pajak", 14),
    ("ketenagakerjaan", "KERJA", "Ketenagakerjaan", "Employment",
     "Upah di bawah ketentuan, keselamatan kerja, PHK sepihak.",
     "Wages below the minimum, workplace safety, unfair dismissal.", "disnakertrans", "hubungan-industrial", 30),
)

# (category slug, region code, agency, unit): regional routes (a UPTD closer to the citizen).
COMPLAINT_ROUTES: tuple[tuple[str, str, str, str], ...] = (
    ("infrastruktur-jalan", "64.03", "pupr", "uptd-jalan-utara"),   # Kab. Berau
    ("infrastruktur-jalan", "64.08", "pupr", "uptd-jalan-utara"),   # Kab. Kutai Timur
    ("infrastruktur-jalan", "64.01", "pupr", "uptd-jalan-selatan"),  # Kab. Paser
    ("infrastruktur-jalan", "64.09", "pupr", "uptd-jalan-selatan"),  # Kab. Penajam Paser Utara
    ("pajak-kendaraan", "64.72", "bapenda", "uptd-pprd-samarinda"),
    ("pajak-kendaraan", "64.71", "bapenda", "uptd-pprd-balikpapan"),
    ("pajak-kendaraan", "64.74", "bapenda", "uptd-pprd-bontang"),
    ("pajak-kendaraan", "64.02", "bapenda", "uptd-pprd-tenggarong"),
)

# Services people look for here that other governments provide (the catalog links there).
# (code, name id, name en, provider id, provider en, summary id, summary en, url, search words)
EXTERNAL_SERVICES: tuple[tuple[str, ...], ...] = (
    ("ktp-el", "KTP elektronik (KTP-el)", "Electronic identity card (KTP-el)",
     "Disdukcapil kabupaten/kota tempat Anda tinggal", "the Disdukcapil of your regency or city",
     "Perekaman, cetak ulang, dan perubahan data KTP-el diurus di Disdukcapil kabupaten/kota, bukan provinsi.",
     "Recording, reprinting and changing a KTP-el is done by the regency or city Disdukcapil, not the province.",
     "https://dukcapil.kemendagri.go.id/", "ktp ktp-el e-ktp ektp kartu tanda penduduk identity card"),
    ("kartu-keluarga", "Kartu Keluarga (KK)", "Family card (KK)",
     "Disdukcapil kabupaten/kota tempat Anda tinggal", "the Disdukcapil of your regency or city",
     "Pembuatan dan perubahan Kartu Keluarga.", "Issuing and changing a family card.",
     "https://dukcapil.kemendagri.go.id/", "kk kartu keluarga family card"),
    ("sim", "Surat Izin Mengemudi (SIM)", "Driving licence (SIM)", "Satlantas Polres setempat",
     "the local police traffic unit (Satlantas Polres)", "", "",
     "https://korlantas.polri.go.id/", "sim driving licence license mengemudi"),
    ("paspor", "Paspor", "Passport", "Kantor Imigrasi", "the Immigration Office", "", "",
     "https://www.imigrasi.go.id/", "paspor passport imigrasi"),
)

CHANNEL_NAMES = {"web": ("situs Balai", "the Balai website"), "counter": ("loket", "the counter"),
                 "sms": ("SMS", "SMS"), "whatsapp": ("WhatsApp", "WhatsApp"), "email": ("e-mail", "e-mail"),
                 "api": ("API", "API")}


def _rupiah(amount: int) -> str:
    return f"Rp{amount:,}".replace(",", ".")


def _channels_text(codes: list[str], lang: str) -> str:
    names = [CHANNEL_NAMES[c][0 if lang == "id" else 1] for c in codes]
    joiner = " atau " if lang == "id" else " or "
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + joiner + names[-1]


def build_standard(entry: dict, *, unit: Unit) -> dict[str, dict[str, str]]:
    """The 14 Standar Pelayanan components (PermenPANRB 15/2014) of one demo service, in both languages."""
    days, fee = entry["days"], entry.get("fee", 0)
    channels = [c for c in entry["channels"].split() if c in APPLICATION_CHANNELS]
    fee_note = entry.get("fee_note", ("", ""))
    ict = entry.get("kind") == "ict"
    requirements = entry["req"]
    staff = entry["staff"]
    complaint_channel = (("service desk TIK Diskominfo", "the Diskominfo ICT service desk") if ict
                         else ("SMS dengan kata kunci LAYANAN", "SMS with the keyword LAYANAN"))
    return {
        "requirements": bi("; ".join(f"{n}. {r[0]}" for n, r in enumerate(requirements, 1)) + ".",
                           "; ".join(f"{n}. {r[1]}" for n, r in enumerate(requirements, 1)) + "."),
        "procedure": bi(
            f"1. Ajukan permohonan melalui {_channels_text(channels, 'id')} dan isi formulir. "
            "2. Petugas memeriksa kelengkapan berkas paling lama 1 hari kerja; bila ada yang kurang, Anda dihubungi. "
            f"3. Permohonan diproses oleh {unit.name_id}. "
            "4. Hasil disampaikan melalui kanal pilihan Anda; status dapat dilacak dengan kode pelacakan.",
            f"1. Apply through {_channels_text(channels, 'en')} and fill in the form. "
            "2. Staff check the documents within 1 working day and contact you if anything is missing. "
            f"3. {unit.name_en or unit.name_id} handles the application. "
            "4. You receive the result through the channel you chose and can follow it with your tracking code."),
        "time_limit": bi(f"{days} hari kerja sejak berkas dinyatakan lengkap.",
                         f"{days} working day{'s' if days != 1 else ''} after the application is complete."),
        "fee": (bi("Gratis, tidak dipungut biaya.", "Free of charge.") if not fee else
                bi(f"{_rupiah(fee)}. {fee_note[0]}", f"{_rupiah(fee)}. {fee_note[1]}")),
        "product": bi(*entry["product"]),
        "complaints": bi(
            f"Sampaikan pengaduan, saran dan masukan melalui Balai (situs, {complaint_channel[0]}, WhatsApp), "
            "SP4N-LAPOR!, kotak saran di loket, atau langsung kepada petugas pengaduan. Setiap pengaduan dijawab.",
            f"Send complaints, suggestions and feedback through Balai (website, {complaint_channel[1]}, WhatsApp), "
            "SP4N-LAPOR!, the suggestion box at the counter, or the complaints officer. Every complaint is answered."),
        "legal_basis": bi(f"UU 25/2009 tentang Pelayanan Publik; {entry['legal'][0]}.",
                          f"Law 25/2009 on Public Services; {entry['legal'][1]}."),
        "facilities": bi(
            "Ruang pelayanan dan ruang tunggu, jalur kursi roda dan toilet ramah disabilitas, komputer dan jaringan "
            "internet, layanan daring Balai, formulir cetak huruf besar.",
            "Service room and waiting area, wheelchair access and accessible toilets, computers and internet, the "
            "Balai online service, large-print forms."),
        "competence": bi(
            "Pelaksana memahami peraturan layanan ini, mampu menggunakan aplikasi Balai, dan melayani dengan ramah, "
            "termasuk warga penyandang disabilitas dan lanjut usia.",
            "Staff know the rules of this service, can use the Balai application, and serve everyone kindly, "
            "including people with disabilities and older people."),
        "internal_oversight": bi(
            "Pengawasan berjenjang oleh atasan langsung dan oleh Inspektorat Daerah Provinsi Kalimantan Timur.",
            "Supervision by line managers and by the Regional Inspectorate of East Kalimantan Province."),
        "staffing": bi(f"{staff} orang pelaksana.", f"{staff} staff members."),
        "service_guarantee": bi(
            f"Layanan diberikan sesuai standar ini. Bila melewati {days} hari kerja, permohonan dieskalasi kepada "
            "kepala unit dan Anda diberi tahu alasannya.",
            f"The service follows this standard. If it takes longer than {days} working days, the head of unit "
            "takes it up and you are told why."),
        "security_safety": bi(
            "Data pribadi dilindungi sesuai UU 27/2022 tentang Pelindungan Data Pribadi; berkas disimpan di pusat "
            "data provinsi dan hanya dibuka oleh petugas yang berwenang.",
            "Personal data is protected under Law 27/2022 on Personal Data Protection; files are kept in the "
            "provincial data centre and opened only by authorised staff."),
        "performance_evaluation": bi(
            "Kinerja pelaksana dievaluasi setiap triwulan dari ketepatan waktu penyelesaian dan Survei Kepuasan "
            "Masyarakat (PermenPANRB 14/2017).",
            "Staff performance is reviewed every quarter from on-time completion and the public satisfaction "
            "survey (PermenPANRB 14/2017)."),
    }


def _load_service(entry: dict, agencies: dict[str, Agency], categories: dict, events: dict) -> Service:
    agency = agencies[entry["agency"]]
    unit = agency.units.get(slug=entry["unit"])
    fee_note = entry.get("fee_note", ("", ""))
    service = upsert(Service, {"code": entry["code"]}, {
        "kind": entry.get("kind", Service.Kind.SERVICE), "agency": agency, "unit": unit,
        "name_id": entry["name"][0], "name_en": entry["name"][1],
        "summary_id": entry["summary"][0], "summary_en": entry["summary"][1],
        "description_id": entry["desc"][0], "description_en": entry["desc"][1],
        "standard": build_standard(entry, unit=unit),
        "requirements": [bi(*r) for r in entry["req"]],
        "fee": entry.get("fee", 0), "fee_note_id": fee_note[0], "fee_note_en": fee_note[1],
        "deadline_working_days": entry["days"],
        "channels": [c for c in entry["channels"].split() if c in APPLICATION_CHANNELS], "accommodations": entry["acc"].split(),
        "form_definition": entry["form"], "is_published": True,
        "popularity": POPULARITY.get(entry["code"], 0),
    })
    service.categories.set([categories[s] for s in entry["cats"].split()])
    service.life_events.set([events[s] for s in entry.get("life", "").split()])
    return service


def load(*, log: Callable[[str], None]) -> None:
    categories = {slug: upsert(ServiceCategory, {"slug": slug}, {"name_id": name_id, "name_en": name_en})
                  for slug, name_id, name_en in CATEGORIES}
    events = {slug: upsert(LifeEvent, {"slug": slug}, {"name_id": n_id, "name_en": n_en, "description_id": d_id,
                                                       "description_en": d_en, "order": order})
              for order, (slug, n_id, n_en, d_id, d_en) in enumerate(LIFE_EVENTS, 1)}
    log(f"  {len(categories)} categories, {len(events)} life events")
    agencies = {a.slug: a for a in Agency.objects.all()}
    for number, entry in enumerate(SERVICES, 1):
        _load_service(entry, agencies, categories, events)
        if number % 10 == 0 or number == len(SERVICES):
            log(f"  services {number}/{len(SERVICES)}")

    by_slug = {}
    for order, (slug, keyword, n_id, n_en, d_id, d_en, agency_slug, unit_slug, days) in enumerate(
            COMPLAINT_CATEGORIES, 1):
        agency = agencies[agency_slug]
        by_slug[slug] = upsert(ComplaintCategory, {"slug": slug}, {
            "keyword": keyword, "name_id": n_id, "name_en": n_en, "description_id": d_id, "description_en": d_en,
            "agency": agency, "unit": agency.units.get(slug=unit_slug), "completion_working_days": days,
            "order": order, "is_active": True,
        })
    for category_slug, region_code, agency_slug, unit_slug in COMPLAINT_ROUTES:
        agency = agencies[agency_slug]
        upsert(ComplaintRoute, {"category": by_slug[category_slug], "region": Region.objects.get(code=region_code)},
               {"agency": agency, "unit": agency.units.get(slug=unit_slug)})
    log(f"  {len(COMPLAINT_CATEGORIES)} complaint categories, {len(COMPLAINT_ROUTES)} regional routes")
    for code, n_id, n_en, p_id, p_en, s_id, s_en, url, words in EXTERNAL_SERVICES:
        upsert(ExternalService, {"code": code}, {"name_id": n_id, "name_en": n_en, "provider_id": p_id,
                                                 "provider_en": p_en, "summary_id": s_id, "summary_en": s_en,
                                                 "url": url, "keywords": words, "is_published": True})
    log(f"  {len(EXTERNAL_SERVICES)} services of other governments")
