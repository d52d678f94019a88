"""Demo step: community participation in Kalimantan Timur (docs/regulations.md §12), all through the
services: a consultation on a draft with comments and a response report, a proposal round in Samarinda
with supports, a participatory budget in Palaran with its published count, and a Musrenbang chain from
two villages of Muara Muntai (Kutai Kartanegara) up to the province.

Idempotent: a process whose slug exists is left as it is. Supporters and voters are synthetic keys and
valid-looking NIKs made up here (never a real person's).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from balai.agencies.models import Agency, Region
from balai.participation import selectors, services
from balai.participation.keys import phone_key
from balai.participation.models import Phase, PhaseKind, Process, Proposal

SEED = 1604


def _phases(process: Process, spans: dict[str, tuple[int, int]], today: date) -> None:
    """(start, end) day offsets from today per phase kind; replaces the process's phases."""
    process.phases.all().delete()
    for kind in PhaseKind.values:
        start, end = spans[kind]
        Phase.objects.create(process=process, kind=kind, starts_on=today + timedelta(days=start),
                             ends_on=today + timedelta(days=end))


def _process(slug: str, *, kind: str, agency: str, region: str, **fields) -> Process | None:
    if Process.objects.filter(slug=slug).exists():
        return None
    return Process.objects.create(slug=slug, kind=kind, agency=Agency.objects.get(slug=agency),
                                  region=Region.objects.get(code=region), is_published=True, **fields)


def _nik(rng: random.Random, district: str = "647201") -> str:
    day = rng.randint(1, 28) + (40 if rng.random() < 0.5 else 0)
    return f"{district}{day:02d}{rng.randint(1, 12):02d}{rng.randint(60, 99):02d}{rng.randint(1, 9999):04d}"


def _phone(n: int) -> str:
    return f"+628125{n:07d}"


OPEN_PROPOSALS = {"information": (-30, -21), "proposals": (-20, 20), "review": (21, 35), "voting": (36, 50),
                  "results": (51, 60), "follow_up": (61, 400)}


