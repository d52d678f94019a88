"""How we reach the citizen: name, phone, e-mail, the channel for updates and the language.

Shared by the three ways in (apply, complain, ask for information).
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from balai.people.models import ContactChannel
from balai.people.phone import normalize_phone

# The channels are `people.ContactChannel`; only the label of "none" says more on this form.
CONTACT_CHANNELS = [
    (c.value, _("No messages: I will check with the tracking code") if c == ContactChannel.NONE else c.label)
    for c in ContactChannel
]
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]



def optional_phone(raw: str | None) -> str:
    """A phone number a citizen may leave empty, in its one stored spelling (+62…), or a clear error."""
    raw = (raw or "").strip()
    if not raw:
        return ""
    try:
        return normalize_phone(raw)
    except ValueError as exc:
        raise ValidationError(getattr(exc, "message", "") or _("Enter a valid phone number, like 0812 3456 7890."),
                              code="invalid") from None

class ContactForm(forms.Form):
    contact_name = forms.CharField(
        label=_("Your full name"), max_length=120, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    contact_phone = forms.CharField(
        label=_("Mobile phone number"), max_length=32, required=False,
        help_text=_("For example 0812 3456 7890."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    contact_email = forms.EmailField(
        label=_("E-mail address"), max_length=200, required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={"invalid": _("Enter a valid e-mail address, like nama@contoh.id.")},
    )
    contact_channel = forms.ChoiceField(
        label=_("How should we tell you about progress?"), choices=CONTACT_CHANNELS, widget=forms.RadioSelect,
        error_messages={"required": _("Choose how we should contact you."),
                        "invalid_choice": _("Choose how we should contact you.")},
    )
    language = forms.ChoiceField(
        label=_("Language for our messages"), choices=LANGUAGES, widget=forms.RadioSelect,
        error_messages={"required": _("Choose a language."), "invalid_choice": _("Choose a language.")},
    )

    name_required = True
    name_help = ""

    def __init__(self, *args, asked: dict | None = None, **kwargs) -> None:
        """`asked`: contact details the service's own form already asked ({"contact_name": ..., "contact_phone":
        ...}); those fields are left out here and their values used (a citizen types them once)."""
        super().__init__(*args, **kwargs)
        self.asked = {k: v for k, v in (asked or {}).items() if k in ("contact_name", "contact_phone")}
        for name in self.asked:
            del self.fields[name]
        if "contact_name" not in self.fields:
            return
        self.fields["contact_name"].required = self.name_required
        self.fields["contact_name"].error_messages["required"] = _("Enter your name.")
        if self.name_help:
            self.fields["contact_name"].help_text = self.name_help

    def clean_contact_name(self) -> str:
        return " ".join((self.cleaned_data.get("contact_name") or "").split())

    def clean_contact_phone(self) -> str:
        return optional_phone(self.cleaned_data.get("contact_phone"))

    def clean(self) -> dict:
        data = super().clean()
        for name, value in self.asked.items():
            if name == "contact_phone":
                try:
                    value = normalize_phone(value) if value else ""
                except ValueError:
                    value = ""
            data[name] = value or ""
        channel = data.get("contact_channel")
        if channel in ("sms", "whatsapp") and not data.get("contact_phone") and "contact_phone" not in self.errors:
            if "contact_phone" in self.fields:
                self.add_error("contact_phone",
                               _("Enter your mobile phone number, or choose another way to be contacted."))
            else:
                self.add_error("contact_channel", _("Give a mobile number in the form first, or choose another "
                                                    "way to be contacted."))
        if channel == "email" and not data.get("contact_email") and "contact_email" not in self.errors:
            self.add_error("contact_email", _("Enter your e-mail address, or choose another way to be contacted."))
        return data


class AnonymousContactForm(ContactForm):
    """For complaints: the name is optional (an anonymous report needs none)."""

    name_required = False
    name_help = _("Optional if you report anonymously.")
