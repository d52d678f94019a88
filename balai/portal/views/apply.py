"""Apply for a service (`/layanan/<code>/ajukan/`): the service's own form in short pages, then contact,
accommodation needs, and a check-your-answers page that sends the case through the engine.

GOV.UK patterns: one short page at a time, an error summary linking to each field, change links on
the check page, nothing typed lost. Uploads are checked and kept as soon as they are chosen
(`balai.portal.drafts`). The case is sent only by `balai.cases.services.case_submit`.
"""

from __future__ import annotations

from functools import wraps

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from balai.cases.models import CaseKind
from balai.cases.services import case_submit
from balai.cases.submission import Submission
from balai.catalog.answers import answer_rows
from balai.catalog.form_definition import build_form_class, contact_fields
from balai.catalog.models import Accommodation, Service
from balai.catalog.selectors import portal_service
from balai.i18n import current_language, localized
from balai.ict.models import ServiceProfile
from balai.ict.selectors import ict_service_code, profile_of
from balai.ict.services import INCIDENT_TICKETS, public_report_extra
from balai.people.selectors import signed_in_citizen
from balai.portal import drafts, submit_limits
from balai.portal.forms.apply import AccommodationForm
from balai.portal.forms.contact import ContactForm
from balai.portal.forms.incident import CitizenIncidentForm
from balai.portal.views import flow

FIELDS_PER_PAGE = 5
CHECK = "periksa"
INCIDENT = "insiden"


def _service(code: str):
    """The service as the portal offers it: a citizen service or a public ICT service (ADR 0037)."""
    service = portal_service(code)
    if service is None:
        raise Http404
    return service


def _case_kind(service) -> str:
    """A case keeps its service's kind: a public ICT service's case is an ICT request (the ICT agents')."""
    return CaseKind.ICT_REQUEST if service.kind == Service.Kind.ICT else CaseKind.SERVICE_REQUEST


def _internal_ict_to_the_desk(view):
    """An ICT service for the agencies only is asked for at the staff desk: its apply pages send to the
    service's public page, which says so and links staff to the desk."""
    @wraps(view)
    def wrapped(request: HttpRequest, code: str, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, code, *args, **kwargs)
        except Http404:
            if ict_service_code(code):
                return redirect("portal:service", code=code)
            raise
    return wrapped


def _incident_ticket(service) -> str:
    """The desk's ticket type of a public ICT incident service ("" for every other service): its report
    carries the desk's priority inputs and, for a security incident, the CSIRT intake (ADR 0037)."""
    if service.kind != Service.Kind.ICT:
        return ""
    ticket = profile_of(service).ticket
    return ticket if ticket in INCIDENT_TICKETS else ""


def _incident_form_kwargs(service) -> dict:
    has_file = any(f.get("type") == "file" for f in service.form_definition or [])
    return {"security": _incident_ticket(service) == ServiceProfile.Ticket.SECURITY, "evidence_file": not has_file}


def _flow_key(service) -> str:
    return f"apply:{service.code}"


def pages_of(definition: list[dict]) -> list[list[dict]]:
    """The definition split into pages: by each field's `step` when given, else ~5 fields a page."""
    if not definition:
        return []
    if any("step" in f for f in definition):
        steps: dict[int, list[dict]] = {}
        for f in definition:
            steps.setdefault(int(f.get("step") or 1), []).append(f)
        return [steps[k] for k in sorted(steps)]
    return [definition[i:i + FIELDS_PER_PAGE] for i in range(0, len(definition), FIELDS_PER_PAGE)]


def _asked(service, draft: dict) -> dict[str, str]:
    """The contact details the citizen gave in the service's own form, for the contact step."""
    fields = contact_fields(service.form_definition or [])
    answers: dict[str, str] = {}
    for values in draft["steps"].values():
        for field_name, contact_name in fields.items():
            if isinstance(values, dict) and field_name in values:
                raw = values[field_name]
                answers[contact_name] = str(raw[0] if isinstance(raw, list) and raw else raw or "")
    return {k: answers.get(k, "") for k in fields.values()}


