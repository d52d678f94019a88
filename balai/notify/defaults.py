"""The shipped message texts, per event and language (administrators may override them in the admin).

`SMS` texts are used for SMS and WhatsApp and must fit one GSM-7 segment (160 characters) with
realistic values: tests/notify/test_templates.py renders each one. Placeholders: {code}, {status},
{due_date}, {agency}, {service}, {title}, {link}, {answer_excerpt}, {otp}, {reason}, {noun} and {noun_lower}
(what the case is: "Laporan", "Permohonan informasi"), {step} (what is owed now), {promise} (the whole
promise, `balai.cases.promise`: e-mail only) and {service_line} ("Layanan: ..." or nothing).
{due_date} is the promise's next date: the current step's deadline, or after the answer the date the
case closes by itself.
E-mail texts carry a subject and may be longer.

`STAFF_EMAIL_EVENTS` go to staff, by e-mail only: the daily digest of late cases (balai.office.digest),
whose list of cases is built by the office in the reader's language and passed as {digest}, with
{count} and {date}; {link} is the page where the reader turns the digest off.
"""

from __future__ import annotations

SMS: dict[str, dict[str, str]] = {
    "received": {
        "id": "Balai: {title} diterima {agency}, kode {code}. {step} paling lambat {due_date}. Cek: balas CEK {code}",
        "en": "Balai: {title} received by {agency}, code {code}. {step} due {due_date}. Reply STATUS {code}",
    },
    "verified": {
        "id": "Balai: {noun} {code} sudah diverifikasi dan sedang diproses {agency}. {step} paling lambat {due_date}.",
        "en": "Balai: {noun} {code} is verified and being handled by {agency}. {step} due {due_date}.",
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
        "id": "Balai: {noun} {code} selesai dan ditutup. Terima kasih telah menggunakan Balai.",
        "en": "Balai: {noun} {code} is completed and closed. Thank you for using Balai.",
    },
    "rejected": {
        "id": "Balai: {noun} {code} tidak dapat diproses. Alasan: {reason} Cek status: balas CEK {code}",
        "en": "Balai: {noun} {code} cannot be processed. Reason: {reason} For status reply STATUS {code}",
    },
    "rating_request": {
        "id": "Balai: Bagaimana layanan untuk {code}? Balas NILAI {code} 1-4 (1 buruk, 4 sangat baik).",
        "en": "Balai: How was the service for {code}? Reply RATE {code} 1-4 (1 poor, 4 very good).",
    },
    "escalated": {
        "id": "Balai: {noun} {code} belum selesai tepat waktu dan diteruskan ke atasan di {agency}.",
        "en": "Balai: {noun} {code} is overdue and has been escalated to the head of {agency}.",
    },
    "reply_received": {
        "id": "Balai: Jawaban Anda untuk {code} sudah kami terima. Proses dilanjutkan, batas waktu {due_date}.",
        "en": "Balai: We received your reply on {code}. Work resumes, due {due_date}.",
    },
    "disposed": {
        "id": "Balai: {noun} {code} diteruskan ke {agency} yang berwenang. Batas waktu {due_date}.",
        "en": "Balai: {noun} {code} was forwarded to {agency}, which is responsible. Due {due_date}.",
    },
    "closing_soon": {
        "id": "Balai: {noun} {code} ditutup otomatis {due_date} bila tidak ada tanggapan. Tanggapi: balas CEK {code}",
        "en": "Balai: {noun} {code} closes automatically on {due_date} unless you respond. Reply STATUS {code}",
    },
    "auto_closed": {
        "id": "Balai: {noun} {code} ditutup otomatis karena tidak ada tanggapan dalam batas waktu. Terima kasih.",
        "en": "Balai: {noun} {code} closed automatically: no response within the period. Thank you.",
    },
    "otp": {
        "id": "Balai: Kode Anda {otp}. Berlaku 10 menit. Jangan berikan kode ini kepada siapa pun.",
        "en": "Balai: Your code is {otp}. Valid for 10 minutes. Do not share this code with anyone.",
    },
}

