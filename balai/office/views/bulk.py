"""Bulk actions (/kantor/massal/): assign or forward several open cases of the officer's units at once.

Each case goes through the engine on its own (its own transition, Event and audit record, its own
optimistic-lock check): one case that cannot be changed does not stop the others, and the officer gets a
result per case.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from balai.cases.errors import CaseError
from balai.cases.services import case_assign, case_dispose
from balai.office import selectors
from balai.office.rules import office_view

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


@dataclass
class BulkResult:
    code: str
    ok: bool
    message: str


def _assignees(user: Any) -> list[tuple[int, str]]:
    from balai.people.models import Membership
    from balai.people.permissions import units_for

    qs = (Membership.objects.filter(is_active=True, user__is_active=True, unit__in=units_for(user))
          .select_related("user").order_by("user__full_name", "user_id"))
    seen: dict[int, str] = {}
    for m in qs:
        seen.setdefault(m.user_id, m.user.full_name or m.user.get_username())
    return list(seen.items())


def _targets(user: Any) -> list[tuple[str, str]]:
    from balai.agencies.models import Agency, Unit
    from balai.people.permissions import units_for

    govs = set(units_for(user).values_list("agency__government_id", flat=True))
    out: list[tuple[str, str]] = []
    for agency in Agency.objects.filter(government__in=govs, is_active=True).order_by("short_name"):
        out.append((f"a:{agency.pk}", _("%(agency)s (its service desk)") % {"agency": agency.short_name}))
    for unit in (Unit.objects.filter(agency__government__in=govs, is_active=True)
                 .select_related("agency").order_by("agency__short_name", "name_id")):
        out.append((f"u:{unit.pk}", f"{unit.agency.short_name} · {unit.name}"))
    return out


def bulk_apply(*, user: Any, codes: list[str], action: str, assignee: Any = None, target: str = "",
               reason: str = "") -> list[BulkResult]:
    """Apply `action` to each case separately through the engine; one result per case."""
    from balai.agencies.models import Agency, Unit
    from balai.cases.selectors import case_by_code

    target_unit = target_agency = None
    if target.startswith("u:"):
        target_unit = Unit.objects.filter(pk=target[2:]).first()
    elif target.startswith("a:"):
        target_agency = Agency.objects.filter(pk=target[2:]).first()
    allowed = selectors.base_queue(user=user)
    results = []
    for code in codes:
        case = case_by_code(code)
        if case is None or not allowed.filter(pk=case.pk).exists():
            results.append(BulkResult(code, False, _("Not found in your units.")))
            continue
        try:
            if action == "assign":
                case_assign(case=case, actor=user, assignee=assignee, expected_version=case.version)
                message = _("Assigned.")
            else:
                case_dispose(case=case, actor=user, reason=reason, target_unit=target_unit,
                             target_agency=target_agency, expected_version=case.version)
                message = _("Forwarded.")
            results.append(BulkResult(case.tracking_code, True, message))
        except CaseError as exc:
            results.append(BulkResult(case.tracking_code, False, exc.message))
        except (ValidationError, PermissionDenied) as exc:
            text = "; ".join(getattr(exc, "messages", None) or [str(exc)]) or _("The case could not be changed.")
            results.append(BulkResult(case.tracking_code, False, text))
    return results


@office_view("office:bulk")
def bulk_view(request: HttpRequest) -> HttpResponse:
    from balai.people.models import User

    cases = list(selectors.base_queue(user=request.user).filter(is_open=True).order_by("due_at", "id")[:LIST_SIZE])
    form_kwargs = {"cases": cases, "assignees": _assignees(request.user), "targets": _targets(request.user)}
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
            assignee = User.objects.filter(pk=data.get("assignee")).first() if data.get("assignee") else None
            results = bulk_apply(user=request.user, codes=data["cases"], action=data["action"], assignee=assignee,
                                 target=data.get("target", ""), reason=data.get("reason", ""))
            cases = list(selectors.base_queue(user=request.user).filter(is_open=True)
                         .order_by("due_at", "id")[:LIST_SIZE])
            form_kwargs["cases"] = cases
            form = BulkForm(**form_kwargs)
        else:
            status = 400
    else:
        form = BulkForm(**form_kwargs)
    rows = [{"case": c, "title": selectors.queue_title(c)} for c in cases]
    return render(request, "office/bulk.html", {
        "form": form, "rows": rows, "results": results, "office_section": "bulk",
        "ok_count": sum(r.ok for r in results or []), "failed_count": sum(not r.ok for r in results or []),
        "selected": set(request.POST.getlist("cases")) if status == 400 else set(),
    }, status=status)