def consultation(today: date, log: Callable[[str], None]) -> None:
    process = _process(
        "rancangan-pergub-air-bersih", kind="consultation", agency="pupr", region="64",
        title_id="Rancangan Pergub Standar Pelayanan Air Bersih Perdesaan",
        title_en="Draft Governor's Regulation on rural clean-water service standards",
        summary_id="Pemerintah provinsi menyusun standar minimum layanan air bersih untuk desa. Baca rancangannya "
                   "pasal demi pasal dan sampaikan pendapat Anda.",
        summary_en="The province is drafting minimum clean-water service standards for villages. Read the draft "
                   "section by section and tell us what you think.",
        decides_id="Isi Peraturan Gubernur: berapa liter air per orang, jarak sambungan, tarif dan pengaduan.",
        decides_en="The content of the regulation: litres per person, distance to a tap, tariffs and complaints.",
        deciders_id="Gubernur Kalimantan Timur, atas usulan Dinas PUPR-PERA setelah konsultasi publik.",
        deciders_en="The Governor of East Kalimantan, on the proposal of the public works agency after this "
                    "consultation.",
        input_use_id="Setiap komentar dibaca. Dinas menjawab komentar per pasal dalam laporan tanggapan yang "
                     "diterbitkan di halaman ini.",
        input_use_en="Every comment is read. The agency answers the comments on each section in a response report "
                     "published on this page.")
    if process is None:
        return
    _phases(process, OPEN_PROPOSALS, today)
    draft = services.draft_create(process=process, title="Rancangan Peraturan Gubernur tentang Standar Pelayanan "
                                  "Air Bersih Perdesaan", introduction="Rancangan ini terdiri atas empat pasal.",
                                  sections=[
                                      ("Kebutuhan air minimum", "Setiap warga desa berhak atas paling sedikit 60 liter "
                                       "air bersih per orang per hari."),
                                      ("Jarak sambungan", "Sambungan air bersih paling jauh 200 meter dari rumah."),
                                      ("Tarif", "Tarif dasar air perdesaan ditetapkan paling tinggi Rp 3.500 per "
                                       "meter kubik."),
                                      ("Pengaduan", "Gangguan layanan lebih dari 24 jam dapat diadukan melalui Balai "
                                       "dan wajib ditanggapi dalam 3 hari kerja."),
                                  ])
    sections = list(draft.sections.all())
    comments = [
        (sections[0], "agree", "Setuju, tapi di musim kemarau 60 liter sulit dipenuhi di desa kami.", "Ibu Rahmah"),
        (sections[0], "disagree", "Untuk keluarga dengan balita sebaiknya lebih dari 60 liter.", "Pak Juhri"),
        (sections[1], "disagree", "200 meter terlalu jauh bagi lansia dan penyandang disabilitas.", "Sdr. Andi"),
        (sections[2], "disagree", "Tarif Rp 3.500 berat bagi petani. Mohon ada tarif sosial.", "Pak Syamsuddin"),
        (sections[2], "agree", "Tarif wajar asal airnya lancar setiap hari.", ""),
        (sections[3], "agree", "Bagus ada batas waktu 3 hari kerja.", "Ibu Nur"),
        (None, "agree", "Terima kasih sudah membuka konsultasi ini untuk warga desa.", "Warga Tenggarong"),
    ]
    with transaction.atomic():
        for section, stance, text, name in comments:
            comment = services.comment_submit(draft=draft, section=section, stance=stance, text=text,
                                              author_name=name, person_key=phone_key(_phone(len(text))))
            services.comment_moderate(comment=comment, publish=True, actor=None)
        spam = services.comment_submit(draft=draft, section=sections[2], stance="neutral",
                                       text="Jual pipa murah hubungi kami")
        services.comment_moderate(comment=spam, publish=False, reason="Iklan, tidak membahas rancangan", actor=None)
        services.comment_submit(draft=draft, section=sections[1], stance="agree",
                                text="Mohon sambungan dipasang sampai ke rumah.", author_name="Ibu Wati")
        services.section_respond(section=sections[0], response="Ditambahkan: 80 liter untuk rumah tangga dengan "
                                 "balita atau lansia.", actor=None)
        services.section_respond(section=sections[1], response="Jarak diubah menjadi 100 meter, dan sambungan ke "
                                 "rumah penyandang disabilitas ditanggung pemerintah.", actor=None)
        services.section_respond(section=sections[2], response="Ditambahkan tarif sosial Rp 2.000 untuk keluarga "
                                 "penerima bantuan sosial.", actor=None)
        services.section_respond(section=sections[3], response="Tetap.", actor=None)
        services.report_publish(draft=draft, introduction="Terima kasih atas 8 komentar dari warga. Berikut "
                                "tanggapan Dinas PUPR-PERA untuk setiap pasal.", actor=None)
    log("  consultation with 8 comments and a response report")


