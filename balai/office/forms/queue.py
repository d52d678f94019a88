"""The queue's filter form: a plain GET form (works without JavaScript)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from balai.agencies.selectors import regencies_by_code
from balai.cases.models import CaseKind, Confidentiality
from balai.cases.queue import QueueFilters
from balai.cases.workflows import STATE_LABELS
from balai.catalog.models import Accommodation, Channel
from balai.catalog.selectors import active_complaint_categories, services_managed_by

ANY = [("", _("Any"))]


def _label(obj: Any) -> str:
    return getattr(obj, "name", None) or getattr(obj, "name_id", "") or str(obj)


class QueueFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200,
                        help_text=_("Tracking code or words from the title or description."),
                        widget=forms.TextInput(attrs={"type": "search"}))
    state = forms.ChoiceField(label=_("Open or closed"), required=False, choices=[
        ("open", _("Open")), ("closed", _("Closed")), ("all", _("All"))])
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=ANY + list(CaseKind.choices))
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=ANY + [(k, v) for k, v in STATE_LABELS.items()])
    service = forms.TypedChoiceField(label=_("Service"), required=False, coerce=int, empty_value=None)
    category = forms.TypedChoiceField(label=_("Complaint category"), required=False, coerce=int, empty_value=None)
    channel = forms.ChoiceField(label=_("Channel"), required=False, choices=ANY + list(Channel.choices))
    region = forms.TypedChoiceField(label=_("Regency or city"), required=False, coerce=int, empty_value=None)
    deadline = forms.ChoiceField(label=_("Deadline"), required=False, choices=ANY + [
        ("due_soon", _("Due soon")), ("breached", _("Past the deadline")), ("on_time", _("On time"))])
    accommodation = forms.ChoiceField(label=_("Accommodation needs"), required=False, choices=ANY + [
        ("any", _("Any accommodation need"))] + list(Accommodation.choices))
    confidentiality = forms.ChoiceField(label=_("Confidentiality"), required=False,
                                        choices=ANY + list(Confidentiality.choices))
    triage = forms.ChoiceField(
        label=_("Triage"), required=False, choices=ANY + [("sms", _("Messages without a keyword, to sort"))],
        help_text=_("SMS and WhatsApp messages Balai could not file under a category: read each one and "
                    "forward it to the unit it belongs to."))
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=[
        ("due", _("Deadline, soonest first")), ("newest", _("Newest first"))])

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._services = {s.pk: s for s in services_managed_by(user)}
        self._categories = {c.pk: c for c in active_complaint_categories(order_by=("name_id",))}
        self._regions = {r.pk: r for r in regencies_by_code()}
        self.fields["service"].choices = ANY + [(pk, _label(s)) for pk, s in self._services.items()]
        self.fields["category"].choices = ANY + [(pk, _label(c)) for pk, c in self._categories.items()]
        self.fields["region"].choices = ANY + [(pk, r.name) for pk, r in self._regions.items()]

    def filters(self) -> QueueFilters:
        """The filters asked for; invalid values are ignored (the form shows their errors)."""
        data = self.cleaned_data if self.is_valid() else {
            k: v for k, v in getattr(self, "cleaned_data", {}).items() if k not in self.errors}
        return QueueFilters(
            kind=data.get("kind") or "", status=data.get("status") or "", state=data.get("state") or "open",
            service=self._services.get(data.get("service")), category=self._categories.get(data.get("category")),
            channel=data.get("channel") or "", region=self._regions.get(data.get("region")),
            deadline=data.get("deadline") or "", accommodation=data.get("accommodation") or "",
            confidentiality=data.get("confidentiality") or "", triage=data.get("triage") == "sms",
            search=data.get("q") or "",
            sort=data.get("sort") or "due",
        )

    def is_filtered(self) -> bool:
        f = self.filters()
        return f != QueueFilters(sort=f.sort)