EMAIL_SUBJECT: dict[str, dict[str, str]] = {
    "received": {"id": "[{code}] {noun} Anda diterima", "en": "[{code}] Your {noun_lower} was received"},
    "verified": {"id": "[{code}] {noun} Anda diverifikasi", "en": "[{code}] Your {noun_lower} was verified"},
    "question": {"id": "[{code}] Kami butuh keterangan dari Anda", "en": "[{code}] We need information from you"},
    "answered": {"id": "[{code}] {noun} Anda dijawab", "en": "[{code}] Your {noun_lower} was answered"},
    "extended": {"id": "[{code}] Batas waktu diperpanjang", "en": "[{code}] Deadline extended"},
    "closed": {"id": "[{code}] {noun} Anda selesai", "en": "[{code}] Your {noun_lower} is completed"},
    "rejected": {"id": "[{code}] {noun} Anda tidak dapat diproses", "en": "[{code}] Your {noun_lower} cannot be processed"},
    "rating_request": {"id": "[{code}] Beri nilai layanan kami", "en": "[{code}] Rate our service"},
    "escalated": {"id": "[{code}] {noun} Anda diteruskan ke atasan", "en": "[{code}] Your {noun_lower} was escalated"},
    "reply_received": {"id": "[{code}] Jawaban Anda diterima", "en": "[{code}] Your reply was received"},
    "disposed": {"id": "[{code}] {noun} Anda diteruskan", "en": "[{code}] Your {noun_lower} was forwarded"},
    "closing_soon": {"id": "[{code}] {noun} Anda akan ditutup otomatis", "en": "[{code}] Your {noun_lower} will close automatically"},
    "auto_closed": {"id": "[{code}] {noun} Anda ditutup otomatis", "en": "[{code}] Your {noun_lower} closed automatically"},
    "otp": {"id": "Kode verifikasi Balai", "en": "Your Balai verification code"},
}

_EMAIL_FOOTER = {
    "id": "\n\nLihat perkembangan {noun_lower} Anda: {link}\nBalas e-mail ini untuk menambahkan keterangan.\n\n"
          "Balai - layanan publik Provinsi Kalimantan Timur",
    "en": "\n\nFollow your {noun_lower}: {link}\nReply to this e-mail to add information.\n\n"
          "Balai - public services of the Province of East Kalimantan",
}

