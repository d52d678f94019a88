"""Forms of the apply flow that are not generated from the service's form definition."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from balai.catalog.models import Accommodation


class AccommodationForm(forms.Form):
    """Accommodation needs, limited to what the service offers (UU 8/2016 on persons with disabilities)."""

    accommodations = forms.MultipleChoiceField(
        label=_("Do you need any of these?"), required=False, widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose from the options offered.")},
    )
    accommodation_note = forms.CharField(
        label=_("Anything else we should know to serve you well? (optional)"), required=False, max_length=500,
        help_text=_("For example: I use a wheelchair, or please speak slowly."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, offered: list[str] | tuple[str, ...] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(Accommodation.choices)
        self.fields["accommodations"].choices = [(a, labels[a]) for a in offered if a in labels]
        if not self.fields["accommodations"].choices:
            del self.fields["accommodations"]
