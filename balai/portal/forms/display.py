"""Display settings form (text size and colours)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from balai.portal.preferences import Display


class DisplayForm(forms.Form):
    text = forms.ChoiceField(
        label=_("Text size"),
        choices=[("normal", _("Normal")), ("large", _("Large")), ("larger", _("Very large"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a text size."), "invalid_choice": _("Choose a text size.")},
    )
    contrast = forms.ChoiceField(
        label=_("Colours"),
        choices=[("normal", _("Normal colours")), ("high", _("High contrast: light text on black"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the colours."), "invalid_choice": _("Choose the colours.")},
    )

    def display(self) -> Display:
        return Display(text=self.cleaned_data["text"], contrast=self.cleaned_data["contrast"])
