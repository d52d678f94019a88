"""The incident step of a public ICT service's apply flow (reporting a cyber incident to the CSIRT).

The national CSIRT intake the staff desk asks (`balai.office.forms.ict.DeskForm`: affected asset, type of
incident from the reference taxonomy, impact and urgency, impact analysis, evidence, TLP) in plain words
for a citizen. The values are the desk's own (`balai.ict.desk`): the priority and the targets are computed
by the ICT service functions, never here.
"""

from __future__ import annotations

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# The reference taxonomy's classes (desk.SECURITY_TAXONOMY), said the way a citizen sees them.
TAXONOMY_PLAIN: dict[str, Promise] = {
    "intrusions": _("A government website was changed or someone broke into a system or account"),
    "fraud": _("Someone pretends to be the government to cheat people (phishing message, fake site or account)"),
    "information-content-security": _("Personal data leaked, is sold or is misused"),
    "malicious-code": _("A virus or ransomware on a government site, computer or application"),
    "availability": _("A government site or service is down because of an attack"),
    "abusive-content": _("Spam or harmful content sent from or shown on a government site or account"),
    "intrusion-attempts": _("Someone is trying to break in (many login attempts, attacks)"),
    "information-gathering": _("Someone is scanning or spying on the government's systems"),
    "vulnerable": _("I found a weakness in a government system (no harm done yet)"),
    "other": _("Something else, or I am not sure"),
}
IMPACT_PLAIN: dict[str, Promise] = {
    "high": _("Many people: a public service or a whole website cannot be used, or many people's data"),
    "medium": _("Some people, or one part of a website or service"),
    "low": _("Only me, or nobody yet"),
}
URGENCY_PLAIN: dict[str, Promise] = {
    "high": _("Yes, it is happening now and doing harm"),
    "medium": _("It is still going on, but the harm is limited so far"),
    "low": _("It is over, or it can wait a few days"),
}
TLP_PLAIN: dict[str, Promise] = {
    "TLP:CLEAR": _("Yes, it may be published, for example to warn others"),
    "TLP:GREEN": _("Share it with other security teams, but do not publish it"),
    "TLP:AMBER": _("Only the government's teams that need it to fix the problem"),
    "TLP:AMBER+STRICT": _("Only the provincial CSIRT"),
    "TLP:RED": _("Only the people at the CSIRT who handle my report"),
}


class CitizenIncidentForm(forms.Form):
    """Asked after the service's own form, before the contact step."""

    NAMES = ("asset", "taxonomy", "impact", "urgency", "impact_text", "evidence", "evidence_file", "tlp")
    CHOICE_NAMES = ("taxonomy", "impact", "urgency", "tlp")

    def __init__(self, *args: object, security: bool = True, evidence_file: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if security:
            self.fields["asset"] = forms.CharField(
                label=_("Which website, application or account is affected?"), max_length=300,
                help_text=_("Its address if it has one, for example https://dinkes.kaltimprov.go.id, or the "
                            "name of the application, or the sender of the message."))
            self.fields["taxonomy"] = forms.ChoiceField(
                label=_("What happened?"), widget=forms.RadioSelect, choices=list(TAXONOMY_PLAIN.items()),
                error_messages={"required": _("Choose what happened."),
                                "invalid_choice": _("Choose from the options offered.")})
        self.fields["impact"] = forms.ChoiceField(
            label=_("Who is affected?"), widget=forms.RadioSelect, choices=list(IMPACT_PLAIN.items()),
            error_messages={"required": _("Choose who is affected."),
                            "invalid_choice": _("Choose from the options offered.")})
        self.fields["urgency"] = forms.ChoiceField(
            label=_("Is it still going on?"), widget=forms.RadioSelect, choices=list(URGENCY_PLAIN.items()),
            error_messages={"required": _("Choose whether it is still going on."),
                            "invalid_choice": _("Choose from the options offered.")})
        if security:
            self.fields["impact_text"] = forms.CharField(
                label=_("What harm does it do? (optional)"), required=False, max_length=2000,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("Since when, who is harmed, what no longer works."))
            self.fields["evidence"] = forms.CharField(
                label=_("What traces do you have? (optional)"), required=False, max_length=2000,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("Links, the sender and time of a message, error messages, what you saw and when."))
            if evidence_file:
                self.fields["evidence_file"] = forms.FileField(
                    label=_("Screenshot or other proof (optional)"), required=False)
            self.fields["tlp"] = forms.ChoiceField(
                label=_("May we share your report?"), widget=forms.RadioSelect, choices=list(TLP_PLAIN.items()),
                help_text=_("Your name and contact details are never shared. If you are not sure, choose "
                            "the second option."),
                error_messages={"required": _("Choose how far we may share your report."),
                                "invalid_choice": _("Choose from the options offered.")})

    def intake(self) -> dict[str, str]:
        """The desk's CSIRT intake from the cleaned values (`balai.ict.services.public_report_extra`)."""
        data = self.cleaned_data
        return {k: str(data.get(k) or "") for k in ("asset", "taxonomy", "impact_text", "evidence", "tlp")}

