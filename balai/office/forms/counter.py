"""The counter intake form: a case registered by an officer for a citizen who walked in or phoned."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from balai.cases.models import CaseKind, Confidentiality
from balai.catalog.models import Accommodation

SERVICE_KINDS = (CaseKind.SERVICE_REQUEST, CaseKind.ICT_REQUEST)
COMPLAINT_KINDS = (CaseKind.COMPLAINT, CaseKind.ASPIRATION)

# Read aloud to the citizen before registering (UU 27/2022 PDP art. 20–22: a lawful basis, the purpose
# and the retention must be told in plain words; consent is recorded with the case).
CONSENT_TEXT = gettext_lazy(
    "I have read this to the citizen: “Your name, contact details and the information you give are used only "
    "to handle this request, to tell you how it goes and to ask for your rating of the service. Officers of "
    "the responsible agency and the Inspectorate can see them; they are not published. You may ask to see, "
    "correct or delete your data.” The citizen agrees."
)

CONTACT_CHOICES = [
    ("sms", gettext_lazy("SMS")),
    ("whatsapp", gettext_lazy("WhatsApp")),
    ("email", gettext_lazy("E-mail")),
    ("none", gettext_lazy("No messages (paper receipt only)")),
]


class KindForm(forms.Form):
    jenis = forms.ChoiceField(label=gettext_lazy("What does the citizen want?"), choices=CaseKind.choices,
                              widget=forms.RadioSelect)


class CounterForm(forms.Form):
    subject = forms.TypedChoiceField(label="", coerce=int)
    title = forms.CharField(label=gettext_lazy("Short title"), max_length=200, required=False,
                            help_text=gettext_lazy("In the citizen's words, for example “Street light broken”."))
    description = forms.CharField(label=gettext_lazy("What the citizen told you"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 5}))
    contact_name = forms.CharField(label=gettext_lazy("Name"), max_length=200, required=False)
    contact_phone = forms.CharField(label=gettext_lazy("Phone number"), max_length=40, required=False,
                                    widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}))
    contact_email = forms.CharField(label=gettext_lazy("E-mail address"), max_length=254, required=False,
                                    widget=forms.TextInput(attrs={"type": "email", "autocomplete": "off"}))
    contact_address = forms.CharField(label=gettext_lazy("Address"), max_length=400, required=False)
    contact_channel = forms.ChoiceField(label=gettext_lazy("How should we tell the citizen how it goes?"),
                                        choices=CONTACT_CHOICES, initial="none", widget=forms.RadioSelect)
    language = forms.ChoiceField(label=gettext_lazy("Language of messages"),
                                 choices=[("id", "Bahasa Indonesia"), ("en", "English")], initial="id",
                                 widget=forms.RadioSelect)
    confidentiality = forms.ChoiceField(label=gettext_lazy("Who may see the citizen's identity?"),
                                        choices=Confidentiality.choices, initial=Confidentiality.CONFIDENTIAL,
                                        widget=forms.RadioSelect)
    accommodations = forms.MultipleChoiceField(label=gettext_lazy("Accommodations the citizen needs"),
                                               choices=Accommodation.choices, required=False,
                                               widget=forms.CheckboxSelectMultiple)
    accommodation_note = forms.CharField(label=gettext_lazy("Other needs"), max_length=500, required=False)
    consent = forms.BooleanField(label=CONSENT_TEXT, required=True,
                                 error_messages={"required": gettext_lazy(
                                     "Read the text to the citizen and tick the box when they agree.")})

    def __init__(self, *args: Any, kind: str, subjects: list, subject_label: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["subject"].choices = [("", _("Choose…"))] + subjects
        self.fields["subject"].label = subject_label
        if kind in SERVICE_KINDS:
            del self.fields["subject"]  # chosen in the previous step (in the address)
        if kind not in COMPLAINT_KINDS:
            # Anonymity is for complaints and aspirations (whistle-blowing); a service needs a name.
            self.fields["confidentiality"].choices = [c for c in Confidentiality.choices
                                                      if c[0] != Confidentiality.ANONYMOUS]
        if kind == CaseKind.INFORMATION_REQUEST:
            # UU 14/2008 art. 22: an information request names the applicant.
            self.fields["contact_name"].required = True

    def clean(self) -> dict:
        data = super().clean()
        channel = data.get("contact_channel")
        if channel in ("sms", "whatsapp") and not data.get("contact_phone"):
            self.add_error("contact_phone", _("Enter the phone number, or choose “No messages”."))
        if channel == "email" and not data.get("contact_email"):
            self.add_error("contact_email", _("Enter the e-mail address, or choose “No messages”."))
        if self.kind not in SERVICE_KINDS and not (data.get("title") or "").strip():
            self.add_error("title", _("Give the request a short title."))
        return data
