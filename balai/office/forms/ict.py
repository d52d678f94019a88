"""Forms of the ICT desk (/kantor/tik/) and the application registry (/kantor/aplikasi/). Parsing only:
the rules are in `balai.ict.services`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from balai.ict import desk
from balai.ict.models import Application, ServiceProfile

LEVEL_CHOICES = [("", _("Choose"))] + [(k, v) for k, v in desk.LEVELS.items()]


class DeskForm(forms.Form):
    """The desk's own fields around the service's form: who asks, for whom, and per ticket type the
    priority inputs, the CSIRT intake or the new application's description."""

    agency = forms.TypedChoiceField(label=_("Requesting agency"), coerce=int)
    on_behalf_of = forms.CharField(
        label=_("On behalf of (optional)"), required=False, max_length=150,
        help_text=_("The official or colleague of your agency you ask for, if not yourself."))
    title = forms.CharField(label=_("Short title"), max_length=200)
    description = forms.CharField(label=_("Details"), required=False, max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, ticket: str, agencies: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ticket = ticket
        self.fields["agency"].choices = [(a.pk, a.name) for a in agencies]
        if len(agencies) == 1:
            self.fields["agency"].initial = agencies[0].pk
        if ticket in (ServiceProfile.Ticket.INCIDENT, ServiceProfile.Ticket.SECURITY):
            self.fields["impact"] = forms.ChoiceField(label=_("Impact"), choices=LEVEL_CHOICES,
                                                      help_text=desk.IMPACT_HELP)
            self.fields["urgency"] = forms.ChoiceField(label=_("Urgency"), choices=LEVEL_CHOICES,
                                                       help_text=desk.URGENCY_HELP)
        if ticket == ServiceProfile.Ticket.SECURITY:
            self.fields["asset"] = forms.CharField(
                label=_("Affected asset"), max_length=300,
                help_text=_("The system, website, server or device affected, with its address."))
            self.fields["taxonomy"] = forms.ChoiceField(
                label=_("Type of incident (reference taxonomy)"),
                choices=[("", _("Choose"))] + list(desk.SECURITY_TAXONOMY.items()))
            self.fields["impact_text"] = forms.CharField(
                label=_("Impact analysis"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("What is affected, since when, whose data, what still works."))
            self.fields["tlp"] = forms.ChoiceField(
                label=_("Sharing (Traffic Light Protocol)"), choices=[("", _("Choose"))] + list(desk.TLP.items()),
                help_text=_("How far the CSIRT may share this report."))
        if ticket == ServiceProfile.Ticket.APPLICATION:
            self.fields["app_name"] = forms.CharField(label=_("Name of the proposed application"), max_length=160)
            self.fields["app_purpose"] = forms.CharField(
                label=_("What it is for"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
                help_text=_("The task it supports and who uses it. Compared with the registry to find "
                            "applications that already do this."))
            self.fields["spbe_code"] = forms.CharField(
                label=_("Business process (SPBE reference-architecture code)"), max_length=32,
                help_text=_("For example RAB.03.02."))
            self.fields["checked_similar"] = forms.BooleanField(
                label=_("I have looked at the similar applications listed and still need a new one."),
                required=False)


class ApprovalForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect,
                                 choices=[("approve", _("Approve")), ("refuse", _("Refuse"))])
    note = forms.CharField(label=_("Note (required when refusing)"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))


class RequesterReplyForm(forms.Form):
    action = forms.ChoiceField(widget=forms.HiddenInput, choices=[
        ("citizen_reply", "citizen_reply"), ("accept", "accept"), ("dispute", "dispute")])
    text = forms.CharField(label=_("Your message"), required=False, max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 4}))


class ApplicationForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = ["name", "agency", "unit", "purpose", "spbe_code", "app_type", "url", "hosting", "technology",
                  "personal_data", "classification", "status", "users", "year", "budget_line",
                  "last_security_test", "legal_basis", "approval_reference", "approval_date", "domain_expires_on",
                  "probe_keyword"]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 4}),
                   "last_security_test": forms.DateInput(attrs={"type": "date"}),
                   "approval_date": forms.DateInput(attrs={"type": "date"}),
                   "domain_expires_on": forms.DateInput(attrs={"type": "date"})}


class NoticeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("incident", _("Incident")),
                                                       ("maintenance", _("Planned maintenance"))])
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("First update"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    starts_at = forms.DateTimeField(label=_("Starts (WITA)"), required=False,
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    ends_at = forms.DateTimeField(label=_("Ends (WITA, for maintenance)"), required=False,
                                  widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    applications = forms.MultipleChoiceField(label=_("Applications affected"), required=False)


class NoticeUpdateForm(forms.Form):
    body = forms.CharField(label=_("Update"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    close = forms.BooleanField(label=_("This ends the incident"), required=False)
