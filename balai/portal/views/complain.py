"""Complaints and aspirations (`/lapor/`), UU 25/2009 and Perpres 76/2013 (SP4N-LAPOR!).

Pages: what it is about → where (region by typing or by choosing, optional coordinates) → photos or
documents → who may see it (open / confidential / anonymous) → contact → check and send.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from balai.cases.services import case_submit
from balai.cases.submission import Submission
from balai.cases.titles import title_from_text
from balai.catalog.selectors import active_complaint_categories, active_complaint_category
from balai.i18n import current_language, localized
from balai.people.selectors import signed_in_citizen
from balai.portal import drafts, regions, submit_limits
from balai.portal.forms.complain import (
    ComplaintAboutForm,
    ComplaintContactForm,
    ComplaintFilesForm,
    ComplaintPlaceForm,
    ComplaintPrivacyForm,
)
from balai.portal.views import flow

FLOW = "complaint"
CHECK = "periksa"
STEPS = ["tentang", "lokasi", "berkas", "privasi", "kontak"]
URL_NAMES = {"tentang": "portal:complain", "lokasi": "portal:complain_place", "berkas": "portal:complain_files",
             "privasi": "portal:complain_privacy", "kontak": "portal:complain_contact",
             CHECK: "portal:complain_check"}


def _url(step: str) -> str:
    return reverse(URL_NAMES[step])


def _next(request: HttpRequest, step: str) -> HttpResponse:
    if request.GET.get("kembali") == CHECK or step == STEPS[-1]:
        return redirect(_url(CHECK))
    return redirect(_url(STEPS[STEPS.index(step) + 1]))


def _render(request, step: str, form, *, heading: str, intro: str = "", template: str = "portal/apply_step.html",
            multipart: bool = False, **extra) -> HttpResponse:
    index = STEPS.index(step)
    context = {
        "form": form, "heading": heading, "intro": intro, "multipart": multipart,
        "back_url": _url(STEPS[index - 1]) if index else reverse("portal:home"),
        "progress": {"number": index + 1, "total": len(STEPS) + 1}, "action": request.get_full_path(),
        "button": _("Continue"), "flow_name": _("Make a complaint"), **extra,
    }
    return render(request, template, context, status=400 if form.is_bound and form.errors else 200)


def _step(request, step: str, form_class, **kwargs):
    draft = drafts.get_draft(request, FLOW)
    return flow.step_form(form_class, request, draft["steps"].get(step), **kwargs)


@require_http_methods(["GET", "POST"])
def complain_about(request: HttpRequest) -> HttpResponse:
    form = _step(request, "tentang", ComplaintAboutForm, categories=active_complaint_categories())
    if request.method == "GET" and not form.initial.get("kind"):
        wanted = request.GET.get("jenis")
        form.initial["kind"] = wanted if wanted in ("complaint", "aspiration") else ""
    if request.method == "POST":
        flow.save_step(request, FLOW, "tentang", form)
        if form.is_valid():
            return _next(request, "tentang")
    return _render(request, "tentang", form, heading=_("Make a complaint or share an aspiration"),
                   intro=_("Tell us what went wrong with a public service, or how it could be better. "
                           "The agency responsible must answer within the time set for the topic."))


@require_http_methods(["GET", "POST"])
def complain_place(request: HttpRequest) -> HttpResponse:
    """Where it happened: search by name, or choose regency → district → village; coordinates optional."""
    draft = drafts.get_draft(request, FLOW)
    saved = draft["steps"].get("lokasi") or {}
    form = flow.step_form(ComplaintPlaceForm, request, saved)
    if request.method == "POST":
        flow.save_step(request, FLOW, "lokasi", form)
        if form.is_valid():
            return _next(request, "lokasi")
    query = (request.GET.get("cari") or "").strip()[:100]
    regency = request.GET.get("kabupaten") or ""
    district = request.GET.get("kecamatan") or ""
    if district and not district.startswith(regency + "."):
        regency = district.rsplit(".", 1)[0]
    chosen_code = (form.data.get("region") if form.is_bound else saved.get("region")) or ""
    chosen = regions.region_by_code(chosen_code)
    matches = regions.search_regions(query) if query else []
    district_list = regions.districts(regency) if regency else []
    village_list = regions.villages(district) if district else []
    district_region = regions.region_by_code(district) if district else None
    return _render(
        request, "lokasi", form, heading=_("Where did it happen?"), template="portal/complain_place.html",
        intro=_("Find the village or district by typing its name, or choose it from the lists. You can skip this "
                "if it is not about a place."),
        query=query, matches=matches, searched=bool(query), regency=regency, district=district,
        regency_list=regions.regencies(), district_list=district_list, village_list=village_list,
        district_region=district_region, chosen=chosen, chosen_label=regions.region_label(chosen),
        place_url=_url("lokasi"),
    )


@require_http_methods(["GET", "POST"])
def complain_files(request: HttpRequest) -> HttpResponse:
    form = ComplaintFilesForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        form.is_valid()
        remove = request.POST.get("hapus")
        if remove:
            drafts.remove_upload(request, FLOW, "files", remove)
            return redirect(request.get_full_path())
        current = len(drafts.stashed(request, FLOW, "files"))
        if current + len(request.FILES.getlist("files")) > drafts.MAX_FILES_PER_FIELD:
            form.add_error("files", _("You can add at most %(n)d files.") % {"n": drafts.MAX_FILES_PER_FIELD})
        elif flow.stash_files(request, FLOW, form, ["files"], replace=False) and request.POST.get("lagi") is None:
            return _next(request, "berkas")
        elif not form.errors:
            return redirect(request.get_full_path())
    return _render(request, "berkas", form, heading=_("Add photos or documents"),
                   intro=_("A photo or a document helps the agency understand. This is optional."),
                   template="portal/complain_files.html", multipart=True,
                   kept=drafts.stashed(request, FLOW, "files"))


@require_http_methods(["GET", "POST"])
def complain_privacy(request: HttpRequest) -> HttpResponse:
    form = _step(request, "privasi", ComplaintPrivacyForm)
    if request.method == "POST":
        flow.save_step(request, FLOW, "privasi", form)
        if form.is_valid():
            return _next(request, "privasi")
    return _render(request, "privasi", form, heading=_("Who may see your report?"),
                   intro=_("Whatever you choose, your phone number, e-mail and ID number are never published."))


@require_http_methods(["GET", "POST"])
def complain_contact(request: HttpRequest) -> HttpResponse:
    draft = drafts.get_draft(request, FLOW)
    anonymous = (draft["steps"].get("privasi") or {}).get("confidentiality") == "anonymous"
    saved = draft["steps"].get("kontak") or _contact_defaults(request, anonymous=anonymous)
    form = flow.step_form(ComplaintContactForm, request, saved)
    if request.method == "POST":
        flow.save_step(request, FLOW, "kontak", form)
        if form.is_valid():
            return _next(request, "kontak")
    intro = (_("You chose to report anonymously: the agency will not see your name or contact. We use them only to "
               "send you the tracking code and updates. You may leave them empty and choose no messages.")
             if anonymous else _("We send you the tracking code and tell you when the agency answers."))
    return _render(request, "kontak", form, heading=_("How can we reach you?"), intro=intro)


def _contact_defaults(request: HttpRequest, *, anonymous: bool) -> dict:
    """Prefilled from the signed-in citizen's account (not for an anonymous report: the citizen decides)."""
    defaults = {"language": current_language(), "contact_channel": "sms"}
    return defaults if anonymous else defaults | flow.account_contact(request)


