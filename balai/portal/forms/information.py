"""Forms of the public information request flow (`/informasi/`), UU 14/2008 and Perki 1/2021."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from balai.i18n import localized
from balai.portal.forms.contact import ContactForm

FORMATS = [
    ("softcopy", _("Electronic copy (softcopy)")),
    ("hardcopy", _("Printed copy (hardcopy)")),
]
# Accessible formats (Perki 1/2021 art. 47–48); values are catalog Accommodation values.
ACCESSIBLE = [
    ("audio", _("Audio")),
    ("braille", _("Braille")),
    ("large_print", _("Large print")),
]
DELIVERY = [
    ("email", _("By e-mail")),
    ("pickup", _("I will pick it up at the agency")),
    ("post", _("By post to my address")),
]


class InformationWhatForm(forms.Form):
    agency = forms.ChoiceField(
        label=_("Which agency holds the information?"),
        help_text=_("If you are not sure, choose the one closest to the topic; it will be passed on."),
        error_messages={"required": _("Choose an agency."), "invalid_choice": _("Choose an agency.")},
    )
    information = forms.CharField(
        label=_("What information do you want?"), max_length=3000, min_length=10,
        help_text=_("Name the document or data as precisely as you can, with the year or period."),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Describe the information you want."),
                        "min_length": _("Describe the information a little more (at least 10 characters).")},
    )
    purpose = forms.CharField(
        label=_("What will you use it for?"), max_length=1000,
        help_text=_("The law asks for the purpose (UU 14/2008 art. 22). It does not limit your right."),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say what you will use the information for.")},
    )

    def __init__(self, *args, agencies=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", "—")] + [(a.slug, localized(a, "name")) for a in agencies]


class InformationFormatForm(forms.Form):
    format = forms.ChoiceField(
        label=_("In what form?"), choices=FORMATS, widget=forms.RadioSelect,
        error_messages={"required": _("Choose electronic or printed."),
                        "invalid_choice": _("Choose electronic or printed.")},
    )
    accessible = forms.MultipleChoiceField(
        label=_("Do you need an accessible format? (optional)"), choices=ACCESSIBLE, required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose from the options offered.")},
    )
    delivery = forms.ChoiceField(
        label=_("How do you want to receive it?"), choices=DELIVERY, widget=forms.RadioSelect,
        error_messages={"required": _("Choose how you want to receive it."),
                        "invalid_choice": _("Choose how you want to receive it.")},
    )


class InformationContactForm(ContactForm):
    """Name and address are required for an information request (UU 14/2008 art. 22)."""

    contact_address = forms.CharField(
        label=_("Your address"), max_length=300,
        help_text=_("The law asks for it (UU 14/2008 art. 22); we also post printed copies there."),
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
        error_messages={"required": _("Enter your address.")},
    )
    field_order = ["contact_name", "contact_address", "contact_phone", "contact_email", "contact_channel", "language"]

    def __init__(self, *args, delivery: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.delivery = delivery

    def clean(self) -> dict:
        data = super().clean()
        if self.delivery == "email" and not data.get("contact_email") and "contact_email" not in self.errors:
            self.add_error("contact_email", _("Enter your e-mail address: you chose to receive the information by e-mail."))
        return data
