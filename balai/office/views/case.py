"""The case page: what the officer may see (case_view) and the actions the engine allows now."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from balai.cases.attachments import attachment_response
from balai.cases.commands import CaseCommand
from balai.cases.errors import CaseError, ConflictError, MissingRequirement
from balai.cases.selectors import case_attachment, case_form_definition, case_promise
from balai.cases.services import available_actions, case_edit_public_version, case_transition
from balai.cases.workflows import status_label
from balai.catalog.answers import answer_rows
from balai.catalog.models import Accommodation
from balai.i18n import current_language
from balai.ict import desk
from balai.ict import selectors as ict
from balai.office import selectors
from balai.office.forms.case import CANNED_ACTIONS, ActionForm, CannedAnswerForm
from balai.office.rules import case_for_viewer, office_view
from balai.people.permissions import has_permission

# What the agency must arrange for each accommodation need (UU 8/2016 art. 19; UU 25/2009 art. 29).
ARRANGEMENTS = {
    Accommodation.SIGN_LANGUAGE: gettext_lazy(
        "Book a sign-language (BISINDO) interpreter for any meeting or call, or answer in writing."),
    Accommodation.WHEELCHAIR: gettext_lazy(
        "Receive the citizen on the ground floor or in a room with step-free access."),
    Accommodation.HOME_VISIT: gettext_lazy(
        "Plan a home visit by an officer instead of asking the citizen to come to the office."),
    Accommodation.READING_HELP: gettext_lazy(
        "Read documents aloud and help fill in forms; confirm the answer by phone as well."),
    Accommodation.LARGE_PRINT: gettext_lazy("Send letters and documents in large print (at least 18 pt)."),
    Accommodation.BRAILLE: gettext_lazy("Send letters and documents in Braille, or in a format a screen reader can read."),
    Accommodation.AUDIO: gettext_lazy("Give the answer as audio or by phone as well as in writing."),
    Accommodation.REGIONAL_LANGUAGE: gettext_lazy(
        "Arrange an interpreter for the citizen's regional language (for example Banjar, Kutai or Dayak)."),
}

# Engine field names (MissingRequirement.field_errors) → form fields.
FIELD_MAP = {"target_unit": "target", "target_agency": "target", "files": "files"}


def _forms_for(case: Any, specs: list[Any], *, bound: ActionForm | None, initial_body: dict[str, str]) -> list[dict]:
    assignees = selectors.assignee_choices(case) if any("assignee" in s.requires for s in specs) else []
    targets = selectors.target_choices(case) if any("target" in s.requires for s in specs) else []
    canned = selectors.canned_answers_for(case)
    out = []
    for spec in specs:
        if bound is not None and bound.spec.name == spec.name:
            form = bound
        else:
            initial = {"body": initial_body[spec.name]} if spec.name in initial_body else None
            form = ActionForm(spec=spec, case=case, assignees=assignees, targets=targets, initial=initial)
        canned_form = (CannedAnswerForm(canned=canned, action=spec.name)
                       if canned and spec.name in CANNED_ACTIONS and "body" in form.fields else None)
        out.append({"spec": spec, "form": form, "canned_form": canned_form,
                    "has_files": "files" in form.fields, "is_internal": not spec.is_public})
    return out


def _canned_initial(request: HttpRequest, case: Any) -> dict[str, str]:
    """?jawaban=<id>&aksi=<action> pre-fills that action's text with a canned answer of the agency."""
    raw, action = request.GET.get("jawaban", ""), request.GET.get("aksi", "")
    if not raw.isdigit() or not action:
        return {}
    for canned in selectors.canned_answers_for(case):
        if canned.pk == int(raw):
            return {action: canned.body_for(case.language)}
    return {}


