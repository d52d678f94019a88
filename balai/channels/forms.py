"""The development page's form: a citizen's SMS or WhatsApp message from a phone number."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from balai.people.phone import PhoneError, normalize_phone


class SimulateForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=[("sms", _("SMS")), ("whatsapp", _("WhatsApp"))],
                                initial="sms", widget=forms.RadioSelect)
    phone = forms.CharField(label=_("From phone number"), max_length=32,
                            help_text=_("The citizen's number, for example 0812-3456-7890."),
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}))
    text = forms.CharField(label=_("Message"), max_length=1600, required=False,
                           help_text=_("For example: LAPOR JALAN lubang besar di Jl. Juanda, or CEK KT-7M4Q-2X9P."),
                           widget=forms.Textarea(attrs={"rows": 3}))

    def clean_phone(self) -> str:
        try:
            return normalize_phone(self.cleaned_data["phone"], allow_foreign=True)
        except PhoneError as exc:
            raise ValidationError(exc.message, code=f"phone_{exc.code}") from None