def proposals(today: date, rng: random.Random, log: Callable[[str], None]) -> None:
    process = _process(
        "usulan-warga-samarinda-2027", kind="proposals", agency="bappeda", region="64.72",
        title_id="Usulan Warga Kota Samarinda 2027", title_en="Samarinda residents' proposals for 2027",
        summary_id="Usulkan kegiatan untuk lingkungan Anda dan dukung usulan tetangga. Usulan dengan 25 dukungan "
                   "dijawab terbuka oleh Bappeda.",
        summary_en="Propose something for your neighbourhood and support your neighbours' ideas. Proposals with 25 "
                   "supports get a public answer from Bappeda.",
        decides_id="Usulan mana yang dibawa ke Musrenbang kecamatan dan rencana kerja 2027.",
        decides_en="Which proposals go on to the district Musrenbang and the 2027 work plan.",
        deciders_id="Bappeda bersama perangkat daerah terkait, lalu forum Musrenbang.",
        deciders_en="Bappeda with the agencies concerned, then the Musrenbang forums.",
        input_use_id="Setiap usulan mendapat status yang dapat diikuti sampai selesai: diterima, masuk rencana, "
                     "didanai, dibangun, atau ditolak dengan alasan.",
        input_use_en="Every proposal gets a status you can follow to the end: accepted, in the plan, funded, built, "
                     "or rejected with a reason.",
        support_threshold=25, threshold_date=today + timedelta(days=20))
    if process is None:
        return
    _phases(process, OPEN_PROPOSALS, today)
    villages = {r.code: r for r in Region.objects.filter(code__startswith="64.72.01.")}
    ideas = [
        ("Semenisasi Gang Mawar RT 12", "Jalan tanah sepanjang 250 m selalu becek saat hujan.", "infrastructure",
         "64.72.01.1001", 34),
        ("Sumur bor untuk RT 05 Handil Bakti", "Air PDAM sering mati, warga membeli air galon.", "water",
         "64.72.01.1002", 28),
        ("Posyandu lansia di Bukuan", "Lansia harus ke puskesmas yang jauh untuk cek tekanan darah.", "health",
         "64.72.01.1003", 19),
        ("Lampu jalan Jl. Olah Bebaya", "Jalan gelap dan rawan kecelakaan pada malam hari.", "infrastructure",
         "64.72.01.1004", 12),
        ("Pelatihan UMKM amplang untuk ibu-ibu", "Pemasaran daring dan pengemasan amplang khas Palaran.", "economy",
         "64.72.01.1005", 9),
        ("Jalur landai ke kantor kelurahan", "Pengguna kursi roda tidak bisa masuk kantor kelurahan.", "social",
         "64.72.01.1001", 7),
        ("Bank sampah RT 08", "Sampah plastik menumpuk di parit dan menyebabkan banjir.", "environment",
         "64.72.01.1002", 5),
        ("Sumur bor RT 05", "Usulan yang sama dengan sumur bor Handil Bakti.", "water", "64.72.01.1002", 3),
    ]
    made = []
    n = 0
    for title, text, category, village, supports in ideas:
        proposal = services.proposal_submit(process=process, title=title, description=text, category=category,
                                            region=villages[village], author_key=phone_key(_phone(9000 + n)),
                                            gender=rng.choice(["woman", "man", ""]),
                                            disability=True if rng.random() < 0.12 else None)
        for _i in range(supports):
            n += 1
            services.proposal_support(proposal=proposal, person_key=phone_key(_phone(n)),
                                      channel=rng.choice(["web", "web", "sms", "whatsapp"]))
        made.append(proposal)
    services.proposal_merge(source=made[7], target=made[1], actor=None)
    services.proposal_set_status(proposal=made[0], status="accepted", note="Masuk usulan prioritas Musrenbang "
                                 "Kecamatan Palaran.", actor=None)
    services.proposal_set_status(proposal=made[0], status="in_plan", note="Masuk Renja Dinas PUPR Kota 2027.",
                                 actor=None)
    services.proposal_set_status(proposal=made[1], status="answered", note="Perumdam akan memeriksa jaringan "
                                 "pipa RT 05 bulan depan sebelum memutuskan sumur bor.", actor=None)
    services.proposal_set_status(proposal=made[3], status="rejected", note="Jl. Olah Bebaya jalan provinsi: "
                                 "diteruskan ke Dinas PUPR-PERA Provinsi.", actor=None)
    log(f"  proposal round with {len(made)} proposals and {n} supports")


