"""Reply texts of the SMS / WhatsApp / e-mail channels, in both languages (data, not gettext).

Like `balai.notify.defaults`, the texts are data so that each SMS reply is bilingual by construction and
a test renders every one with realistic values and checks that it fits one GSM-7 segment
(tests/channels/test_texts.py). Placeholders are `{name}`; values are shortened to the limits below.
The answer-carrying status reply (`status_answer`) may take up to three segments: the citizen asked for
the full answer.
"""

from __future__ import annotations

from collections.abc import Mapping

from balai.notify.gsm import gsm_friendly, sms_segments

SMS: dict[str, dict[str, str]] = {
    "help": {
        "id": "Balai: kirim LAPOR <kategori> <isi>, CEK <kode>, JAWAB <kode> <isi>, NILAI <kode> <1-4>. "
              "Daftar kategori: kirim LAPOR",
        "en": "Balai: send REPORT <category> <text>, STATUS <code>, ANSWER <code> <text>, RATE <code> <1-4>. "
              "Categories: send REPORT",
    },
    "unknown": {
        "id": "Balai: maaf, pesan tidak dikenali. Untuk melapor kirim LAPOR <kategori> <isi>. "
              "Cek laporan: CEK <kode>. Bantuan: BANTUAN",
        "en": "Balai: sorry, we did not understand. To report send REPORT <category> <text>. "
              "Check a case: STATUS <code>. Help: HELP",
    },
    "categories": {
        "id": "Balai: pilih kategori: {categories}. Contoh: LAPOR {example} lampu jalan mati di Jl. Juanda",
        "en": "Balai: choose a category: {categories}. Example: REPORT {example} street light out on Jl. Juanda",
    },
    "missing_text": {
        "id": "Balai: tulis isi laporan setelah kategori. Contoh: LAPOR {example} lampu jalan mati di Jl. Juanda",
        "en": "Balai: write your report after the category. Example: REPORT {example} street light out on Jl. Juanda",
    },
    "report_failed": {
        "id": "Balai: laporan belum dapat diterima. {reason} Format: LAPOR <kategori> <isi>",
        "en": "Balai: your report could not be filed. {reason} Format: REPORT <category> <text>",
    },
    "missing_code": {
        "id": "Balai: tulis kode laporan Anda. Contoh: {usage}",
        "en": "Balai: write the code of your case. Example: {usage}",
    },
    "invalid_code": {
        "id": "Balai: kode tidak valid. Periksa lagi kode pada SMS tanda terima, contoh KT-7M4Q-2X9P.",
        "en": "Balai: invalid code. Check the code in your receipt SMS, e.g. KT-7M4Q-2X9P.",
    },
    "not_found": {
        "id": "Balai: kode {code} tidak ditemukan. Periksa lagi kode pada SMS tanda terima.",
        "en": "Balai: code {code} was not found. Check the code in your receipt SMS.",
    },
    "status_open": {
        "id": "Balai: {code} {status}, ditangani {agency}. Batas waktu {due_date}.",
        "en": "Balai: {code} {status}, handled by {agency}. Due {due_date}.",
    },
    "status_closed": {
        "id": "Balai: {code} {status} ({agency}) pada {closed_date}.",
        "en": "Balai: {code} {status} ({agency}) on {closed_date}.",
    },
    "status_answer": {
        "id": "Balai: {code} {status}. Jawaban {agency}: {answer}",
        "en": "Balai: {code} {status}. Answer of {agency}: {answer}",
    },
    "answer_refused": {
        "id": "Balai: jawaban untuk {code} tidak dapat diterima dari nomor ini. "
              "Kirim dari nomor yang dipakai saat melapor.",
        "en": "Balai: an answer on {code} cannot be accepted from this number. "
              "Send it from the number used to report.",
    },
    "answer_missing_text": {
        "id": "Balai: tulis jawaban setelah kode. Contoh: JAWAB {code} lokasinya di depan SDN 012",
        "en": "Balai: write your answer after the code. Example: ANSWER {code} it is in front of SDN 012",
    },
    "not_waiting": {
        "id": "Balai: {code} tidak sedang menunggu jawaban Anda ({status}). Cek status: CEK {code}",
        "en": "Balai: {code} is not waiting for your answer ({status}). Check: STATUS {code}",
    },
    "rate_refused": {
        "id": "Balai: nilai untuk {code} hanya dapat dikirim dari nomor yang dipakai saat melapor.",
        "en": "Balai: a rating of {code} can only be sent from the number used to report.",
    },
    "rate_not_finished": {
        "id": "Balai: {code} belum selesai ({status}). Nilai dapat dikirim setelah selesai.",
        "en": "Balai: {code} is not finished yet ({status}). You can rate it once it is.",
    },
    "rate_already": {
        "id": "Balai: {code} sudah dinilai. Terima kasih!",
        "en": "Balai: {code} has already been rated. Thank you!",
    },
    "rate_bad_score": {
        "id": "Balai: nilai 1 sampai 4 (1 buruk, 4 sangat baik). Contoh: NILAI {code} 4",
        "en": "Balai: rate from 1 to 4 (1 poor, 4 very good). Example: RATE {code} 4",
    },
    "rate_thanks": {
        "id": "Balai: terima kasih! Nilai {score} untuk {code} sudah kami terima.",
        "en": "Balai: thank you! Your rating {score} for {code} was received.",
    },
    "rate_limited": {
        "id": "Balai: terlalu banyak pesan dari nomor ini. Mohon tunggu {minutes} menit, lalu kirim lagi. "
              "Terima kasih.",
        "en": "Balai: too many messages from this number. Please wait {minutes} minutes and send again. "
              "Thank you.",
    },
    "menu_more": {
        "id": "Balai: pilih kategori: {items}. Balas nomor dan isi, mis. {example} lampu jalan mati. Lainnya: LAPOR {next}",
        "en": "Balai: choose a category: {items}. Reply the number and your report, e.g. {example} street light out. "
              "More: REPORT {next}",
    },
    "menu_last": {
        "id": "Balai: pilih kategori: {items}. Balas nomor dan isi, mis. {example} lampu jalan mati.",
        "en": "Balai: choose a category: {items}. Reply the number and your report, e.g. {example} street light out.",
    },
    "ask_text": {
        "id": "Balai: kategori {category}. Sekarang tulis isi laporan Anda dan tempatnya dalam satu SMS.",
        "en": "Balai: category {category}. Now write your report and where it is in one message.",
    },
    "ask_place_publication": {
        "id": "Balai {code}: di desa/kecamatan mana? Boleh tampil di situs tanpa nama Anda? "
              "Balas mis. YA Loa Janan. Tanpa balasan: tidak tampil.",
        "en": "Balai {code}: which village/district? May it be shown on the website without your name? "
              "Reply e.g. YES Loa Janan. No reply: not shown.",
    },
    "ask_publication": {
        "id": "Balai {code}: boleh laporan ini tampil di situs tanpa nama Anda? Balas YA atau TIDAK. "
              "Tanpa balasan: tidak tampil.",
        "en": "Balai {code}: may this report be shown on the website without your name? Reply YES or NO. "
              "No reply: not shown.",
    },
    "followup_public": {
        "id": "Balai: terima kasih. {code} boleh tampil di situs tanpa nama Anda, setelah diperiksa petugas.",
        "en": "Balai: thank you. {code} may be shown on the website without your name, once staff checked it.",
    },
    "followup_private": {
        "id": "Balai: terima kasih. {code} tidak ditampilkan di situs. Cek status: CEK {code}",
        "en": "Balai: thank you. {code} will not be shown on the website. Check: STATUS {code}",
    },
    # community participation (docs/regulations.md §12)
    "support_ok": {
        "id": "Balai: terima kasih, dukungan Anda untuk usulan {pcode} tercatat. Jumlah dukungan: {supports}.",
        "en": "Balai: thank you, your support for proposal {pcode} is recorded. Supports so far: {supports}.",
    },
    "support_refused": {
        "id": "Balai: dukungan untuk {pcode} tidak dicatat. {vreason}",
        "en": "Balai: your support for {pcode} was not recorded. {vreason}",
    },
    "proposal_not_found": {
        "id": "Balai: usulan {pcode} tidak ditemukan. Periksa lagi kodenya (5 huruf/angka).",
        "en": "Balai: proposal {pcode} was not found. Check the code (5 letters/digits).",
    },
    "proposal_usage": {
        "id": "Balai: format DUKUNG <kode usulan>, USUL <isi usulan>, PILIH <NIK> <kode kegiatan>. Contoh: DUKUNG 7K3MX",
        "en": "Balai: send SUPPORT <proposal code>, PROPOSE <text>, VOTE <NIK> <project codes>. E.g. SUPPORT 7K3MX",
    },
    "propose_ok": {
        "id": "Balai: usulan Anda diterima dengan kode {pcode}. Ajak warga mendukung: DUKUNG {pcode}",
        "en": "Balai: your proposal is received with code {pcode}. Ask others to send SUPPORT {pcode}",
    },
    "propose_closed": {
        "id": "Balai: saat ini tidak ada penerimaan usulan warga. Lihat jadwalnya di situs Balai, menu Partisipasi.",
        "en": "Balai: no proposals are being collected now. See the dates on the Balai website, Participation.",
    },
    "vote_ok": {
        "id": "Balai: suara Anda tercatat untuk {codes}. Setiap orang memilih satu kali. Terima kasih!",
        "en": "Balai: your vote is recorded for {codes}. Each person votes once. Thank you!",
    },
    "vote_refused": {
        "id": "Balai: suara tidak dicatat. {vreason}",
        "en": "Balai: your vote was not recorded. {vreason}",
    },
    "vote_already": {
        "id": "Balai: suara TIDAK dicatat: NIK atau nomor ini sudah memilih lewat {channel} pada {date}. "
              "Satu orang satu suara.",
        "en": "Balai: vote NOT recorded: this NIK or number already voted by {channel} on {date}. "
              "One person, one vote.",
    },
    "vote_missing_nik": {
        "id": "Balai: tulis NIK (16 angka) lalu kode kegiatan. Contoh: PILIH 6472xxxxxxxxxxxx 7K3MX AC2DE",
        "en": "Balai: write your NIK (16 digits), then the project codes. E.g. VOTE 6472xxxxxxxxxxxx 7K3MX AC2DE",
    },
    "try_later": {
        "id": "Balai: maaf, pesan Anda belum dapat diproses. Silakan kirim lagi beberapa saat lagi.",
        "en": "Balai: sorry, we could not process your message. Please send it again a little later.",
    },
}

