"""Bulk actions (/kantor/massal/): assign or forward several open cases of the officer's units at once.

Each case goes through the engine on its own (its own transition, Event and audit record, its own
optimistic-lock check): one case that cannot be changed does not stop the others, and the officer gets a
result per case.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from balai.agencies.selectors import forwarding_targets_of
from balai.cases.bulk import bulk_apply
from balai.cases.queue import open_queue_head, queue_title
from balai.office.rules import office_view
from balai.people.selectors import officers_of_units, user_by_pk

LIST_SIZE = 100
MAX_SELECTED = 100


class BulkForm(forms.Form):
    action = forms.ChoiceField(label=gettext_lazy("Action"), widget=forms.RadioSelect,
                               choices=[("assign", gettext_lazy("Assign to an officer")),
                                        ("dispose", gettext_lazy("Forward to another unit or agency"))])
    assignee = forms.TypedChoiceField(label=gettext_lazy("Officer"), coerce=int, required=False)
    target = forms.ChoiceField(label=gettext_lazy("Forward to"), required=False)
    reason = forms.CharField(label=gettext_lazy("Reason for forwarding"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))
    cases = forms.MultipleChoiceField(label=gettext_lazy("Cases"), widget=forms.CheckboxSelectMultiple,
                                      error_messages={"required": gettext_lazy("Choose at least one case.")})

    def __init__(self, *args: Any, cases: list[Any], assignees: list, targets: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cases"].choices = [(c.tracking_code, c.tracking_code) for c in cases]
        self.fields["assignee"].choices = [("", _("Choose…"))] + assignees
        self.fields["target"].choices = [("", _("Choose…"))] + targets

    def clean_cases(self) -> list[str]:
        codes = self.cleaned_data["cases"]
        if len(codes) > MAX_SELECTED:
            raise ValidationError(_("Choose at most %(n)d cases at a time.") % {"n": MAX_SELECTED})
        return codes

    def clean(self) -> dict:
        data = super().clean()
        if data.get("action") == "assign" and not data.get("assignee"):
            self.add_error("assignee", _("Choose the officer."))
        if data.get("action") == "dispose":
            if not data.get("target"):
                self.add_error("target", _("Choose where to forward the cases."))
            if not (data.get("reason") or "").strip():
                self.add_error("reason", _("Give the reason for forwarding."))
        return data


def _targets(user: Any) -> list[tuple[str, str]]:
    agencies, units = forwarding_targets_of(user)
    out = [(f"a:{agency.pk}", _("%(agency)s (its service desk)") % {"agency": agency.short_name})
           for agency in agencies]
    return out + [(f"u:{unit.pk}", f"{unit.agency.short_name} · {unit.name}") for unit in units]


@office_view("office:bulk")
def bulk_view(request: HttpRequest) -> HttpResponse:
    cases = open_queue_head(user=request.user, limit=LIST_SIZE)
    form_kwargs = {"cases": cases, "assignees": officers_of_units(request.user), "targets": _targets(request.user)}
    results = None
    status = 200
    if request.method == "POST":
        # Codes posted that are no longer in the first page still count (another officer may have changed
        # the list): the engine and the unit check decide, each case separately.
        extra = [c for c in request.POST.getlist("cases") if c not in {x.tracking_code for x in cases}]
        form = BulkForm(request.POST, **form_kwargs)
        form.fields["cases"].choices += [(c, c) for c in extra[:MAX_SELECTED]]
        if form.is_valid():
            data = form.cleaned_data
            assignee = user_by_pk(data.get("assignee"))
            results = bulk_apply(user=request.user, codes=data["cases"], action=data["action"], assignee=assignee,
                                 target=data.get("target", ""), reason=data.get("reason", ""))
            cases = open_queue_head(user=request.user, limit=LIST_SIZE)
            form_kwargs["cases"] = cases
            form = BulkForm(**form_kwargs)
        else:
            status = 400
    else:
        form = BulkForm(**form_kwargs)
    rows = [{"case": c, "title": queue_title(c)} for c in cases]
    return render(request, "office/bulk.html", {
        "form": form, "rows": rows, "results": results, "office_section": "bulk",
        "ok_count": sum(r.ok for r in results or []), "failed_count": sum(not r.ok for r in results or []),
        "selected": set(request.POST.getlist("cases")) if status == 400 else set(),
    }, status=status)