def _account_initial(request: HttpRequest, page: list[dict]) -> dict[str, str]:
    """Prefill a form page's name and phone fields from the signed-in citizen's account."""
    values = flow.account_contact(request)
    return {name: values[contact] for name, contact in contact_fields(page).items() if values.get(contact)}


def _page_form_class(page: list[dict]) -> type[forms.Form]:
    return build_form_class(page, lang=current_language())


def _sequence(service) -> list[str]:
    """The names of the pages in order: "1".."N", ("insiden",) "kontak", "kebutuhan"."""
    incident = [INCIDENT] if _incident_ticket(service) else []
    return ([str(i) for i in range(1, len(pages_of(service.form_definition or [])) + 1)] + incident
            + ["kontak", "kebutuhan"])


def _url(service, step: str) -> str:
    if step == "1":
        return reverse("portal:apply", args=[service.code])
    if step.isdigit():
        return reverse("portal:apply_step", args=[service.code, int(step)])
    return reverse({INCIDENT: "portal:apply_incident", "kontak": "portal:apply_contact", "kebutuhan": "portal:apply_needs",
                    CHECK: "portal:apply_check"}[step], args=[service.code])


def _next(request: HttpRequest, service, step: str) -> HttpResponse:
    seq = _sequence(service)
    if request.GET.get("kembali") == CHECK:
        return redirect(_url(service, CHECK))
    index = seq.index(step)
    return redirect(_url(service, seq[index + 1] if index + 1 < len(seq) else CHECK))


def _back(service, step: str) -> str:
    seq = _sequence(service)
    index = seq.index(step)
    return _url(service, seq[index - 1]) if index > 0 else reverse("portal:service", args=[service.code])


def _progress(service, step: str) -> dict:
    seq = _sequence(service)
    return {"number": seq.index(step) + 1 if step in seq else len(seq) + 1, "total": len(seq) + 1}


def _render_step(request, service, step: str, form, *, heading: str, intro: str = "", multipart: bool = False,
                 template: str = "portal/apply_step.html", status: int | None = None, **extra) -> HttpResponse:
    context = {
        "service": service, "form": form, "heading": heading, "intro": intro, "multipart": multipart,
        "back_url": _back(service, step), "progress": _progress(service, step),
        "action": request.get_full_path(), "button": _("Continue"), **extra,
    }
    return render(request, template, context, status=status or (400 if form.is_bound and form.errors else 200))


def _not_online(request, service) -> HttpResponse | None:
    if service.channels and "web" not in service.channels:
        return render(request, "portal/apply_offline.html", {"service": service})
    return None


@_internal_ict_to_the_desk
@require_http_methods(["GET", "POST"])
def apply_page(request: HttpRequest, code: str, step: int = 1) -> HttpResponse:
    """One page of the service's own form."""
    service = _service(code)
    offline = _not_online(request, service)
    if offline is not None:
        return offline
    pages = pages_of(service.form_definition or [])
    if not pages:
        return redirect(_url(service, _sequence(service)[0]))
    if step < 1 or step > len(pages):
        raise Http404
    key = _flow_key(service)
    name = str(step)
    draft = drafts.get_draft(request, key)
    form_class = _page_form_class(pages[step - 1])
    saved = draft["steps"].get(name)
    form = flow.step_form(form_class, request, saved)
    if saved is None and request.method != "POST":
        form.initial.update(_account_initial(request, pages[step - 1]))
    file_names = [n for n, f in form.fields.items() if isinstance(f, forms.FileField)]
    for n in file_names:
        form.fields[n].required = False  # presence is checked against the kept files below
    if request.method == "POST":
        valid = form.is_valid()
        flow.save_step(request, key, name, form)
        files_ok = flow.stash_files(request, key, form, file_names)
        for n in file_names:
            definition = form.fields[n].definition
            if definition.get("required") and not drafts.stashed(request, key, n) and n not in form.errors:
                form.add_error(n, _("Choose a file to upload."))
                files_ok = False
        if valid and files_ok and not form.errors:
            return _next(request, service, name)
    for n in file_names:
        form[n].kept = drafts.stashed(request, key, n)
    title = localized(service, "name")
    heading = title if len(pages) == 1 else _("%(service)s: part %(n)d of %(total)d") % {
        "service": title, "n": step, "total": len(pages)}
    return _render_step(request, service, name, form, heading=heading, multipart=bool(file_names))