# Usage examples per command for `missing_code`.
USAGE: dict[str, dict[str, str]] = {
    "status": {"id": "CEK KT-7M4Q-2X9P", "en": "STATUS KT-7M4Q-2X9P"},
    "answer": {"id": "JAWAB KT-7M4Q-2X9P <jawaban>", "en": "ANSWER KT-7M4Q-2X9P <text>"},
    "rate": {"id": "NILAI KT-7M4Q-2X9P 4", "en": "RATE KT-7M4Q-2X9P 4"},
}

# E-mail replies (subject, body) for what the engine's own messages do not cover.
EMAIL: dict[str, dict[str, tuple[str, str]]] = {
    "not_owner": {
        "id": ("[{code}] Pesan Anda tidak dapat ditambahkan",
               "Pesan Anda tentang laporan {code} tidak dapat ditambahkan karena tidak dikirim dari alamat "
               "e-mail yang dipakai saat melapor.\n\nKirim dari alamat tersebut, atau buat laporan baru "
               "tanpa kode pada subjek.\n\nBalai - layanan publik Provinsi Kalimantan Timur"),
        "en": ("[{code}] Your message could not be added",
               "Your message about request {code} could not be added because it was not sent from the "
               "e-mail address used for the request.\n\nSend it from that address, or file a new request "
               "without a code in the subject.\n\nBalai - public services of the Province of East Kalimantan"),
    },
    "not_waiting": {
        "id": ("[{code}] Laporan Anda sedang diproses",
               "Laporan {code} saat ini berstatus: {status}. Kami tidak sedang menunggu keterangan dari "
               "Anda, sehingga pesan ini tidak ditambahkan ke laporan.\n\nLihat perkembangannya: {link}"
               "\n\nBalai - layanan publik Provinsi Kalimantan Timur"),
        "en": ("[{code}] Your request is being handled",
               "Request {code} is now: {status}. We are not waiting for information from you, so this "
               "message was not added to the request.\n\nFollow it here: {link}"
               "\n\nBalai - public services of the Province of East Kalimantan"),
    },
    "failed": {
        "id": ("Pesan Anda belum dapat diproses",
               "Pesan Anda belum dapat dijadikan laporan: {reason}\n\nSilakan perbaiki dan kirim lagi, atau "
               "gunakan formulir di situs Balai.\n\nBalai - layanan publik Provinsi Kalimantan Timur"),
        "en": ("Your message could not be processed",
               "Your message could not be filed as a request: {reason}\n\nPlease correct it and send it "
               "again, or use the form on the Balai website."
               "\n\nBalai - public services of the Province of East Kalimantan"),
    },
}

