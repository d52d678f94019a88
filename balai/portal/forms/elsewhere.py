"""The request a citizen sends from here to a service of another government (ADR 0045). That a phone
number or an e-mail address is given is the service's rule (`catalog.services.external_request_submit`),
checked here as well so that a citizen sees every error at once."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from balai.portal.forms.contact import optional_phone


class ElsewhereForm(forms.Form):
    description = forms.CharField(label=_("What do you need?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5}),
                                  error_messages={"required": _("Describe what you need.")})
    address = forms.CharField(label=_("Your address or the place concerned (optional)"), max_length=300,
                              required=False)
    contact_name = forms.CharField(label=_("Your full name"), max_length=120, required=False,
                                   widget=forms.TextInput(attrs={"autocomplete": "name"}))
    contact_phone = forms.CharField(label=_("Mobile phone number"), max_length=32, required=False,
                                    help_text=_("For example 0812 3456 7890."),
                                    widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}))
    contact_email = forms.EmailField(label=_("E-mail address"), max_length=200, required=False,
                                     widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    consent = forms.BooleanField(label=_("Send what I typed to the government that provides this service."),
                                 error_messages={"required": _("Tick the box to send your request there.")})

    def clean_contact_phone(self) -> str:
        return optional_phone(self.cleaned_data.get("contact_phone"))

    def clean(self) -> dict:
        # The service refuses it too; asked here as well so that every error shows at once (with consent's).
        data = super().clean()
        if not (data.get("contact_phone") or data.get("contact_email")) and "contact_phone" not in self.errors:
            self.add_error("contact_phone", _("Give a phone number or an e-mail address, so that the provider can "
                                              "reach you."))
        return data