def _collect(request):
    draft = drafts.get_draft(request, FLOW)
    steps = draft["steps"]
    # Checking the answers needs only the chosen category (still active?), not the whole list: one
    # remembered look-up (balai/memo.py) instead of a query and the choices of every category.
    chosen = active_complaint_category(str((steps.get("tentang") or {}).get("category") or ""))
    cats = [chosen] if chosen is not None else []
    # The forms are built once per process and copied (`flow.rebind`'s `alike`): the about form for each
    # category offered as it is named now, the others as they are.
    offered = tuple((c.slug, localized(c, "name")) for c in cats)
    forms_ = {
        "tentang": flow.rebind(ComplaintAboutForm, steps.get("tentang"), alike=offered, categories=cats),
        "lokasi": flow.rebind(ComplaintPlaceForm, steps.get("lokasi"), alike=()),
        "privasi": flow.rebind(ComplaintPrivacyForm, steps.get("privasi"), alike=()),
        "kontak": flow.rebind(ComplaintContactForm, steps.get("kontak"), alike=()),
    }
    problems: list[tuple[str, str, str]] = []
    for step, form in forms_.items():
        if step not in steps:
            problems.append((_url(step), "", _("Please answer this part: %(part)s.") % {"part": _part_name(step)}))
        elif form.errors:
            problems.extend(flow.errors_of(_url(step), form))
    return forms_, problems


def _part_name(step: str) -> str:
    return {"tentang": _("what it is about"), "lokasi": _("where"), "privasi": _("who may see it"),
            "kontak": _("how we reach you")}[step]