@_internal_ict_to_the_desk
@require_http_methods(["GET", "POST"])
def apply_incident(request: HttpRequest, code: str) -> HttpResponse:
    """A public ICT incident service: what the CSIRT needs to know, in plain words (the desk's intake)."""
    service = _service(code)
    if not _incident_ticket(service):
        raise Http404
    offline = _not_online(request, service)
    if offline is not None:
        return offline
    key = _flow_key(service)
    draft = drafts.get_draft(request, key)
    form = flow.step_form(CitizenIncidentForm, request, draft["steps"].get(INCIDENT), **_incident_form_kwargs(service))
    files = ["evidence_file"] if "evidence_file" in form.fields else []
    if request.method == "POST":
        valid = form.is_valid()
        flow.save_step(request, key, INCIDENT, form)
        if flow.stash_files(request, key, form, files) and valid and not form.errors:
            return _next(request, service, INCIDENT)
    for n in files:
        form[n].kept = drafts.stashed(request, key, n)
    return _render_step(request, service, INCIDENT, form, heading=_("About the incident"),
                        intro=_("This helps the response team judge how urgent it is. Answer what you know."),
                        multipart=bool(files))


@_internal_ict_to_the_desk
@require_http_methods(["GET", "POST"])
def apply_contact(request: HttpRequest, code: str) -> HttpResponse:
    service = _service(code)
    offline = _not_online(request, service)
    if offline is not None:
        return offline
    key = _flow_key(service)
    draft = drafts.get_draft(request, key)
    saved = draft["steps"].get("kontak") or _contact_defaults(request)
    asked = _asked(service, draft)
    form = flow.step_form(ContactForm, request, saved, asked=asked)
    if request.method == "POST":
        flow.save_step(request, key, "kontak", form)
        if form.is_valid():
            return _next(request, service, "kontak")
    return _render_step(request, service, "kontak", form, heading=_("How can we reach you?"),
                        intro=_("We send you the tracking code and tell you when something changes."),
                        asked=_asked_rows(service, asked))


def _asked_rows(service, asked: dict[str, str]) -> list[dict]:
    """What the contact step reuses from the form, with a link to change it where it was asked."""
    labels = {"contact_name": _("Name"), "contact_phone": _("Mobile phone number")}
    pages = pages_of(service.form_definition or [])
    fields = contact_fields(service.form_definition or [])
    rows = []
    for field_name, contact_name in fields.items():
        page = next((str(i) for i, p in enumerate(pages, start=1) if any(f.get("name") == field_name for f in p)),
                    "1")
        rows.append({"label": labels[contact_name], "value": asked.get(contact_name) or _("Not given"),
                     "url": _url(service, page) + "#id_" + field_name})
    return rows


def _contact_defaults(request: HttpRequest) -> dict:
    return {"language": current_language(), "contact_channel": "sms"} | flow.account_contact(request)


@_internal_ict_to_the_desk
@require_http_methods(["GET", "POST"])
def apply_needs(request: HttpRequest, code: str) -> HttpResponse:
    service = _service(code)
    offline = _not_online(request, service)
    if offline is not None:
        return offline
    key = _flow_key(service)
    draft = drafts.get_draft(request, key)
    form = flow.step_form(AccommodationForm, request, draft["steps"].get("kebutuhan"),
                          offered=service.accommodations or [])
    if request.method == "POST":
        flow.save_step(request, key, "kebutuhan", form)
        if form.is_valid():
            return _next(request, service, "kebutuhan")
    return _render_step(request, service, "kebutuhan", form, heading=_("Do you need any help or adjustments?"),
                        intro=_("Tell us if you need help to use this service. It is free."))


