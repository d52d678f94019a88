"""Diskominfo's ICT service desk for the agencies (/kantor/tik/) and the application registry
(/kantor/aplikasi/), docs/regulations.md §8 and §13.

Any staff member of any agency asks for an ICT service with the service's own form; the request is a
case handled by the ICT agents in their ordinary queue and case page. The requester follows it here
(reply, confirm, not solved); the head of the requesting agency approves where the service needs it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from balai.cases.commands import CaseCommand
from balai.cases.errors import CaseError
from balai.cases.selectors import ict_request_by_code, public_timeline
from balai.cases.services import case_transition, citizen_actions
from balai.cases.workflows import status_label
from balai.catalog.answers import answer_rows
from balai.catalog.form_definition import build_form_class
from balai.i18n import current_language
from balai.ict import desk
from balai.ict import selectors as ict
from balai.ict.models import Application, ServiceProfile
from balai.ict.services import (
    DeskRequest,
    application_save,
    decide_approval,
    desk_submit,
    notice_open,
    notice_update,
)
from balai.office.forms.ict import (
    ApplicationForm,
    ApprovalForm,
    DeskForm,
    NoticeForm,
    NoticeUpdateForm,
    RequesterReplyForm,
)
from balai.office.rules import office_view
from balai.people.permissions import has_permission
from balai.worktime.calendar import LOCAL_TZ

ANSWERS_PREFIX = "isian"
TICKET_ORDER = [ServiceProfile.Ticket.INCIDENT, ServiceProfile.Ticket.SECURITY, ServiceProfile.Ticket.REQUEST,
                ServiceProfile.Ticket.APPLICATION]


@office_view("office:ict_desk")
def desk_view(request: HttpRequest) -> HttpResponse:
    groups: dict[str, list[Any]] = {t: [] for t in TICKET_ORDER}
    for service in ict.desk_services():
        groups[ict.profile_of(service).ticket].append(service)
    labels = dict(ServiceProfile.Ticket.choices)
    return render(request, "office/ict_desk.html", {
        "groups": [(labels[t], items) for t, items in groups.items() if items],
        "mine": ict.my_desk_requests(request.user)[:20],
        "approvals": ict.approvals_waiting(request.user),
        "office_section": "ict",
    })


def _split_answers(service_form: Any) -> tuple[dict, dict]:
    answers: dict[str, Any] = {}
    files: dict[str, Any] = {}
    if service_form is None:
        return answers, files
    for name, value in service_form.cleaned_data.items():
        if service_form.fields[name].definition.get("type") == "file":
            if value:
                files[name] = value
        else:
            answers[name] = value
    return answers, files


@office_view("office:ict_service")
def desk_service_view(request: HttpRequest, code: str) -> HttpResponse:
    service = ict.desk_service(code)
    if service is None:
        raise Http404(_("No ICT service with this code."))
    profile = ict.profile_of(service)
    agencies = ict.requester_agencies(request.user)
    lang = current_language()
    form_class = build_form_class(service.form_definition or [], lang=lang) if service.form_definition else None
    similar: list[Any] | None = None
    status = 200
    if request.method == "POST":
        form = DeskForm(request.POST, ticket=profile.ticket, agencies=agencies)
        service_form = form_class(request.POST, request.FILES, prefix=ANSWERS_PREFIX) if form_class else None
        valid = form.is_valid() & (service_form.is_valid() if service_form else True)
        if profile.ticket == ServiceProfile.Ticket.APPLICATION and form.is_bound:
            purpose = request.POST.get("app_purpose", "")
            similar = ict.similar_applications(purpose=purpose, spbe_code=request.POST.get("spbe_code", ""))
            if valid and similar and not form.cleaned_data.get("checked_similar"):
                form.add_error("checked_similar", _("Look at the similar applications below first, then tick "
                                                    "the box if a new application is still needed."))
                valid = False
        if valid:
            case = _submit(request, service=service, form=form, service_form=service_form)
            if case is not None:
                messages.success(request, _("Your request is registered as %(code)s.") % {"code": case.tracking_code})
                return redirect("office:ict_request", code=case.tracking_code)
        status = 400
    else:
        form = DeskForm(ticket=profile.ticket, agencies=agencies,
                        initial={"title": service.name})
        service_form = form_class(prefix=ANSWERS_PREFIX, initial={
            "officer_name": request.user.full_name}) if form_class else None
    return render(request, "office/ict_service.html", {
        "service": service, "profile": profile, "form": form, "service_form": service_form,
        "similar": similar, "office_section": "ict", "no_agency": not agencies,
        "has_files": bool(service_form and any(f.field.widget.needs_multipart_form for f in service_form)),
        "targets": [(p, desk.PRIORITY_LABELS[p], r, s) for p, (r, s) in desk.TARGETS.items()]
        if profile.ticket in (ServiceProfile.Ticket.INCIDENT, ServiceProfile.Ticket.SECURITY) else [],
    }, status=status)


def _submit(request: HttpRequest, *, service: Any, form: DeskForm, service_form: Any) -> Any:
    data = form.cleaned_data
    answers, files = _split_answers(service_form)
    req = DeskRequest(
        service=service, requester=request.user, agency_id=data["agency"], title=data["title"],
        description=data.get("description", ""), on_behalf_of=data.get("on_behalf_of", ""),
        answers=answers, files=files, impact=data.get("impact", ""), urgency=data.get("urgency", ""),
        security={k: data.get(k, "") for k in ("asset", "taxonomy", "impact_text", "tlp")},
        proposal={"name": data.get("app_name", ""), "purpose": data.get("app_purpose", ""),
                  "spbe_code": data.get("spbe_code", "")},
        language=current_language())
    try:
        return desk_submit(req)
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            name = field.removeprefix("answers.")
            target: Any = form
            if field.startswith("answers.") and service_form is not None and name in service_form.fields:
                target = service_form
            elif name not in form.fields:
                name = None
            for message in errors:
                target.add_error(name, message)
        return None


@office_view("office:ict_request")
def desk_request_view(request: HttpRequest, code: str) -> HttpResponse:
    case = ict.my_desk_request(request.user, code)
    if case is None:
        raise Http404(_("No ICT request of yours with this code."))
    is_requester = case.citizen_id == request.user.pk
    approval = (case.extra or {}).get("approval") or {}
    may_approve = approval.get("state") == "pending" and ict.is_agency_head(request.user, approval.get("agency"))
    reply_form = RequesterReplyForm()
    approval_form = ApprovalForm()
    status = 200
    if request.method == "POST":
        if request.POST.get("form") == "approval" and may_approve:
            approval_form = ApprovalForm(request.POST)
            if approval_form.is_valid():
                try:
                    decide_approval(case=case, actor=request.user,
                                    approve=approval_form.cleaned_data["decision"] == "approve",
                                    note=approval_form.cleaned_data["note"])
                    messages.success(request, _("Your decision is recorded."))
                    return redirect("office:ict_request", code=case.tracking_code)
                except ValidationError as exc:
                    for messages_ in exc.message_dict.values():
                        for m in messages_:
                            approval_form.add_error("note", m)
                except PermissionDenied:
                    raise
        elif request.POST.get("form") == "reply" and is_requester:
            reply_form = RequesterReplyForm(request.POST)
            if reply_form.is_valid():
                action = reply_form.cleaned_data["action"]
                text = reply_form.cleaned_data["text"]
                try:
                    case_transition(case, CaseCommand(action=action, actor=request.user, body=text, reason=text,
                                    expected_version=case.version))
                    messages.success(request, _("Sent."))
                    return redirect("office:ict_request", code=case.tracking_code)
                except CaseError as exc:
                    reply_form.add_error("text", str(exc))
        status = 400
    actions = citizen_actions(case=case) if is_requester else []
    return render(request, "office/ict_request.html", {
        "case": case, "status_label": status_label(case.kind, case.status), "info": (case.extra or {}).get("ict", {}),
        "approval": approval, "may_approve": may_approve, "approval_form": approval_form,
        "reply_form": reply_form, "actions": actions, "timeline": public_timeline(case),
        "targets": ict.case_targets(case), "office_section": "ict",
        "answers": answer_rows(case.service.form_definition if case.service_id else None, case.answers or {},
                               lang=current_language()),
    }, status=status)


# --- the registry ---------------------------------------------------------------------------------


def _may_manage(user: Any) -> bool:
    return has_permission(user, "ict.manage_registry")


@office_view("office:applications")
def applications_view(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    query = (request.GET.get("q", "") or "")[:100]
    page = Paginator(ict.applications(status=status, query=query), 50).get_page(request.GET.get("halaman"))
    return render(request, "office/ict_applications.html", {
        "page": page, "status": status, "q": query, "statuses": Application.Status.choices,
        "may_manage": _may_manage(request.user), "office_section": "applications",
    })


@office_view("office:application")
def application_view(request: HttpRequest, slug: str) -> HttpResponse:
    app = ict.application(slug)
    if app is None:
        raise Http404(_("No application with this name."))
    return render(request, "office/ict_application.html", {
        "app": app, "similar": ict.similar_applications(purpose=f"{app.name} {app.purpose}",
                                                        spbe_code=app.spbe_code, exclude=app.pk),
        "may_manage": _may_manage(request.user), "office_section": "applications",
    })


@office_view("office:application_new")
def application_new_view(request: HttpRequest) -> HttpResponse:
    return _edit(request, "")


@office_view("office:application_edit")
def application_edit_view(request: HttpRequest, slug: str) -> HttpResponse:
    return _edit(request, slug)


def _edit(request: HttpRequest, slug: str) -> HttpResponse:
    instance = ict.application(slug) if slug else None
    if slug and instance is None:
        raise Http404(_("No application with this name."))
    form = ApplicationForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in ApplicationForm.Meta.fields}
        try:
            app = application_save(actor=request.user, data=data, instance=instance)
        except ValidationError as exc:
            for field, errs in exc.message_dict.items():
                for m in errs:
                    form.add_error(field if field in form.fields else None, m)
        else:
            messages.success(request, _("Saved."))
            return redirect("office:application", slug=app.slug)
    return render(request, "office/ict_application_edit.html", {
        "form": form, "app": instance, "office_section": "applications"},
        status=400 if request.method == "POST" else 200)


@office_view("office:application_clusters")
def clusters_view(request: HttpRequest) -> HttpResponse:
    return render(request, "office/ict_clusters.html", {
        "clusters": ict.duplicate_clusters(), "office_section": "applications"})


@office_view("office:ict_notices")
def notices_view(request: HttpRequest) -> HttpResponse:
    """The ICT agents publish incidents (from a desk ticket) and planned maintenance on /status/."""
    code = (request.GET.get("berkas") or request.POST.get("berkas") or "")[:20]
    case = ict_request_by_code(code) if code else None
    form = NoticeForm(initial={"kind": "incident", "title": case.title if case else ""})
    form.fields["applications"].choices = ict.notice_application_choices()
    update_form = NoticeUpdateForm()
    status = 200
    if request.method == "POST":
        if request.POST.get("form") == "update":
            target = ict.notice(int(request.POST.get("notice", "0") or 0)) if request.POST.get(
                "notice", "").isdigit() else None
            update_form = NoticeUpdateForm(request.POST)
            if target is not None and update_form.is_valid():
                notice_update(actor=request.user, notice=target, body=update_form.cleaned_data["body"],
                              close=update_form.cleaned_data["close"])
                messages.success(request, _("Published on the status page."))
                return redirect("office:ict_notices")
        else:
            form = NoticeForm(request.POST)
            form.fields["applications"].choices = ict.notice_application_choices()
            if form.is_valid():
                data = form.cleaned_data

                def local(value):
                    return value.replace(tzinfo=LOCAL_TZ) if value and value.tzinfo is None else value

                try:
                    notice_open(actor=request.user, kind=data["kind"], title=data["title"], body=data["body"],
                                starts_at=local(data["starts_at"]), ends_at=local(data["ends_at"]),
                                applications=ict.applications_by_ids(data["applications"]), case=case)
                except ValidationError as exc:
                    for field, errs in exc.message_dict.items():
                        for m in errs:
                            form.add_error(field if field in form.fields else None, m)
                else:
                    messages.success(request, _("Published on the status page."))
                    return redirect("office:ict_notices")
        status = 400
    return render(request, "office/ict_notices.html", {
        "form": form, "update_form": update_form, "notices": ict.status_notices(), "case": case,
        "office_section": "ict"}, status=status)