def _render(request: HttpRequest, case: Any, view: Any, *, bound: ActionForm | None = None,
            conflict: bool = False, lost_text: list[tuple[str, str]] | None = None, status: int = 200) -> HttpResponse:
    specs = available_actions(case=case, user=request.user)
    contact = view.contact
    accommodations = [{"label": Accommodation(a).label if a in Accommodation.values else a,
                       "arrangement": ARRANGEMENTS.get(a, "")} for a in (case.accommodations or [])]
    context = {
        "case": case, "view": view, "status_label": status_label(case.kind, case.status),
        "clock": selectors.clock_summary(case, now=timezone.now()),
        "promise": case_promise(case, viewer=request.user),
        "actions": _forms_for(case, specs, bound=bound, initial_body=_canned_initial(request, case)),
        "accommodations": accommodations,
        "failing": selectors.contact_failing(contact, case.citizen if view.can_see_identity and case.citizen_id else None),
        "conflict": conflict, "lost_text": lost_text or [],
        "answers": answer_rows(case_form_definition(case), view.answers,
                               lang=current_language()),
        "attachment_ids": {a.pk for a in view.attachments},
        "display_title": view.title or "",
        "can_moderate": (case.kind in ("complaint", "aspiration") and case.confidentiality != "anonymous"
                         and _may_verify(request.user, case)),
        "timeline": _timeline(case, view),
        "ict_panel": _ict_panel(case, request.user),
    }
    return render(request, "office/case.html", context, status=status)


def _may_verify(user: Any, case: Any) -> bool:
    from balai.people.permissions import has_permission

    return has_permission(user, "case.verify", case)


def _ict_panel(case: Any, user: Any) -> dict | None:
    """An ICT request's desk data: requesting agency, priority and targets, approval, CSIRT intake, and for
    a proposed application the existing similar ones (the reviewer sees what the requester saw)."""
    if case.kind != "ict_request":
        return None
    info = (case.extra or {}).get("ict") or {}
    proposal = info.get("proposal") or {}
    csirt = info.get("csirt") or {}
    return {
        "info": info, "approval": (case.extra or {}).get("approval") or {}, "targets": ict.case_targets(case),
        "may_publish": has_permission(user, "ict.manage_registry"),
        "csirt": csirt, "taxonomy": desk.SECURITY_TAXONOMY.get(csirt.get("taxonomy", ""), ""),
        "tlp": desk.TLP.get(csirt.get("tlp", ""), ""), "proposal": proposal,
        "similar": ict.similar_applications(purpose=f"{proposal.get('name', '')} {proposal.get('purpose', '')}",
                                            spbe_code=proposal.get("spbe_code", "")) if proposal else None,
    }


def _timeline(case: Any, view: Any) -> list[dict]:
    """Newest first, each entry with a readable title and its public/internal label."""
    from balai.cases.models import Event
    from balai.cases.workflows import workflow_for

    wf = workflow_for(case.kind)
    kinds = dict(Event.Kind.choices)
    out = []
    for entry in reversed(view.timeline):
        transition = wf.transition(entry.action) if entry.action else None
        title = transition.label if transition is not None else kinds.get(entry.kind, entry.kind)
        changed = entry.from_status and entry.to_status and entry.from_status != entry.to_status
        out.append({
            "entry": entry, "title": title,
            "to_status": status_label(case.kind, entry.to_status) if changed else "",
            "reason": (entry.data or {}).get("reason", ""),
        })
    return out