_EMAIL_LEAD = {
    "received": {
        "id": "{noun} Anda \"{title}\" telah diterima oleh {agency} dengan kode {code}.\n"
              "{service_line}{promise}",
        "en": "Your {noun_lower} \"{title}\" was received by {agency} with code {code}.\n"
              "{service_line}{promise}",
    },
    "verified": {
        "id": "{noun} {code} telah diverifikasi dan sedang diproses oleh {agency}.\n{promise}",
        "en": "{noun} {code} was verified and is being handled by {agency}.\n{promise}",
    },
    "question": {
        "id": "{agency} membutuhkan keterangan dari Anda untuk {noun_lower} {code}:\n\n{answer_excerpt}\n\n"
              "Waktu penyelesaian berhenti sampai Anda menjawab.",
        "en": "{agency} needs information from you on {noun_lower} {code}:\n\n{answer_excerpt}\n\n"
              "The clock is paused until you reply.",
    },
    "answered": {
        "id": "{agency} telah menjawab {noun_lower} {code}:\n\n{answer_excerpt}\n\n{promise}",
        "en": "{agency} has answered {noun_lower} {code}:\n\n{answer_excerpt}\n\n{promise}",
    },
    "extended": {
        "id": "Batas waktu {noun_lower} {code} diperpanjang sampai {due_date}.\nAlasan: {reason}",
        "en": "The deadline of {noun_lower} {code} was extended to {due_date}.\nReason: {reason}",
    },
    "closed": {
        "id": "{noun} {code} telah selesai dan ditutup. Status: {status}.",
        "en": "{noun} {code} is completed and closed. Status: {status}.",
    },
    "rejected": {
        "id": "{noun} {code} tidak dapat diproses.\nAlasan: {reason}",
        "en": "{noun} {code} cannot be processed.\nReason: {reason}",
    },
    "rating_request": {
        "id": "Bagaimana layanan {agency} untuk {noun_lower} {code}? Nilai kami dari 1 (buruk) sampai 4 (sangat baik) "
              "melalui tautan di bawah atau balas SMS: NILAI {code} <1-4>.",
        "en": "How was the service of {agency} for {noun_lower} {code}? Rate us from 1 (poor) to 4 (very good) "
              "through the link below or by SMS: RATE {code} <1-4>.",
    },
    "escalated": {
        "id": "{noun} {code} belum selesai tepat waktu dan telah diteruskan ke pimpinan {agency}.",
        "en": "{noun} {code} is overdue and has been escalated to the head of {agency}.",
    },
    "reply_received": {
        "id": "Jawaban Anda untuk {noun_lower} {code} telah kami terima. Proses dilanjutkan.\n{promise}",
        "en": "We received your reply on {noun_lower} {code}. Work resumes.\n{promise}",
    },
    "closing_soon": {
        "id": "{noun} {code} akan ditutup otomatis pada {due_date} jika Anda tidak menanggapi.\n{promise}\n"
              "Masih ada yang belum selesai? Buka tautan di bawah dan tanggapi.",
        "en": "{noun} {code} will close automatically on {due_date} unless you respond.\n{promise}\n"
              "Something still not right? Open the link below and respond.",
    },
    "auto_closed": {
        "id": "{noun} {code} ditutup otomatis karena tidak ada tanggapan dalam batas waktu. Status: {status}.",
        "en": "{noun} {code} was closed automatically: no response within the period. Status: {status}.",
    },
    "disposed": {
        "id": "{noun} {code} diteruskan ke {agency} yang berwenang menanganinya. Batas waktu: {due_date}.",
        "en": "{noun} {code} was forwarded to {agency}, which is responsible for it. Due date: {due_date}.",
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
# An e-mail subscriber (double opt-in, balai.ppid.services.subscription_request) gets the notice with a link
# that ends the subscription in one step ({unsubscribe}); SMS and WhatsApp subscribers are added by staff.
for _lang, _stop in (("id", "\nBerhenti berlangganan: {unsubscribe}"), ("en", "\nUnsubscribe: {unsubscribe}")):
    EMAIL_BODY["ppid_notice"][_lang] += _stop

# Confirming an e-mail subscription to the notices (double opt-in): {link} confirms it.
EMAIL_SUBJECT["ppid_subscribe"] = {"id": "Konfirmasi langganan pengumuman serta merta",
                                   "en": "Confirm your subscription to urgent public notices"}
EMAIL_BODY["ppid_subscribe"] = {
    "id": "Alamat ini didaftarkan untuk menerima pengumuman serta merta Balai (peringatan bencana, "
          "pemberitahuan kesehatan).\n\nKonfirmasi langganan: {link}\n\nBila bukan Anda yang mendaftar, "
          "abaikan pesan ini: alamat Anda dihapus dalam 7 hari dan tidak akan menerima apa pun.",
    "en": "This address was entered to receive Balai's urgent public notices (disaster warnings, health "
          "notices).\n\nConfirm the subscription: {link}\n\nIf it was not you, ignore this message: the address "
          "is deleted within 7 days and receives nothing.",
}

# Reminders of the PPID to the owner of a register item or consequence test (balai.ppid.services.ppid_sweep):
# {title} what it is about, {reason} what is due, {due_date} the date that matters, {link} the office page.
EMAIL_SUBJECT["ppid_warning"] = {"id": "Pengingat PPID: {title}", "en": "PPID reminder: {title}"}
EMAIL_BODY["ppid_warning"] = {
    "id": "{reason}\n\n{title}\nTanggal: {due_date}\n\nBuka: {link}\n\n--\nPengingat Balai untuk PPID, "
          "dikirim sekali untuk setiap hal.",
    "en": "{reason}\n\n{title}\nDate: {due_date}\n\nOpen: {link}\n\n--\nBalai's reminder for the PPID, sent once "
          "for each matter.",
}

EVENTS: tuple[str, ...] = tuple(SMS)  # messages to citizens: SMS, WhatsApp and e-mail
STAFF_EMAIL_EVENTS: tuple[str, ...] = ("staff_digest", "ppid_warning")  # messages to staff: e-mail only
# Messages to citizens sent by e-mail only (a link to confirm an e-mail address).
CITIZEN_EMAIL_EVENTS: tuple[str, ...] = ("ppid_subscribe",)
EMAIL_ONLY_EVENTS: tuple[str, ...] = STAFF_EMAIL_EVENTS + CITIZEN_EMAIL_EVENTS
LANGUAGES: tuple[str, ...] = ("id", "en")


# Texts of one kind of case that differ from the general ones (variant = the case's kind): a request for
# public information is registered, processed by the PPID and answered, with an objection window after it
# (UU 14/2008, docs/regulations.md §3): never "Laporan Anda diverifikasi".
VARIANT_SMS: dict[tuple[str, str], dict[str, str]] = {
    ("received", "information_request"): {
        "id": "Balai: Permohonan informasi {code} terdaftar di PPID {agency}. Jawaban paling lambat {due_date}. CEK {code}",
        "en": "Balai: Information request {code} registered by the PPID of {agency}. Answer due {due_date}. STATUS {code}",
    },
    ("verified", "information_request"): {
        "id": "Balai: PPID {agency} sedang memproses permohonan informasi {code}. Jawaban paling lambat {due_date}.",
        "en": "Balai: The PPID of {agency} is processing information request {code}. Answer due {due_date}.",
    },
    ("answered", "information_request"): {
        "id": "Balai: PPID {agency} menjawab {code}: {answer_excerpt} Tanggapi s.d. {due_date}. CEK {code}",
        "en": "Balai: The PPID of {agency} answered {code}: {answer_excerpt} Respond by {due_date}. STATUS {code}",
    },
    ("rejected", "information_request"): {
        "id": "Balai: Permohonan informasi {code} ditolak: {reason} Keberatan s.d. {due_date}. CEK {code}",
        "en": "Balai: Information request {code} refused: {reason} Objection until {due_date}. STATUS {code}",
    },
}
VARIANT_EMAIL: dict[tuple[str, str], dict[str, tuple[str, str]]] = {
    ("verified", "information_request"): {
        "id": ("[{code}] Permohonan informasi Anda sedang diproses",
               "PPID {agency} sedang memproses permohonan informasi {code}.\n{promise}"),
        "en": ("[{code}] Your information request is being processed",
               "The PPID of {agency} is processing information request {code}.\n{promise}"),
    },
    ("rejected", "information_request"): {
        "id": ("[{code}] Permohonan informasi Anda ditolak",
               "PPID {agency} menolak permohonan informasi {code}.\nAlasan: {reason}\n\n{promise}\n"
               "Keberatan diajukan kepada atasan PPID (UU 14/2008 pasal 35-36); bila tidak puas dengan "
               "jawabannya, Anda dapat menempuh penyelesaian sengketa ke Komisi Informasi."),
        "en": ("[{code}] Your information request was refused",
               "The PPID of {agency} refused information request {code}.\nReason: {reason}\n\n{promise}\n"
               "An objection goes to the PPID's superior (UU 14/2008 art. 35-36); if you are not satisfied with "
               "the answer, you may take the dispute to the Komisi Informasi."),
    },
}


def default_text(*, event: str, channel: str, language: str, variant: str = "") -> tuple[str, str]:
    """(subject, body) shipped for this event, channel and language (Indonesian when unknown); a
    `variant` (the case's kind) picks that kind's own text where it has one."""
    lang = language if language in LANGUAGES else "id"
    if event in EMAIL_ONLY_EVENTS and channel != "email":
        raise ValueError(f"{event!r} is sent by e-mail only")
    if channel == "email":
        own = VARIANT_EMAIL.get((event, variant))
        if own is not None:
            subject, lead = own[lang]
            return subject, lead + _EMAIL_FOOTER[lang]
        return EMAIL_SUBJECT[event][lang], EMAIL_BODY[event][lang]
    own_sms = VARIANT_SMS.get((event, variant))
    return "", (own_sms or SMS[event])[lang]
