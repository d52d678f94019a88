"""The shipped message texts, per event and language (administrators may override them in the admin).

`SMS` texts are used for SMS and WhatsApp and must fit one GSM-7 segment (160 characters) with
realistic values: tests/notify/test_templates.py renders each one. Placeholders: {code}, {status},
{due_date}, {agency}, {service}, {title}, {link}, {answer_excerpt}, {otp}, {reason}.
E-mail texts carry a subject and may be longer.

`STAFF_EMAIL_EVENTS` go to staff, by e-mail only: the daily digest of late cases (balai.office.digest),
whose list of cases is built by the office in the reader's language and passed as {digest}, with
{count} and {date}; {link} is the page where the reader turns the digest off.
"""

from __future__ import annotations

SMS: dict[str, dict[str, str]] = {
    "received": {
        "id": "Balai: {title} diterima {agency}, kode {code}. Batas waktu {due_date}. Cek status: balas CEK {code}",
        "en": "Balai: {title} received by {agency}, code {code}. Due {due_date}. For status reply STATUS {code}",
    },
    "verified": {
        "id": "Balai: Laporan {code} sudah diverifikasi dan sedang diproses {agency}. Batas waktu {due_date}.",
        "en": "Balai: Case {code} is verified and being handled by {agency}. Due {due_date}.",
    },
    "question": {
        "id": "Balai: {agency} butuh keterangan untuk {code}: {answer_excerpt} Balas JAWAB {code} <jawaban>",
        "en": "Balai: {agency} needs information on {code}: {answer_excerpt} Reply ANSWER {code} <text>",
    },
    "answered": {
        "id": "Balai: {code} dijawab {agency}: {answer_excerpt} Jawaban lengkap: CEK {code}",
        "en": "Balai: {code} answered by {agency}: {answer_excerpt} Full answer: STATUS {code}",
    },
    "extended": {
        "id": "Balai: Batas waktu {code} diperpanjang sampai {due_date}. Alasan: {reason}",
        "en": "Balai: The deadline of {code} is extended to {due_date}. Reason: {reason}",
    },
    "closed": {
        "id": "Balai: Laporan {code} selesai dan ditutup. Terima kasih telah menggunakan Balai.",
        "en": "Balai: Case {code} is completed and closed. Thank you for using Balai.",
    },
    "rejected": {
        "id": "Balai: Laporan {code} tidak dapat diproses. Alasan: {reason} Cek status: balas CEK {code}",
        "en": "Balai: Case {code} cannot be processed. Reason: {reason} For status reply STATUS {code}",
    },
    "rating_request": {
        "id": "Balai: Bagaimana layanan untuk {code}? Balas NILAI {code} 1-4 (1 buruk, 4 sangat baik).",
        "en": "Balai: How was the service for {code}? Reply RATE {code} 1-4 (1 poor, 4 very good).",
    },
    "escalated": {
        "id": "Balai: Laporan {code} belum selesai tepat waktu dan diteruskan ke atasan di {agency}.",
        "en": "Balai: Case {code} is overdue and has been escalated to the head of {agency}.",
    },
    "reply_received": {
        "id": "Balai: Jawaban Anda untuk {code} sudah kami terima. Proses dilanjutkan, batas waktu {due_date}.",
        "en": "Balai: We received your reply on {code}. Work resumes, due {due_date}.",
    },
    "disposed": {
        "id": "Balai: Laporan {code} diteruskan ke {agency} yang berwenang. Batas waktu {due_date}.",
        "en": "Balai: Case {code} was forwarded to {agency}, which is responsible. Due {due_date}.",
    },
    "otp": {
        "id": "Balai: Kode Anda {otp}. Berlaku 10 menit. Jangan berikan kode ini kepada siapa pun.",
        "en": "Balai: Your code is {otp}. Valid for 10 minutes. Do not share this code with anyone.",
    },
}

EMAIL_SUBJECT: dict[str, dict[str, str]] = {
    "received": {"id": "[{code}] Laporan Anda diterima", "en": "[{code}] Your request was received"},
    "verified": {"id": "[{code}] Laporan Anda diverifikasi", "en": "[{code}] Your request was verified"},
    "question": {"id": "[{code}] Kami butuh keterangan dari Anda", "en": "[{code}] We need information from you"},
    "answered": {"id": "[{code}] Laporan Anda dijawab", "en": "[{code}] Your request was answered"},
    "extended": {"id": "[{code}] Batas waktu diperpanjang", "en": "[{code}] Deadline extended"},
    "closed": {"id": "[{code}] Laporan Anda selesai", "en": "[{code}] Your request is completed"},
    "rejected": {"id": "[{code}] Laporan Anda tidak dapat diproses", "en": "[{code}] Your request cannot be processed"},
    "rating_request": {"id": "[{code}] Beri nilai layanan kami", "en": "[{code}] Rate our service"},
    "escalated": {"id": "[{code}] Laporan Anda diteruskan ke atasan", "en": "[{code}] Your request was escalated"},
    "reply_received": {"id": "[{code}] Jawaban Anda diterima", "en": "[{code}] Your reply was received"},
    "disposed": {"id": "[{code}] Laporan Anda diteruskan", "en": "[{code}] Your request was forwarded"},
    "otp": {"id": "Kode verifikasi Balai", "en": "Your Balai verification code"},
}

_EMAIL_FOOTER = {
    "id": "\n\nLihat perkembangan laporan Anda: {link}\nBalas e-mail ini untuk menambahkan keterangan.\n\n"
          "Balai - layanan publik Provinsi Kalimantan Timur",
    "en": "\n\nFollow your request: {link}\nReply to this e-mail to add information.\n\n"
          "Balai - public services of the Province of East Kalimantan",
}