# Longest value of a free-text placeholder in an SMS reply, so every reply fits one segment.
LIMITS: dict[str, int] = {"status": 28, "agency": 26, "reason": 60, "categories": 70, "category": 20,
                          "example": 10, "answer": 360, "codes": 40, "supports": 6, "pcode": 8,
                          "vreason": 100, "channel": 16, "date": 10}

# Realistic values for the length test.
SAMPLE: dict[str, dict[str, str]] = {
    "id": {"code": "KT-7M4Q-2X9P", "status": "Menunggu tanggapan warga", "agency": "Disdukcapil Kota Samarinda",
           "due_date": "14-03-2026", "closed_date": "02-03-2026", "score": "4", "minutes": "10",
           "categories": "JALAN, AIR, LISTRIK, SAMPAH, KESEHATAN, PENDIDIKAN, IZIN, PAJAK, BANJIR, LAINNYA",
           "example": "JALAN", "usage": USAGE["answer"]["id"], "next": "2", "category": "LINGKUNGAN",
           "items": "1 JALAN 2 SEHAT 3 SEKOLAH 4 TERTIB 5 KORUPSI",
           "reason": "Nomor telepon ini tidak valid untuk Indonesia, periksa lagi nomornya.",
           "answer": "Perbaikan jalan dijadwalkan minggu kedua Maret oleh UPTD PU wilayah Samarinda.",
           "pcode": "7K3MX", "supports": "1250", "codes": "7K3MX, AC2DE, 9PRTW, HJ4KM, 3XY7C",
           "vreason": "Kegiatan yang dipilih melebihi anggaran 1.000.000.000 rupiah. Pilih lagi.", "channel": "Kertas atau loket", "date": "2027-03-14"},
    "en": {"code": "KT-7M4Q-2X9P", "status": "Waiting for the citizen", "agency": "Disdukcapil Kota Samarinda",
           "due_date": "14-03-2026", "closed_date": "02-03-2026", "score": "4", "minutes": "10",
           "categories": "JALAN, AIR, LISTRIK, SAMPAH, KESEHATAN, PENDIDIKAN, IZIN, PAJAK, BANJIR, LAINNYA",
           "example": "JALAN", "usage": USAGE["answer"]["en"], "next": "2", "category": "LINGKUNGAN",
           "items": "1 JALAN 2 SEHAT 3 SEKOLAH 4 TERTIB 5 KORUPSI",
           "reason": "This phone number is not valid for Indonesia, please check it.",
           "answer": "The road repair is scheduled for the second week of March by the public works unit.",
           "pcode": "7K3MX", "supports": "1250", "codes": "7K3MX, AC2DE, 9PRTW, HJ4KM, 3XY7C",
           "vreason": "The projects chosen cost more than the budget of 1,000,000,000 rupiah.", "channel": "Kertas atau loket", "date": "2027-03-14"},
}


