"""Counter intake (/kantor/loket/): an officer registers a case for a citizen who walked in or phoned.

UU 25/2009 art. 8 and Permenpan-RB 62/2018: complaints and requests must be accepted at the counter as
well as online. The case goes through the same engine (`case_submit`, channel "counter",
`registered_by` = the officer); the citizen gets the tracking code on paper even without a phone or an
e-mail address.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from balai.agencies.selectors import active_agencies, agency_by_pk
from balai.cases.models import Case, CaseKind
from balai.cases.receipts import receipt_context, receipt_pdf
from balai.cases.selectors import case_by_code
from balai.cases.services import case_submit
from balai.cases.submission import Submission
from balai.catalog.form_definition import build_form_class, contact_fields
from balai.catalog.models import Service
from balai.catalog.selectors import (
    active_complaint_categories,
    complaint_category_by_pk,
    public_service_by_pk,
    public_services_listed,
)
from balai.office.forms.counter import COMPLAINT_KINDS, SERVICE_KINDS, CounterForm, KindForm
from balai.office.rules import office_view

ANSWERS_PREFIX = "isian"


def _lang() -> str:
    return (get_language() or "id")[:2]


def _subjects(kind: str) -> tuple[list, str]:
    if kind in COMPLAINT_KINDS:
        return [(c.pk, f"{c.agency.short_name} · {c.name}") for c in active_complaint_categories(order_by=("agency__short_name", "name_id"))], _("Category")
    if kind == CaseKind.INFORMATION_REQUEST:
        return [(a.pk, a.name) for a in active_agencies(order_by="short_name")], _("Agency asked")
    return [], ""


def _service(kind: str, raw: str) -> Any:
    return public_service_by_pk(raw, kind=_service_kind(kind))


def _service_kind(kind: str) -> str:
    return Service.Kind.ICT if kind == CaseKind.ICT_REQUEST else Service.Kind.SERVICE


@office_view("office:counter")
def counter_view(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("jenis", "")
    if kind not in CaseKind.values:
        form = KindForm(request.GET or None)
        form.is_valid()
        return render(request, "office/counter_start.html", {"form": form, "office_section": "counter"},
                      status=400 if request.GET else 200)
    service = None
    if kind in SERVICE_KINDS:
        service = _service(kind, request.GET.get("layanan", ""))
        if service is None:
            missing = "layanan" in request.GET
            return render(request, "office/counter_service.html", {
                "kind": kind, "kind_label": CaseKind(kind).label, "office_section": "counter",
                "services": public_services_listed(kind=_service_kind(kind)), "missing": missing,
            }, status=400 if missing else 200)
    subjects, subject_label = _subjects(kind)
    service_form_class = build_form_class(service.form_definition or [], lang=_lang()) if service else None
    if request.method == "POST":
        form = CounterForm(request.POST, kind=kind, subjects=subjects, subject_label=subject_label)
        service_form = (service_form_class(request.POST, request.FILES, prefix=ANSWERS_PREFIX)
                        if service_form_class else None)
        _drop_contact_fields(service_form, service)
        valid = form.is_valid() & (service_form.is_valid() if service_form else True)
        if valid:
            case = _submit(request, kind=kind, service=service, form=form, service_form=service_form)
            if case is not None:
                return redirect("office:counter_done", code=case.tracking_code)
        status = 400
    else:
        form = CounterForm(kind=kind, subjects=subjects, subject_label=subject_label)
        service_form = service_form_class(prefix=ANSWERS_PREFIX) if service_form_class else None
        status = 200
    _drop_contact_fields(service_form, service)
    return render(request, "office/counter_form.html", {
        "form": form, "service_form": service_form, "service": service, "kind": kind,
        "kind_label": CaseKind(kind).label, "office_section": "counter",
        "has_files": bool(service_form and any(f.field.widget.needs_multipart_form for f in service_form)),
    }, status=status)


def _drop_contact_fields(service_form: Any, service: Any) -> None:
    """The counter's own name and phone fields are the service form's (asked once); the engine copies them
    into the answers, and a citizen without a phone gets the paper receipt."""
    if service_form is None:
        return
    for name in contact_fields(service.form_definition or []):
        service_form.fields.pop(name, None)


def _submit(request: HttpRequest, *, kind: str, service: Any, form: CounterForm, service_form: Any) -> Case | None:
    """Send to the engine; its validation errors go back onto the form (never a 500)."""
    data = form.cleaned_data
    kwargs: dict[str, Any] = {}
    if kind in COMPLAINT_KINDS:
        kwargs["complaint_category"] = complaint_category_by_pk(data["subject"])
    elif kind == CaseKind.INFORMATION_REQUEST:
        kwargs["agency"] = agency_by_pk(data["subject"])
    answers: dict[str, Any] = {}
    files: dict[str, Any] = {}
    if service_form is not None:
        for name, value in service_form.cleaned_data.items():
            if service_form.fields[name].definition.get("type") == "file":
                if value:
                    files[name] = value
            else:
                answers[name] = value
    title = (data.get("title") or "").strip() or (service.name if service else "")
    try:
        return case_submit(Submission(kind=kind, channel="counter", title=title[:200], description=data.get("description", ""),
            service=service, answers=answers, files=files, registered_by=request.user,
            contact_name=data.get("contact_name", ""), contact_phone=data.get("contact_phone", ""),
            contact_email=data.get("contact_email", ""), contact_address=data.get("contact_address", ""),
            contact_channel=data["contact_channel"], language=data["language"],
            confidentiality=data["confidentiality"], accommodations=data.get("accommodations") or [],
            accommodation_note=data.get("accommodation_note", ""),
            extra={"consent": {"read_aloud": True, "by": request.user.pk}}, **kwargs))
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            name = field.removeprefix("answers.")
            target = form
            if field.startswith("answers.") and service_form is not None and name in service_form.fields:
                target = service_form
            elif field in ("complaint_category", "agency", "service", "kind"):
                name = "subject" if "subject" in form.fields else None
            elif name not in form.fields:
                name = None
            for message in messages:
                target.add_error(name, message)
        return None


def _registered_case(request: HttpRequest, code: str) -> Case:
    """Object rule "case.registered_by": only the officer who registered the case sees its receipt here."""
    case = case_by_code(code)
    if case is None or case.registered_by_id != request.user.pk:
        raise Http404
    return case


@office_view("office:counter_done")
def counter_done_view(request: HttpRequest, code: str) -> HttpResponse:
    case = _registered_case(request, code)
    context = receipt_context(case=case, lang=_lang())
    context |= {"office_section": "counter", "case_url": reverse("office:case", args=[case.tracking_code])}
    return render(request, "office/counter_done.html", context)


@office_view("office:counter_receipt")
def counter_receipt_view(request: HttpRequest, code: str) -> HttpResponse:
    case = _registered_case(request, code)
    paper = request.GET.get("kertas", "80mm")
    pdf = receipt_pdf(case=case, paper=paper, lang=case.language or "id")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="tanda-terima-{case.tracking_code}.pdf"'
    return response