def _check_rows(request, service) -> tuple[list[dict], list[tuple[str, str, str]], dict]:
    """Sections for the check page, the problems found (page url, field, message) and what to send."""
    key = _flow_key(service)
    draft = drafts.get_draft(request, key)
    sections: list[dict] = []
    problems: list[tuple[str, str, str]] = []
    answers: dict = {}
    file_fields: list[str] = []
    rows: list[dict] = []
    for index, page in enumerate(pages_of(service.form_definition or []), start=1):
        name = str(index)
        form = flow.rebind(_page_form_class(page), draft["steps"].get(name))
        url = _url(service, name)
        shown: dict = {}
        for field_name, field in form.fields.items():
            if isinstance(field, forms.FileField):
                file_fields.append(field_name)
                kept = drafts.stashed(request, key, field_name)
                shown[field_name] = [{"name": k["name"]} for k in kept]
                if field.definition.get("required") and not kept:
                    problems.append((url, flow.anchor(form, field_name), _("Choose a file to upload.")))
            else:
                problems.extend((url, flow.anchor(form, field_name), str(m)) for m in form.errors.get(field_name, []))
                answers[field_name] = (draft["steps"].get(name) or {}).get(field_name)
                shown[field_name] = flow.entered_value(form, field_name)
        rows.extend({"label": row.label, "value": row.value, "url": url + "?kembali=" + CHECK,
                     "anchor": flow.anchor(form, row.name)}
                    for row in answer_rows(page, shown, lang=current_language()))
    if rows:
        sections.append({"heading": _("Your answers"), "rows": rows})
    incident: dict = {}
    if _incident_ticket(service):
        form = flow.rebind(CitizenIncidentForm, draft["steps"].get(INCIDENT), **_incident_form_kwargs(service))
        url = _url(service, INCIDENT)
        if INCIDENT not in draft["steps"]:
            problems.append((url, flow.anchor(form, next(iter(form.fields))), _("Tell us about the incident.")))
        else:
            problems.extend(flow.errors_of(url, form))
        incident_rows = []
        for n, field in form.fields.items():
            if n == "evidence_file":
                file_fields.append(n)
                value = ", ".join(k["name"] for k in drafts.stashed(request, key, n))
            else:
                value = flow.display_value(form, n)
            incident_rows.append({"label": field.label, "value": value or _("Not given"),
                                  "url": url + "?kembali=" + CHECK, "anchor": flow.anchor(form, n)})
        sections.append({"heading": _("About the incident"), "rows": incident_rows})
        incident = form.cleaned_data if not form.errors else {}
        incident = {**incident, "intake": form.intake()} if incident else {}
    contact = flow.rebind(ContactForm, draft["steps"].get("kontak"), asked=_asked(service, draft))
    contact_url = _url(service, "kontak")
    if "kontak" not in draft["steps"]:
        problems.append((contact_url, "id_contact_name", _("Tell us how we can reach you.")))
    else:
        problems.extend(flow.errors_of(contact_url, contact))
    sections.append({"heading": _("Contact"), "rows": [
        {"label": contact.fields[n].label, "value": flow.display_value(contact, n) or _("Not given"),
         "url": contact_url + "?kembali=" + CHECK, "anchor": flow.anchor(contact, n)}
        for n in ("contact_name", "contact_phone", "contact_email", "contact_channel", "language")
        if n in contact.fields]})
    needs = flow.rebind(AccommodationForm, draft["steps"].get("kebutuhan"), offered=service.accommodations or [])
    needs_url = _url(service, "kebutuhan") + "?kembali=" + CHECK
    needs_rows = [{"label": needs.fields[n].label, "value": flow.display_value(needs, n) or _("None"),
                   "url": needs_url, "anchor": flow.anchor(needs, n)} for n in needs.fields]
    sections.append({"heading": _("Help and adjustments"), "rows": needs_rows})
    problems.extend(flow.errors_of(_url(service, "kebutuhan"), needs))
    payload = {
        "answers": answers, "file_fields": file_fields,
        "contact": contact.cleaned_data if not contact.errors else {},
        "needs": needs.cleaned_data if not needs.errors else {}, "incident": incident,
    }
    return sections, problems, payload