@office_view("office:case")
def case_view(request: HttpRequest, code: str) -> HttpResponse:
    case, view = case_for_viewer(request, code)
    if request.method != "POST":
        return _render(request, case, view)

    name = request.POST.get("action") or next(
        (v for k, v in request.POST.items() if k.endswith("-action")), "")
    specs = {s.name: s for s in available_actions(case=case, user=request.user)}
    spec = specs.get(name)
    if spec is None:
        posted = request.POST.get(f"{name}-expected_version", "")
        if posted.isdigit() and int(posted) != case.version:
            # The case changed under the officer and the action went away with it: keep the text.
            lost = [(label, request.POST.get(f"{name}-{field}", "")) for field, label in
                    (("reason", _("Reason")), ("body", _("Text")))]
            return _render(request, case, view, conflict=True, lost_text=[(k, v) for k, v in lost if v.strip()],
                           status=409)
        messages.error(request, _("This action is not possible on this case now. The page shows what you can do."))
        return redirect(reverse("office:case", args=[case.tracking_code]))
    form = ActionForm(request.POST, request.FILES, spec=spec, case=case,
                      assignees=selectors.assignee_choices(case) if "assignee" in spec.requires else [],
                      targets=selectors.target_choices(case) if "target" in spec.requires else [])
    if not form.is_valid():
        return _render(request, case, view, bound=form, status=400)
    try:
        case_transition(case, CaseCommand(action=spec.name, actor=request.user,
                        expected_version=form.cleaned_data["expected_version"], **form.engine_kwargs()))
    except ConflictError:
        return _conflict(request, code, form)
    except MissingRequirement as exc:
        for field, errors in exc.field_errors.items():
            target = FIELD_MAP.get(field, field)
            for message in errors:
                form.add_error(target if target in form.fields else None, message)
        return _render(request, case, view, bound=form, status=400)
    except ValidationError as exc:  # an attachment refused by the engine (type, size, active content)
        for message in exc.messages:
            form.add_error("files" if "files" in form.fields else None, message)
        return _render(request, case, view, bound=form, status=400)
    except CaseError as exc:  # TransitionNotAllowed, PermissionDeniedError
        form.add_error(None, str(exc))
        return _render(request, case, view, bound=form, status=400)
    messages.success(request, _("Done: %(action)s.") % {"action": spec.label})
    return redirect(reverse("office:case", args=[case.tracking_code]) + "#timeline")


def _conflict(request: HttpRequest, code: str, form: ActionForm) -> HttpResponse:
    """Someone else changed the case: show it as it is now, keep what the officer typed."""
    case, view = case_for_viewer(request, code)  # fresh from the database
    specs = {s.name: s for s in available_actions(case=case, user=request.user)}
    spec = specs.get(form.spec.name)
    if spec is None:
        return _render(request, case, view, conflict=True, lost_text=form.typed_text(), status=409)
    data = request.POST.copy()
    data[form.add_prefix("expected_version")] = str(case.version)
    again = ActionForm(data, spec=spec, case=case,
                       assignees=selectors.assignee_choices(case) if "assignee" in spec.requires else [],
                       targets=selectors.target_choices(case) if "target" in spec.requires else [])
    again.is_valid()
    return _render(request, case, view, bound=again, conflict=True, status=409)


@office_view("office:attachment")
def attachment_view(request: HttpRequest, code: str, attachment_id: int) -> HttpResponse:
    case, _view = case_for_viewer(request, code)
    attachment = case_attachment(case, attachment_id)
    if attachment is None:
        raise Http404
    return attachment_response(attachment=attachment, viewer=request.user)


@office_view("office:case_public")
def public_version_view(request: HttpRequest, code: str) -> HttpResponse:
    """Edit what the public reads of a public complaint (ADR 0043): the original stays for staff and the
    citizen; both versions go to the audit chain. Only staff who may verify the case."""
    from balai.cases.visibility import public_version, redact_public
    from balai.office.forms.case import PublicVersionForm
    from balai.people.permissions import has_permission

    case, view = case_for_viewer(request, code)
    if not has_permission(request.user, "case.verify", case) or case.confidentiality == "anonymous":
        raise PermissionDenied  # an anonymous report is never public: nothing to moderate
    initial = {"title": public_version(case, "title"), "description": public_version(case, "description")}
    form = PublicVersionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            case_edit_public_version(case=case, actor=request.user, title=form.cleaned_data["title"],
                                     description=form.cleaned_data["description"])
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        except CaseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The public version was saved. The original is kept."))
            return redirect(reverse("office:case", args=[case.tracking_code]))
    preview = {"title": redact_public(public_version(case, "title"), case=case),
               "description": redact_public(public_version(case, "description"), case=case)}
    return render(request, "office/case_public.html", {
        "case": case, "form": form, "preview": preview, "original_title": view.title or "",
        "original_description": view.description or "",
        "listed": case.confidentiality == "public" and case.verified_at is not None,
    }, status=400 if form.errors else 200)
