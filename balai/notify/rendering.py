"""Rendering message texts: pick the template (administrator's override or shipped default), fill it.

Placeholders are `{name}` and are replaced by plain substitution (no `str.format`, whose attribute
access `{code.__class__}` an administrator's template could abuse); unknown names render empty.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass

from balai.memo import Memo
from balai.notify.defaults import default_text
from balai.notify.gsm import gsm_friendly

PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
PLACEHOLDERS: tuple[str, ...] = (
    "code", "status", "due_date", "agency", "service", "title", "link", "answer_excerpt", "otp", "reason",
    "digest", "count", "date",  # the staff digest (balai.notify.defaults.STAFF_EMAIL_EVENTS)
    "noun", "noun_lower", "step", "promise", "service_line",  # the case's promise (balai.cases.promise)
    "notice", "unsubscribe",  # a serta-merta notice of the PPID (balai.ppid.services.announce)
)
# Longest value put into an SMS for free-text placeholders, so every template fits one segment.
SMS_LIMITS: dict[str, int] = {"title": 30, "service": 30, "agency": 26, "answer_excerpt": 50, "reason": 50,
                              "status": 30, "step": 20, "noun": 20, "notice": 50}

# Realistic values for previews and the length test (long-ish, but what real cases carry).
SAMPLE_CONTEXT: dict[str, dict[str, str]] = {
    "id": {
        "code": "KT-7M4Q-2X9P", "status": "Menunggu tanggapan Anda", "due_date": "14-03-2025",
        "agency": "Disdukcapil Kota Samarinda", "service": "Penerbitan Kartu Keluarga baru",
        "title": "Jalan berlubang di Jl. Juanda", "link": "https://balai.kaltimprov.go.id/lacak/KT-7M4Q-2X9P/",
        "answer_excerpt": "Perbaikan jalan dijadwalkan pada minggu kedua Mare",
        "otp": "482913", "reason": "Menunggu hasil survei lapangan dari tim teknis PU",
        "digest": "Ditugaskan kepada Anda: terlambat atau hampir jatuh tempo (1)\n"
                  "- KT-7M4Q-2X9P · Jalan berlubang di Jl. Juanda\n  Terlambat 2 hari kerja · Sedang diproses\n"
                  "  https://balai.kaltimprov.go.id/kantor/berkas/KT-7M4Q-2X9P/",
        "count": "1", "date": "14-03-2025", "noun": "Permohonan informasi", "noun_lower": "permohonan informasi",
        "step": "Tindak lanjut", "service_line": "Layanan: Penerbitan Kartu Keluarga baru\n",
        "promise": "Tindak lanjut paling lambat 14 Maret 2025 (5 hari kerja; SP4N-LAPOR!, PermenPANRB 62/2018).",
        "notice": "Banjir di Samarinda Ulu: warga di bantaran sungai diminta mengungsi ke posko terdekat.",
        "unsubscribe": "https://balai.kaltimprov.go.id/informasi/langganan/berhenti/eyJzIjo0Mn0:1tQx/",
    },
    "en": {
        "code": "KT-7M4Q-2X9P", "status": "Waiting for your reply", "due_date": "14-03-2025",
        "agency": "Disdukcapil Kota Samarinda", "service": "New family card (Kartu Keluar",
        "title": "Pothole on Jl. Juanda, Samarin", "link": "https://balai.kaltimprov.go.id/lacak/KT-7M4Q-2X9P/",
        "answer_excerpt": "The road repair is scheduled for the second week o",
        "otp": "482913", "reason": "Waiting for the field survey of the public works t",
        "digest": "Assigned to you: late or due soon (1)\n"
                  "- KT-7M4Q-2X9P · Pothole on Jl. Juanda\n  Late by 2 working days · In progress\n"
                  "  https://balai.kaltimprov.go.id/en/kantor/berkas/KT-7M4Q-2X9P/",
        "count": "1", "date": "14-03-2025", "noun": "Information request", "noun_lower": "information request",
        "step": "Written answer", "service_line": "Service: New family card (Kartu Keluarga)\n",
        "promise": "Follow-up by 14 March 2025 at the latest (5 working days; SP4N-LAPOR!, PermenPANRB 62/2018).",
        "notice": "Flood in Samarinda Ulu: people along the river are asked to move to the nearest shelter.",
        "unsubscribe": "https://balai.kaltimprov.go.id/en/informasi/langganan/berhenti/eyJzIjo0Mn0:1tQx/",
    },
}


@dataclass(frozen=True)
class ResolvedTemplate:
    subject: str
    body: str
    version: str  # "default:<hash>" or "custom:<pk>:v<version>"


def template_placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def render_text(text: str, context: Mapping[str, str]) -> str:
    return PLACEHOLDER.sub(lambda m: str(context.get(m.group(1), "")), text)


def shorten(value: str, limit: int) -> str:
    value = " ".join(str(value).split())
    return value if len(value) <= limit else value[: limit - 3].rstrip() + "..."


_templates = Memo("message-templates", watch=("notify.MessageTemplate",))


def resolve_template(*, event: str, channel: str, language: str, variant: str = "") -> ResolvedTemplate:
    """The administrator's active override for (event, channel, language), else the shipped text.

    WhatsApp falls back to the SMS override, then to the shipped SMS text. Every message queued reads
    one, so the answer is remembered for a few seconds (`balai.memo`); an edit in the admin of this
    process applies at once, one made elsewhere within seconds.
    """
    return _templates.get((event, channel, language, variant),
                          lambda: _resolve_template(event=event, channel=channel, language=language,
                                                    variant=variant))


def _resolve_template(*, event: str, channel: str, language: str, variant: str = "") -> ResolvedTemplate:
    from balai.notify.models import MessageTemplate

    lookups = [channel] + (["sms"] if channel == "whatsapp" else [])
    for ch in lookups:
        tpl = MessageTemplate.objects.filter(event=event, channel=ch, language=language, is_active=True).first()
        if tpl is not None:
            return ResolvedTemplate(tpl.subject, tpl.body, f"custom:{tpl.pk}:v{tpl.version}")
    subject, body = default_text(event=event, channel=channel, language=language, variant=variant)
    digest = hashlib.sha256((subject + "\x00" + body).encode()).hexdigest()[:10]
    return ResolvedTemplate(subject, body, f"default:{digest}")


def render_message(*, event: str, channel: str, language: str, context: Mapping[str, str],
                   variant: str = "") -> tuple[str, str, str]:
    """(subject, body, template_version) as the citizen will see them (`variant`: the case's kind)."""
    tpl = resolve_template(event=event, channel=channel, language=language, variant=variant)
    values = {k: str(v) for k, v in context.items() if v is not None}
    if channel in ("sms", "whatsapp"):
        values = {k: shorten(v, SMS_LIMITS[k]) if k in SMS_LIMITS else v for k, v in values.items()}
        body = gsm_friendly(render_text(tpl.body, values))
        return "", body, tpl.version
    return render_text(tpl.subject, values).replace("\n", " ")[:200], render_text(tpl.body, values), tpl.version