def _rows(request, forms_) -> list[dict]:
    def row(step, form, name, value=None):
        return {"label": form.fields[name].label, "value": value if value is not None else flow.display_value(form, name),
                "url": _url(step) + "?kembali=" + CHECK, "anchor": flow.anchor(form, name)}

    about, place, privacy, contact = forms_["tentang"], forms_["lokasi"], forms_["privasi"], forms_["kontak"]
    region = regions.region_by_code((place.cleaned_data or {}).get("region", "")) if place.is_valid() else None
    coords = ""
    if place.is_valid() and place.cleaned_data.get("latitude") is not None:
        coords = f"{place.cleaned_data['latitude']}, {place.cleaned_data['longitude']}"
    files = ", ".join(f["name"] for f in drafts.stashed(request, FLOW, "files"))
    return [
        {"heading": _("Your report"), "rows": [
            row("tentang", about, "kind"), row("tentang", about, "category"), row("tentang", about, "description"),
            row("tentang", about, "title", flow.display_value(about, "title") or _("(from the first words)")),
        ]},
        {"heading": _("Place"), "rows": [
            {"label": _("Village or district"), "value": regions.region_label(region) or _("Not given"),
             "url": _url("lokasi") + "?kembali=" + CHECK, "anchor": ""},
            row("lokasi", place, "location_text", flow.display_value(place, "location_text") or _("Not given")),
            {"label": _("Coordinates"), "value": coords or _("Not given"), "url": _url("lokasi") + "?kembali=" + CHECK,
             "anchor": "id_latitude"},
        ]},
        {"heading": _("Files"), "rows": [
            {"label": _("Photos or documents"), "value": files or _("None"), "url": _url("berkas"), "anchor": ""},
        ]},
        {"heading": _("Privacy and contact"), "rows": [
            row("privasi", privacy, "confidentiality"),
            *[row("kontak", contact, n, flow.display_value(contact, n) or _("Not given"))
              for n in ("contact_name", "contact_phone", "contact_email", "contact_channel", "language")],
            *[row("kontak", contact, n, flow.display_value(contact, n) or _("None"))
              for n in ("accommodations", "accommodation_note")],
        ]},
    ]


def derive_title(title: str, description: str) -> str:
    """The citizen's title, or the first words of the report (the engine needs a title)."""
    if title.strip():
        return title.strip()[:200]
    return title_from_text(description)


@require_http_methods(["GET", "POST"])
def complain_check(request: HttpRequest) -> HttpResponse:
    forms_, problems = _collect(request)
    problems += [(_url("berkas"), "", _("The file %(name)s has expired. Please choose it again.") % {"name": n})
                 for n in flow.lost_files(request, FLOW)]
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
    kind = (forms_["tentang"].cleaned_data or {}).get("kind") if forms_["tentang"].is_valid() else "complaint"
    return render(request, "portal/apply_check.html", {
        "sections": _rows(request, forms_) if not any(p[0] == _url("tentang") and not p[1] for p in problems)
        else [], "problems": flow.problem_links(problems),
        "action": _url(CHECK), "back_url": _url("kontak"), "heading": _("Check your report before sending"),
        "button": _("Send report"), "kind": kind or "complaint", "flow_name": _("Make a complaint"),
    }, status=status)


def _send(request, forms_) -> HttpResponse | list[tuple[str, str, str]]:
    about = forms_["tentang"].cleaned_data
    place = forms_["lokasi"].cleaned_data
    privacy = forms_["privasi"].cleaned_data
    contact = forms_["kontak"].cleaned_data
    category = active_complaint_category(about["category"])
    _by_field, files = flow.files_for_submit(request, FLOW, [])
    user = request.user
    try:
        case = case_submit(Submission(kind=about["kind"], channel="web", title=derive_title(about.get("title", ""), about["description"]),
            description=about["description"], complaint_category=category,
            region=regions.region_by_code(place.get("region", "")), latitude=place.get("latitude"),
            longitude=place.get("longitude"), location_text=place.get("location_text", ""),
            confidentiality=privacy["confidentiality"], files=files,
            citizen=signed_in_citizen(user),
            contact_name=contact.get("contact_name", ""), contact_phone=contact.get("contact_phone", ""),
            contact_email=contact.get("contact_email", ""), contact_channel=contact.get("contact_channel", "sms"),
            language=contact.get("language", "id"), accommodations=contact.get("accommodations") or [],
            accommodation_note=contact.get("accommodation_note", "")), also=submit_limits.counting(request))
    except submit_limits.Limited as exc:
        return flow.limited_page(request, exc.limit)
    except ValidationError as exc:
        where = {"complaint_category": "tentang", "title": "tentang", "kind": "tentang", "latitude": "lokasi",
                 "longitude": "lokasi", "confidentiality": "privasi"}
        return [(_url(where.get(f, "kontak" if f.startswith(("contact", "language")) else "berkas")), "", m)
                for f, m in flow.engine_errors(exc)]
    finally:
        drafts.close_all(files)
    flow.remember_sent(request, case)
    drafts.clear_draft(request, FLOW)
    return redirect("portal:confirmation", code=case.tracking_code)