def budget(today: date, rng: random.Random, log: Callable[[str], None]) -> None:
    process = _process(
        "anggaran-partisipatif-palaran-2027", kind="budget", agency="bappeda", region="64.72.01",
        title_id="Anggaran Partisipatif Kecamatan Palaran 2027", title_en="Palaran participatory budget 2027",
        summary_id="Warga Palaran menentukan penggunaan Rp 2 miliar. Pilih kegiatan sampai jumlah biayanya "
                   "habis.", summary_en="Palaran residents decide how Rp 2 billion is spent. Pick projects up to "
                   "the budget.",
        decides_id="Kegiatan mana yang didanai dari Rp 2.000.000.000 tahun 2027.",
        decides_en="Which projects are funded from Rp 2,000,000,000 in 2027.",
        deciders_id="Warga Palaran dengan suaranya; Camat dan Bappeda melaksanakan hasilnya.",
        deciders_en="Palaran residents by their votes; the district head and Bappeda carry out the result.",
        input_use_id="Hasil hitung diumumkan lengkap dengan jumlah suara setiap kegiatan dan menjadi data terbuka.",
        input_use_en="The count is published with every project's votes, and as open data.",
        budget=2_000_000_000, ballot_kind="knapsack")
    if process is None:
        return
    _phases(process, {"information": (-60, -50), "proposals": (-49, -30), "review": (-29, -15),
                      "voting": (-14, 10), "results": (11, 20), "follow_up": (21, 400)}, today)
    villages = {r.code: r for r in Region.objects.filter(code__startswith="64.72.01.")}
    projects = []
    for title, cost, village in (("Drainase Jl. Poros Palaran", 850_000_000, "64.72.01.1001"),
                                 ("Rehabilitasi Puskesmas Pembantu Bantuas", 600_000_000, "64.72.01.1005"),
                                 ("Taman bermain ramah anak Simpang Pasir", 300_000_000, "64.72.01.1004"),
                                 ("Penerangan jalan tenaga surya Bukuan", 450_000_000, "64.72.01.1003"),
                                 ("Perahu ambulans Sungai Mahakam", 700_000_000, "64.72.01.1002"),
                                 ("Pelatihan kerja pemuda", 150_000_000, "64.72.01.1001")):
        proposal = Proposal.objects.create(process=process, code=services.new_proposal_code(),
                                                     title=title, description=title, region=villages[village],
                                                     feasible=True, cost=cost)
        projects.append(proposal)
    weights = [0.55, 0.45, 0.5, 0.35, 0.4, 0.3]
    cast = 0
    for i in range(140):
        chosen, total = [], 0
        for project, w in sorted(zip(projects, weights, strict=True), key=lambda _pw: rng.random()):
            if rng.random() < w and total + project.cost <= process.budget:
                chosen.append(project.code)
                total += project.cost
        channel = rng.choices(["web", "sms", "paper"], weights=[5, 3, 2])[0]
        extra = {"location": rng.choice(["Kantor Camat Palaran", "Balai Warga Rawa Makmur"])} if channel == "paper" else {}
        result = services.ballot_cast(process=process, nik=_nik(rng), phone=_phone(50_000 + i) if channel != "paper"
                                      else "", codes=chosen or [projects[-1].code], channel=channel,
                                      region=villages[rng.choice(sorted(villages))],
                                      gender=rng.choice(["woman", "man", "woman", "man", ""]),
                                      disability=True if rng.random() < 0.1 else None, **extra)
        cast += result.ok
    _phases(process, {"information": (-90, -80), "proposals": (-79, -60), "review": (-59, -45),
                      "voting": (-44, -8), "results": (-7, 20), "follow_up": (21, 400)}, today)
    services.results_publish(process=process, actor=None)
    log(f"  participatory budget with {cast} ballots, results published")


