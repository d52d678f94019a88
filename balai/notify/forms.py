"""The administrator's template editor: placeholders checked, SMS length enforced, preview rendered."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from balai.notify.defaults import EMAIL_ONLY_EVENTS
from balai.notify.gsm import gsm_friendly, sms_segments
from balai.notify.models import MessageTemplate
from balai.notify.rendering import (
    PLACEHOLDERS,
    SAMPLE_CONTEXT,
    SMS_LIMITS,
    render_text,
    shorten,
    template_placeholders,
)


def sms_preview(body: str, language: str) -> tuple[str, str, int, int]:
    """(rendered text, encoding, units, segments) of an SMS template with realistic sample values."""
    values = {k: shorten(v, SMS_LIMITS[k]) if k in SMS_LIMITS else v for k, v in SAMPLE_CONTEXT[language].items()}
    text = gsm_friendly(render_text(body, values))
    return (text, *sms_segments(text))


class MessageTemplateForm(forms.ModelForm):
    """An SMS or WhatsApp text that no longer fits one GSM-7 segment with realistic values is an ERROR:
    a second segment doubles the province's SMS bill and splits badly on basic phones."""

    class Meta:
        model = MessageTemplate
        fields = ["event", "channel", "language", "subject", "body", "is_active"]

    def clean(self):
        data = super().clean()
        body = data.get("body") or ""
        unknown = (template_placeholders(body) | template_placeholders(data.get("subject") or "")) - set(PLACEHOLDERS)
        if unknown:
            self.add_error("body", _("Unknown placeholders: %(names)s. Allowed: %(allowed)s.") % {
                "names": ", ".join(sorted(f"{{{n}}}" for n in unknown)),
                "allowed": ", ".join(f"{{{n}}}" for n in PLACEHOLDERS),
            })
        if data.get("channel") in ("sms", "whatsapp") and body and data.get("language") in SAMPLE_CONTEXT:
            text, encoding, units, segments = sms_preview(body, data["language"])
            if encoding != "gsm7":
                self.add_error("body", _("This text needs Unicode (UCS-2), which allows only 70 characters per "
                                         "SMS. Remove special characters such as emoji or curly quotes."))
            elif segments > 1:
                self.add_error("body", _("With realistic values this SMS is %(units)d characters long: more than "
                                         "one 160-character SMS. Shorten it.") % {"units": units})
        if data.get("event") in EMAIL_ONLY_EVENTS and data.get("channel") not in (None, "email"):
            self.add_error("channel", _("This message goes to staff by e-mail only."))
        if data.get("channel") == "email" and not (data.get("subject") or "").strip():
            self.add_error("subject", _("An e-mail needs a subject."))
        return data


def template_preview(tpl: MessageTemplate) -> dict:
    """Preview of a saved template in its language, for the admin page."""
    lang = tpl.language if tpl.language in SAMPLE_CONTEXT else "id"
    if tpl.channel == "email":
        return {"subject": render_text(tpl.subject, SAMPLE_CONTEXT[lang]),
                "body": render_text(tpl.body, SAMPLE_CONTEXT[lang]), "encoding": "", "units": 0, "segments": 0}
    text, encoding, units, segments = sms_preview(tpl.body, lang)
    return {"subject": "", "body": text, "encoding": encoding, "units": units, "segments": segments}