_EMAIL_LEAD = {
    "received": {
        "id": "Laporan Anda \"{title}\" telah diterima oleh {agency} dengan kode {code}.\n"
              "Layanan: {service}\nBatas waktu penyelesaian: {due_date}.",
        "en": "Your request \"{title}\" was received by {agency} with code {code}.\n"
              "Service: {service}\nDue date: {due_date}.",
    },
    "verified": {
        "id": "Laporan {code} telah diverifikasi dan sedang diproses oleh {agency}. Batas waktu: {due_date}.",
        "en": "Request {code} was verified and is being handled by {agency}. Due date: {due_date}.",
    },
    "question": {
        "id": "{agency} membutuhkan keterangan dari Anda untuk laporan {code}:\n\n{answer_excerpt}\n\n"
              "Waktu penyelesaian berhenti sampai Anda menjawab.",
        "en": "{agency} needs information from you on request {code}:\n\n{answer_excerpt}\n\n"
              "The clock is paused until you reply.",
    },
    "answered": {
        "id": "{agency} telah menjawab laporan {code}:\n\n{answer_excerpt}",
        "en": "{agency} has answered request {code}:\n\n{answer_excerpt}",
    },
    "extended": {
        "id": "Batas waktu laporan {code} diperpanjang sampai {due_date}.\nAlasan: {reason}",
        "en": "The deadline of request {code} was extended to {due_date}.\nReason: {reason}",
    },
    "closed": {
        "id": "Laporan {code} telah selesai dan ditutup. Status: {status}.",
        "en": "Request {code} is completed and closed. Status: {status}.",
    },
    "rejected": {
        "id": "Laporan {code} tidak dapat diproses.\nAlasan: {reason}",
        "en": "Request {code} cannot be processed.\nReason: {reason}",
    },
    "rating_request": {
        "id": "Bagaimana layanan {agency} untuk laporan {code}? Nilai kami dari 1 (buruk) sampai 4 (sangat baik) "
              "melalui tautan di bawah atau balas SMS: NILAI {code} <1-4>.",
        "en": "How was the service of {agency} for request {code}? Rate us from 1 (poor) to 4 (very good) "
              "through the link below or by SMS: RATE {code} <1-4>.",
    },
    "escalated": {
        "id": "Laporan {code} belum selesai tepat waktu dan telah diteruskan ke pimpinan {agency}.",
        "en": "Request {code} is overdue and has been escalated to the head of {agency}.",
    },
    "reply_received": {
        "id": "Jawaban Anda untuk laporan {code} telah kami terima. Proses dilanjutkan; batas waktu: {due_date}.",
        "en": "We received your reply on request {code}. Work resumes; due date: {due_date}.",
    },
    "disposed": {
        "id": "Laporan {code} diteruskan ke {agency} yang berwenang menanganinya. Batas waktu: {due_date}.",
        "en": "Request {code} was forwarded to {agency}, which is responsible for it. Due date: {due_date}.",
    },
}

EMAIL_BODY: dict[str, dict[str, str]] = {
    event: {lang: text + _EMAIL_FOOTER[lang] for lang, text in texts.items()} for event, texts in _EMAIL_LEAD.items()
}
EMAIL_BODY["otp"] = {
    "id": "Kode verifikasi Anda: {otp}\nBerlaku 10 menit. Jangan berikan kode ini kepada siapa pun.",
    "en": "Your verification code: {otp}\nValid for 10 minutes. Do not share this code with anyone.",
}

EMAIL_SUBJECT["staff_digest"] = {
    "id": "Balai {date}: {count} berkas terlambat atau hampir jatuh tempo",
    "en": "Balai {date}: {count} cases late or nearly due",
}
EMAIL_BODY["staff_digest"] = {
    "id": "{digest}\n\n--\nRingkasan harian Balai untuk staf, dikirim pagi hari kerja.\n"
          "Berhenti menerimanya: {link}",
    "en": "{digest}\n\n--\nBalai's daily digest for staff, sent on working-day mornings.\n"
          "To stop it: {link}",
}

# Serta-merta notices of the PPID to their subscribers (UU 14/2008 art. 10; docs/regulations.md §11):
# {title} and {notice} are the notice in plain text, {link} its page.
SMS["ppid_notice"] = {
    "id": "Balai PENGUMUMAN: {title}. {notice} {link}",
    "en": "Balai NOTICE: {title}. {notice} {link}",
}
EMAIL_SUBJECT["ppid_notice"] = {"id": "Pengumuman serta merta: {title}", "en": "Urgent public notice: {title}"}
EMAIL_BODY["ppid_notice"] = {
    "id": "{title}\n\n{notice}\n\nSelengkapnya: {link}\n\n--\nAnda menerima ini karena berlangganan "
          "pengumuman serta merta Balai.",
    "en": "{title}\n\n{notice}\n\nMore: {link}\n\n--\nYou receive this because you subscribed to Balai's "
          "urgent public notices.",
}

EVENTS: tuple[str, ...] = tuple(SMS)  # messages to citizens: SMS, WhatsApp and e-mail
STAFF_EMAIL_EVENTS: tuple[str, ...] = ("staff_digest",)  # messages to staff: e-mail only
LANGUAGES: tuple[str, ...] = ("id", "en")


def default_text(*, event: str, channel: str, language: str) -> tuple[str, str]:
    """(subject, body) shipped for this event, channel and language (Indonesian when unknown)."""
    lang = language if language in LANGUAGES else "id"
    if event in STAFF_EMAIL_EVENTS and channel != "email":
        raise ValueError(f"{event!r} is sent by e-mail only")
    if channel == "email":
        return EMAIL_SUBJECT[event][lang], EMAIL_BODY[event][lang]
    return "", SMS[event][lang]