def musrenbang(today: date, log: Callable[[str], None]) -> None:
    process = _process(
        "musrenbang-rkpd-kaltim-2027", kind="musrenbang", agency="bappeda", region="64", year=2027,
        title_id="Musrenbang RKPD Provinsi Kalimantan Timur 2027", title_en="East Kalimantan 2027 Musrenbang",
        summary_id="Usulan desa dibahas berjenjang: desa, kecamatan, kabupaten, provinsi.",
        summary_en="Village proposals go up level by level: village, district, regency, province.",
        decides_id="Prioritas pembangunan yang masuk Rencana Kerja Pemerintah Daerah 2027.",
        decides_en="The development priorities in the 2027 regional government work plan.",
        deciders_id="Forum Musrenbang di setiap tingkat, lalu Gubernur dan DPRD dalam APBD.",
        deciders_en="The Musrenbang forum at each level, then the Governor and the regional parliament in the budget.",
        input_use_id="Setiap usulan yang tidak disepakati dibawa ke tahun berikutnya atau ditolak dengan alasan "
                     "yang dapat dilihat pengusul.",
        input_use_en="A proposal not agreed is carried over or rejected with a reason the proposer sees.")
    if process is None:
        return
    _phases(process, OPEN_PROPOSALS, today)
    pupr, dinkes = Agency.objects.get(slug="pupr"), Agency.objects.get(slug="dinkes")
    perian, leka = Region.objects.get(code="64.02.01.2001"), Region.objects.get(code="64.02.01.2002")
    items = [
        (perian, "Peningkatan jalan usaha tani Perian", "1,2 km", 1_800_000_000, pupr, "Tenaga kerja gotong royong"),
        (perian, "Dermaga perahu Desa Perian", "1 unit", 650_000_000, pupr, "Lahan hibah desa"),
        (perian, "Posyandu remaja", "1 paket", 45_000_000, dinkes, ""),
        (leka, "Jembatan ulin Muara Leka", "40 m", 950_000_000, pupr, "Kayu ulin dari warga"),
        (leka, "Puskesmas keliling air", "1 unit", 800_000_000, dinkes, ""),
        (leka, "Jembatan kayu Muara Leka", "40 m", 900_000_000, pupr, ""),
    ]
    made = [services.proposal_submit(process=process, title=t, description=t, region=r, location=f"Desa {r.name}",
                                     volume=v, cost=c, responsible_agency=a, contribution=k, level="village")
            for r, t, v, c, a, k in items]
    women = {perian.pk: (21, 27, 3), leka.pk: (18, 22, 2)}
    for village in (perian, leka):
        forum = services.forum_for(process=process, level="village", region=village)
        for p in made:
            if p.region_id == village.pk:
                services.forum_add(forum=forum, proposal=p)
        if village == leka:
            services.forum_merge(forum=forum, source=made[5], target=made[3], actor=None)
        for item in selectors.forum_items(forum):
            if item.proposal.status == "merged":
                continue
            if item.proposal.pk == made[2].pk:
                services.forum_decide(item=item, decision="carried_over", reason="Pagu indikatif desa habis; "
                                      "dibahas lagi tahun depan", actor=None)
            else:
                services.forum_decide(item=item, decision="agreed", priority=made.index(item.proposal) + 1, actor=None)
        w, m, d = women[village.pk]
        services.forum_record(forum=forum, held_on=today - timedelta(days=60), place=f"Balai Desa {village.name}",
                              chair=f"Kepala Desa {village.name}", minutes="Musyawarah dibuka pukul 09.00 WITA, "
                              "dihadiri BPD, tokoh masyarakat, kelompok perempuan dan penyandang disabilitas.",
                              women=w, men=m, disability=d, actor=None)
        services.forum_close(forum=forum, actor=None)
    for level, days, place, counts in (("district", 40, "Aula Kantor Camat Muara Muntai", (26, 30, 4)),
                                       ("regency", 25, "Pendopo Bupati Kutai Kartanegara", (48, 61, 6)),
                                       ("province", 10, "Ruang Rapat Bappeda Kaltim, Samarinda", (70, 88, 9))):
        forum = process.forums.get(level=level, closed_at__isnull=True)
        for n, item in enumerate(selectors.forum_items(forum), start=1):
            if level == "regency" and item.proposal.pk == made[1].pk:
                services.forum_decide(item=item, decision="rejected", reason="Salah perangkat daerah: dermaga "
                                      "desa kewenangan Dishub kabupaten", actor=None)
            else:
                services.forum_decide(item=item, decision="agreed", priority=n, actor=None)
        services.forum_record(forum=forum, held_on=today - timedelta(days=days), place=place,
                              chair="Kepala Bappeda", minutes="Forum menyepakati prioritas dan meneruskannya.",
                              women=counts[0], men=counts[1], disability=counts[2], actor=None)
        services.forum_close(forum=forum, actor=None)
    log("  Musrenbang chain: 2 villages → district → regency → province")


def load(*, log: Callable[[str], None]) -> None:
    today = timezone.localdate()
    rng = random.Random(SEED)  # nosec B311 # repeatable demo data, not security
    consultation(today, log)
    proposals(today, rng, log)
    budget(today, rng, log)
    musrenbang(today, log)
