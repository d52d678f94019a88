"""Public information requests (`/informasi/`), UU 14/2008 art. 22 and Perki 1/2021.

Pages: which agency, what information and its purpose → form and delivery (accessible formats:
audio, braille, large print) → name, address and contact (required by art. 22) → check and send.
The request is registered at once with its tracking code as the registration number.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from balai.agencies.selectors import active_agencies, active_agency
from balai.cases.services import case_submit
from balai.cases.submission import Submission
from balai.i18n import current_language
from balai.people.selectors import signed_in_citizen
from balai.portal import drafts, submit_limits
from balai.portal.forms.information import InformationContactForm, InformationFormatForm, InformationWhatForm
from balai.portal.views import flow
from balai.ppid.selectors import similar_requests

FLOW = "information"
CHECK = "periksa"
STEPS = ["apa", "bentuk", "kontak"]
URL_NAMES = {"apa": "portal:information", "bentuk": "portal:information_format",
             "kontak": "portal:information_contact", CHECK: "portal:information_check"}
TITLE_CHARS = 120


def _url(step: str) -> str:
    return reverse(URL_NAMES[step])


def _delivery(request) -> str:
    return (drafts.get_draft(request, FLOW)["steps"].get("bentuk") or {}).get("delivery") or ""


def _form_kwargs(step: str, request) -> dict:
    if step == "apa":
        return {"agencies": active_agencies()}
    if step == "kontak":
        return {"delivery": _delivery(request)}
    return {}


FORMS = {"apa": InformationWhatForm, "bentuk": InformationFormatForm, "kontak": InformationContactForm}


def _page(request: HttpRequest, step: str, *, heading: str, intro: str = "") -> HttpResponse:
    draft = drafts.get_draft(request, FLOW)
    saved = draft["steps"].get(step)
    if step == "kontak" and not saved:
        saved = {"language": current_language(), "contact_channel": "email" if _delivery(request) == "email" else "sms",
                 **flow.account_contact(request)}
    if step == "apa" and not saved and request.GET.get("instansi"):
        saved = {"agency": request.GET["instansi"]}
    form = flow.step_form(FORMS[step], request, saved, **_form_kwargs(step, request))
    if request.method == "POST":
        flow.save_step(request, FLOW, step, form)
        if form.is_valid():
            if request.GET.get("kembali") == CHECK or step == STEPS[-1]:
                return redirect(_url(CHECK))
            return redirect(_url(STEPS[STEPS.index(step) + 1]))
    index = STEPS.index(step)
    # "Similar requests" (answered and published), to answer before asking: a search on the first step, the
    # words already typed on the second (server-side, no JavaScript).
    query = (request.GET.get("cari") or "").strip()[:100] if step == "apa" else (
        (draft["steps"].get("apa") or {}).get("information") or "" if step == "bentuk" else "")
    similar = similar_requests(query) if query else []
    return render(request, "portal/information_step.html", {
        "similar": similar, "similar_searched": step == "apa" and bool(query), "similar_query": query,
        "search_box": step == "apa",
        "form": form, "heading": heading, "intro": intro, "action": request.get_full_path(),
        "back_url": _url(STEPS[index - 1]) if index else reverse("portal:home"),
        "progress": {"number": index + 1, "total": len(STEPS) + 1}, "button": _("Continue"),
        "flow_name": _("Ask for public information"),
    }, status=400 if form.is_bound and form.errors else 200)


@require_http_methods(["GET", "POST"])
def information_what(request: HttpRequest) -> HttpResponse:
    return _page(request, "apa", heading=_("Ask for public information"),
                 intro=_("Anyone may ask for information held by a public agency. The agency must answer within "
                         "10 working days (it may extend once by 7 working days, with reasons)."))


@require_http_methods(["GET", "POST"])
def information_format(request: HttpRequest) -> HttpResponse:
    return _page(request, "bentuk", heading=_("How do you want the information?"))


@require_http_methods(["GET", "POST"])
def information_contact(request: HttpRequest) -> HttpResponse:
    return _page(request, "kontak", heading=_("Your name, address and contact"),
                 intro=_("The law asks for your name and address (UU 14/2008 art. 22). They are not published."))


def _collect(request):
    steps = drafts.get_draft(request, FLOW)["steps"]
    forms_ = {step: flow.rebind(FORMS[step], steps.get(step), **_form_kwargs(step, request)) for step in STEPS}
    problems: list[tuple[str, str, str]] = []
    parts = {"apa": _("what information"), "bentuk": _("form and delivery"), "kontak": _("name and contact")}
    for step, form in forms_.items():
        if step not in steps:
            problems.append((_url(step), "", _("Please answer this part: %(part)s.") % {"part": parts[step]}))
        else:
            problems.extend(flow.errors_of(_url(step), form))
    return forms_, problems


def _rows(forms_) -> list[dict]:
    def row(step, name):
        form = forms_[step]
        return {"label": form.fields[name].label, "value": flow.display_value(form, name) or _("Not given"),
                "url": _url(step) + "?kembali=" + CHECK, "anchor": flow.anchor(form, name)}

    return [
        {"heading": _("Your request"), "rows": [row("apa", n) for n in ("agency", "information", "purpose")]},
        {"heading": _("Form and delivery"), "rows": [row("bentuk", n) for n in ("format", "accessible", "delivery")]},
        {"heading": _("Name and contact"), "rows": [row("kontak", n) for n in (
            "contact_name", "contact_address", "contact_phone", "contact_email", "contact_channel", "language")]},
    ]


@require_http_methods(["GET", "POST"])
def information_check(request: HttpRequest) -> HttpResponse:
    forms_, problems = _collect(request)
    status = 200
    if request.method == "POST":
        limited = flow.rate_limited(request)
        if limited is not None:
            return limited
        if not problems:
            result = _send(request, forms_)
            if isinstance(result, HttpResponse):
                return result
            problems = result
        status = 400
    return render(request, "portal/apply_check.html", {
        "sections": _rows(forms_), "action": _url(CHECK), "back_url": _url("kontak"),
        "problems": flow.problem_links(problems),
        "heading": _("Check your request before sending"), "button": _("Send request"),
        "kind": "information_request", "flow_name": _("Ask for public information"),
    }, status=status)


def _send(request, forms_) -> HttpResponse | list[tuple[str, str, str]]:
    what, how, contact = (forms_[s].cleaned_data for s in STEPS)
    agency = active_agency(what["agency"])
    information = what["information"].strip()
    user = request.user
    try:
        case = case_submit(Submission(kind="information_request", channel="web", agency=agency,
            title=(information[:TITLE_CHARS] + ("…" if len(information) > TITLE_CHARS else "")),
            description=information,
            answers={"purpose": what["purpose"], "format": how["format"], "accessible_formats": how["accessible"],
                     "delivery": how["delivery"]},
            accommodations=how["accessible"],
            citizen=signed_in_citizen(user),
            contact_name=contact["contact_name"], contact_address=contact["contact_address"],
            contact_phone=contact.get("contact_phone", ""), contact_email=contact.get("contact_email", ""),
            contact_channel=contact.get("contact_channel", "sms"), language=contact.get("language", "id")),
            also=submit_limits.counting(request))
    except submit_limits.Limited as exc:
        return flow.limited_page(request, exc.limit)
    except ValidationError as exc:
        return [(_url("apa" if f in ("agency", "title") else "kontak"), "", m) for f, m in flow.engine_errors(exc)]
    flow.remember_sent(request, case)
    drafts.clear_draft(request, FLOW)
    return redirect("portal:confirmation", code=case.tracking_code)