def shorten(value: str, limit: int) -> str:
    value = " ".join(str(value).split())
    return value if len(value) <= limit else value[: limit - 3].rstrip(" ,;") + "..."


def _fill(text: str, values: Mapping[str, object]) -> str:
    for key, value in values.items():
        text = text.replace("{" + key + "}", str(value))
    return text


def sms_text(key: str, language: str, **values: object) -> str:
    """The reply `key` in `language` ('id' when unknown), filled and made GSM-7 friendly."""
    lang = language if language in ("id", "en") else "id"
    shortened = {k: shorten(str(v), LIMITS[k]) if k in LIMITS else str(v) for k, v in values.items()}
    return gsm_friendly(_fill(SMS[key][lang], shortened))


def email_text(key: str, language: str, **values: object) -> tuple[str, str]:
    lang = language if language in ("id", "en") else "id"
    subject, body = EMAIL[key][lang]
    return _fill(subject, values)[:200], _fill(body, values)


def fit_list(items: list[str], limit: int) -> str:
    """Join `items` with ", " and drop the tail (", ...") so the result is at most `limit` characters."""
    out: list[str] = []
    for item in items:
        candidate = ", ".join([*out, item])
        if len(candidate) > limit - 5 and out:
            return ", ".join(out) + ", ..."
        out.append(item)
    return ", ".join(out)


def segments(text: str) -> int:
    return sms_segments(text)[2]
