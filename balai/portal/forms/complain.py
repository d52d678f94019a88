"""Forms of the complaint / aspiration flow (`/lapor/`), one short page each."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from balai.catalog.models import Accommodation
from balai.i18n import localized
from balai.portal.forms.contact import AnonymousContactForm
from balai.portal.forms.uploads import MultipleFileField
from balai.portal.regions import region_by_code

KINDS = [
    ("complaint", _("A complaint: something went wrong with a public service")),
    ("aspiration", _("An aspiration: an idea or a request to improve a service")),
]
PRIVACY = [
    ("public", _("Open: the agency sees your name; others see your report without your name or contact.")),
    ("confidential", _("Confidential: only the agency handling it sees your report and your name.")),
    ("anonymous", _("Anonymous: nobody at the agency sees who you are, not even your name.")),
]
# Kalimantan Timur with a margin; coordinates outside are a typing mistake (e.g. swapped lat/long).
LAT_RANGE = (Decimal("-3.5"), Decimal("3"))
LNG_RANGE = (Decimal("113"), Decimal("120"))


class ComplaintAboutForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What do you want to send?"), choices=KINDS, widget=forms.RadioSelect,
        error_messages={"required": _("Choose complaint or aspiration."),
                        "invalid_choice": _("Choose complaint or aspiration.")},
    )
    category = forms.ChoiceField(
        label=_("What is it about?"),
        error_messages={"required": _("Choose what it is about."),
                        "invalid_choice": _("Choose what it is about.")},
    )
    description = forms.CharField(
        label=_("What happened?"), max_length=5000, min_length=10,
        help_text=_("Say what, when and who was involved. Do not write your ID number (NIK) here."),
        widget=forms.Textarea(attrs={"rows": 7}),
        error_messages={"required": _("Tell us what happened."),
                        "min_length": _("Tell us a little more (at least 10 characters)."),
                        "max_length": _("Use at most 5000 characters.")},
    )
    title = forms.CharField(
        label=_("A short title (optional)"), max_length=120, required=False,
        help_text=_("If you leave it empty, we use the first words of your report."),
    )

    def __init__(self, *args, categories=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "—")] + [(c.slug, localized(c, "name")) for c in categories]


def _coordinate(raw: str, bounds: tuple[Decimal, Decimal]) -> Decimal | None:
    text = (raw or "").strip().replace(",", ".")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValidationError(_("Enter a number, like -0.502106."), code="invalid") from None
    if not value.is_finite() or not (bounds[0] <= value <= bounds[1]):
        raise ValidationError(_("This place is outside East Kalimantan. Check the number."), code="out_of_range")
    return value.quantize(Decimal("0.000001"))


class ComplaintPlaceForm(forms.Form):
    region = forms.CharField(required=False, widget=forms.HiddenInput)
    location_text = forms.CharField(
        label=_("Where exactly? (optional)"), max_length=300, required=False,
        help_text=_("Street, building or landmark, for example: in front of the Segiri market."),
    )
    latitude = forms.CharField(
        label=_("Latitude (optional)"), max_length=20, required=False,
        help_text=_("From a map app on your phone, for example -0.502106."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    longitude = forms.CharField(
        label=_("Longitude (optional)"), max_length=20, required=False,
        help_text=_("For example 117.153709."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )

    def clean_region(self) -> str:
        code = self.cleaned_data.get("region", "").strip()
        if code and region_by_code(code) is None:
            raise ValidationError(_("Choose a place from the list."), code="invalid_region")
        return code

    def clean_latitude(self) -> Decimal | None:
        return _coordinate(self.cleaned_data.get("latitude", ""), LAT_RANGE)

    def clean_longitude(self) -> Decimal | None:
        return _coordinate(self.cleaned_data.get("longitude", ""), LNG_RANGE)

    def clean(self) -> dict:
        data = super().clean()
        has_lat = data.get("latitude") is not None
        has_lng = data.get("longitude") is not None
        if has_lat != has_lng and not self.errors:
            missing = "longitude" if has_lat else "latitude"
            self.add_error(missing, _("Give both latitude and longitude, or neither."))
        return data


class ComplaintFilesForm(forms.Form):
    files = MultipleFileField(label=_("Photos or documents (optional)"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = upload_help()


def upload_help() -> str:
    return _("Up to 5 files: PDF, JPEG, PNG, WebP or office documents, at most %(mb)s MB each.") % {
        "mb": f"{settings.UPLOAD_MAX_BYTES / (1024 * 1024):g}"}


class ComplaintPrivacyForm(forms.Form):
    confidentiality = forms.ChoiceField(
        label=_("Who may see your report?"), choices=PRIVACY, widget=forms.RadioSelect,
        error_messages={"required": _("Choose who may see your report."),
                        "invalid_choice": _("Choose who may see your report.")},
    )


class ComplaintContactForm(AnonymousContactForm):
    """Contact, and the help the citizen needs (UU 8/2016; UU 25/2009 art. 29): asked on every intake so a
    complaint's accommodation needs are served and counted in the inclusion figures."""

    accommodations = forms.MultipleChoiceField(
        label=_("Do you need help or adjustments when the agency contacts you? (optional)"), required=False,
        choices=Accommodation.choices, widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose from the options offered.")},
    )
    accommodation_note = forms.CharField(
        label=_("Anything else we should know? (optional)"), required=False, max_length=300,
        help_text=_("For example: I use a wheelchair, or please call, I cannot read SMS."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