@_internal_ict_to_the_desk
@require_http_methods(["GET", "POST"])
def apply_check(request: HttpRequest, code: str) -> HttpResponse:
    """Check your answers, read what happens with your data, and send."""
    service = _service(code)
    offline = _not_online(request, service)
    if offline is not None:
        return offline
    key = _flow_key(service)
    sections, problems, payload = _check_rows(request, service)
    lost = flow.lost_files(request, key)
    for name in lost:
        problems.append((_url(service, "1"), "", _("The file %(name)s has expired. Please choose it again.")
                         % {"name": name}))
    status = 200
    if request.method == "POST":
        limited = flow.rate_limited(request)
        if limited is not None:
            return limited
        if not problems:
            response = _send(request, service, payload)
            if isinstance(response, HttpResponse):
                return response
            problems = response
        status = 400
    return render(request, "portal/apply_check.html", {
        "service": service, "sections": sections, "problems": flow.problem_links(problems),
        "action": reverse("portal:apply_check", args=[service.code]),
        "back_url": _url(service, "kebutuhan"), "heading": _("Check your answers before sending"),
        "button": _("Accept and send"), "kind": "service_request",
        "accommodation_labels": dict(Accommodation.choices),
    }, status=status)


def _send(request: HttpRequest, service, payload: dict) -> HttpResponse | list[tuple[str, str, str]]:
    key = _flow_key(service)
    contact = payload["contact"]
    needs = payload["needs"]
    by_field, _loose = flow.files_for_submit(request, key, payload["file_fields"])
    user = request.user
    title, extra = service.name_id[:200], {}
    try:
        if _incident_ticket(service):
            incident = payload["incident"]
            extra = public_report_extra(service=service, impact=incident.get("impact", ""),
                                        urgency=incident.get("urgency", ""), security=incident.get("intake"))
            if incident.get("asset"):
                title = f"{service.name_id[:100]}: {incident['asset']}"[:200]
        case = case_submit(Submission(kind=_case_kind(service), channel="web", title=title, service=service,
            answers=payload["answers"], files=by_field,
            citizen=signed_in_citizen(user),
            contact_name=contact.get("contact_name", ""), contact_phone=contact.get("contact_phone", ""),
            contact_email=contact.get("contact_email", ""), contact_channel=contact.get("contact_channel", "sms"),
            language=contact.get("language", "id"), accommodations=needs.get("accommodations") or [],
            accommodation_note=needs.get("accommodation_note", ""), extra=extra),
            also=submit_limits.counting(request))
    except submit_limits.Limited as exc:
        return flow.limited_page(request, exc.limit)
    except ValidationError as exc:
        problems = []
        pages = pages_of(service.form_definition or [])
        for field, message in flow.engine_errors(exc):
            name = field.removeprefix("answers.")
            page = next((str(i) for i, p in enumerate(pages, start=1) if any(f["name"] == name for f in p)), None)
            url = (_url(service, page) if page else _url(service, "kontak") if name.startswith("contact")
                   else _url(service, INCIDENT) if name in CitizenIncidentForm.NAMES else "")
            radio = name in CitizenIncidentForm.CHOICE_NAMES  # an error link points at the first option
            problems.append((url, (f"id_{name}_0" if radio else f"id_{name}") if url else "", message))
        return problems
    finally:
        drafts.close_all(by_field)
    flow.remember_sent(request, case)
    drafts.clear_draft(request, key)
    return redirect("portal:confirmation", code=case.tracking_code)
