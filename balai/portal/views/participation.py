"""Public participation pages (/partisipasi/, English under /en/partisipasi/): processes, proposals with
support, the budget vote and its results. Rules live in `balai.participation` (services and selectors);
this module parses input, proves a phone number with a one-time code (`balai.portal.services.otp`) and renders.

A person who proved a phone number holds, in the session and for `PROOF_SECONDS`, only the keyed digest
of that number (`balai.participation.keys.phone_key`), never the number.
"""

from __future__ import annotations

import time

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from balai.i18n import current_language
from balai.net import client_ip
from balai.participation import selectors, services
from balai.participation.keys import phone_key, user_key
from balai.participation.models import Channel, PhaseKind, Process, ProposalStatus
from balai.people.selectors import signed_in_citizen
from balai.portal.forms.participation import PhoneForm, ProposalForm, VoteForm
from balai.portal.services import otp
from balai.portal.views.track import CodeForm, code_error_message

OTP_PURPOSE = "participation"
SESSION_KEY = "balai_participant"
PAGE_SIZE = selectors.PUBLIC_PAGE_SIZE
MAX_PAGE = 200


# --- the proven participant ---------------------------------------------------------------------------

def participant_key(request: HttpRequest) -> str:
    """The key of the phone this session proved, else of the signed-in citizen's account, else ""."""
    held = request.session.get(SESSION_KEY) or {}
    if held.get("until", 0) > time.time() and held.get("key"):
        return held["key"]
    user = signed_in_citizen(getattr(request, "user", None))
    if user is not None:
        return user_key(user.pk)
    return ""


def verified_phone_key(request: HttpRequest) -> str:
    held = request.session.get(SESSION_KEY) or {}
    return held["key"] if held.get("until", 0) > time.time() and held.get("key") else ""


def _safe_next(request: HttpRequest, default: str) -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}) and nxt.startswith("/"):
        return nxt
    return default


def _process_or_404(slug: str) -> Process:
    process = selectors.published_process(slug)
    if process is None:
        raise Http404
    return process


def _page_number(raw: str | None) -> int:
    try:
        return min(max(int(raw or 1), 1), MAX_PAGE)
    except ValueError:
        return 1


# --- processes ----------------------------------------------------------------------------------------

def index(request: HttpRequest) -> HttpResponse:
    processes = list(selectors.published_processes()[:50])
    rows = [{"process": p, "current": selectors.current_phases(p)} for p in processes]
    return render(request, "portal/participation/index.html", {"rows": rows})


def process_page(request: HttpRequest, slug: str) -> HttpResponse:
    process = _process_or_404(slug)
    current = {p.kind for p in selectors.current_phases(process)}
    return render(request, "portal/participation/process.html", {
        "process": process, "phases": selectors.phases_of(process), "current": current,
        "proposals_open": PhaseKind.PROPOSALS in current, "voting_open": PhaseKind.VOTING in current,
        "owed": selectors.proposals_owed_answer(process)[:20],
    })


# --- proposals ----------------------------------------------------------------------------------------

def proposals(request: HttpRequest, slug: str) -> HttpResponse:
    process = _process_or_404(slug)
    status = request.GET.get("status") or ""
    if status not in ProposalStatus.values or status == ProposalStatus.MERGED:
        status = ""
    number = _page_number(request.GET.get("halaman"))
    rows, has_next = selectors.public_proposals(process, status=status, offset=(number - 1) * PAGE_SIZE)
    statuses = [(v, label) for v, label in ProposalStatus.choices if v != ProposalStatus.MERGED]
    return render(request, "portal/participation/proposals.html", {
        "process": process, "rows": rows, "status": status, "statuses": statuses, "number": number,
        "has_next": has_next and number < MAX_PAGE, "has_previous": number > 1,
        "base_query": f"status={status}" if status else "",
        "proposals_open": selectors.open_phase(process, PhaseKind.PROPOSALS) is not None,
    })


def proposal_page(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    process = _process_or_404(slug)
    proposal = selectors.public_proposal(process, code)
    if proposal is None:
        raise Http404
    if proposal.code != code:
        return redirect("portal:participation_proposal", slug=slug, code=proposal.code)
    return render(request, "portal/participation/proposal.html", {
        "process": process, "proposal": proposal, "events": selectors.proposal_events(proposal),
        "can_support": proposal.status == ProposalStatus.OPEN
        and selectors.open_phase(process, PhaseKind.PROPOSALS) is not None,
        "proven": bool(participant_key(request)), "notice": request.GET.get("dukungan") or "",
    })


def proposal_photo(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """The proposal's photo (metadata removed when it was stored), for whoever reads the proposal."""
    process = _process_or_404(slug)
    proposal = selectors.public_proposal(process, code)
    if proposal is None or not proposal.photo:
        raise Http404
    extension = proposal.photo.name.rsplit(".", 1)[-1].lower()
    content_type = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}.get(extension)
    if content_type is None:
        raise Http404
    response = FileResponse(proposal.photo.open("rb"), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def proposal_support(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    process = _process_or_404(slug)
    proposal = selectors.public_proposal(process, code)
    if proposal is None:
        raise Http404
    here = reverse("portal:participation_proposal", args=[slug, proposal.code])
    key = participant_key(request)
    if not key:
        return redirect(reverse("portal:participation_phone") + "?next=" + here)
    result = services.proposal_support(proposal=proposal, person_key=key, channel=Channel.WEB)
    outcome = "ok" if result.ok else result.error
    return redirect(f"{here}?dukungan={outcome}")


@require_http_methods(["GET", "POST"])
def proposal_new(request: HttpRequest, slug: str) -> HttpResponse:
    process = _process_or_404(slug)
    here = reverse("portal:participation_proposal_new", args=[slug])
    if selectors.open_phase(process, PhaseKind.PROPOSALS) is None:
        return render(request, "portal/participation/closed.html", {"process": process}, status=403)
    key = participant_key(request)
    if not key:
        return redirect(reverse("portal:participation_phone") + "?next=" + here)
    places = selectors.place_choices(process)
    form = ProposalForm(request.POST or None, request.FILES or None, places=places)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = signed_in_citizen(request.user)
        try:
            proposal = services.proposal_submit(
                process=process, title=data["judul"], description=data["uraian"], category=data["kategori"],
                region=selectors.place_in_process(process, data["tempat"]), channel=Channel.WEB,
                author=user, author_key=key, gender=data["jenis_kelamin"],
                disability=True if data["disabilitas"] else None, photo=data.get("foto"))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("portal:participation_proposal", slug=slug, code=proposal.code)
    status = 400 if request.method == "POST" else 200
    return render(request, "portal/participation/proposal_new.html", {"process": process, "form": form},
                  status=status)


# --- proving a phone number -------------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
def phone(request: HttpRequest) -> HttpResponse:
    nxt = _safe_next(request, reverse("portal:participation"))
    form = PhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        number = form.cleaned_data["telepon"]
        pending = phone_key(number)  # the code proves this key; the number itself stays nowhere
        result = otp.issue_code(purpose=OTP_PURPOSE, target=pending, ip=client_ip(request))
        if result.limited:
            return render(request, "portal/participation/phone.html", {
                "form": form, "next": nxt, "limited": True, "wait_minutes": otp.wait_minutes(result.retry_after)},
                status=429)
        otp.send_code(channel="sms", recipient=number, language=current_language(), code=result.code)
        request.session["balai_participant_pending"] = pending
        return redirect(reverse("portal:participation_code") + "?next=" + nxt)
    return render(request, "portal/participation/phone.html", {"form": form, "next": nxt},
                  status=400 if request.method == "POST" else 200)


@require_http_methods(["GET", "POST"])
def phone_code(request: HttpRequest) -> HttpResponse:
    nxt = _safe_next(request, reverse("portal:participation"))
    target = request.session.get("balai_participant_pending") or ""
    if not target:
        return redirect(reverse("portal:participation_phone") + "?next=" + nxt)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check = otp.check_code(purpose=OTP_PURPOSE, target=target, code=form.cleaned_data["kode_otp"],
                               ip=client_ip(request))
        if check.ok:
            request.session.pop("balai_participant_pending", None)
            request.session[SESSION_KEY] = {"key": target, "until": time.time() + otp.PROOF_SECONDS}
            request.session.cycle_key()
            return redirect(nxt)
        if check.reason == "limited":
            return render(request, "portal/participation/code.html", {
                "form": form, "next": nxt, "limited": True, "wait_minutes": otp.wait_minutes(check.retry_after)},
                status=429)
        form.add_error("kode_otp", code_error_message(check))
    return render(request, "portal/participation/code.html", {"form": form, "next": nxt},
                  status=400 if request.method == "POST" else 200)


# --- participatory budget -------------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
def vote(request: HttpRequest, slug: str) -> HttpResponse:
    process = _process_or_404(slug)
    here = reverse("portal:participation_vote", args=[slug])
    if process.kind != "budget":
        raise Http404
    if selectors.open_phase(process, PhaseKind.VOTING) is None:
        return render(request, "portal/participation/closed.html", {"process": process}, status=403)
    key = verified_phone_key(request)
    if not key:
        return redirect(reverse("portal:participation_phone") + "?next=" + here)
    projects = selectors.vote_projects(process)
    places = selectors.voter_places(process)
    form = VoteForm(request.POST or None, projects=projects, places=places,
                    voters_region=selectors.voters_region_of(process) if places else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        region = selectors.voter_place(process, data["desa"]) if places else None
        result = services.ballot_cast(process=process, nik=data["nik"], codes=data["proyek"], channel=Channel.WEB,
                                      verified_phone_key=key, gender=data["jenis_kelamin"], region=region,
                                      disability=True if data["disabilitas"] else None)
        if result.ok:
            return render(request, "portal/participation/voted.html", {
                "process": process, "chosen": [p for p in projects if p.code in result.codes]})
        form.add_error("nik" if result.error == "nik" else None, services.ballot_error_message(result))
    return render(request, "portal/participation/vote.html", {"process": process, "form": form,
                                                              "projects": projects},
                  status=400 if request.method == "POST" else 200)


def results(request: HttpRequest, slug: str) -> HttpResponse:
    process = _process_or_404(slug)
    if process.kind != "budget":
        raise Http404
    shown = process.results_published_at is not None
    data = selectors.budget_results(process) if shown else None
    rows = []
    if data:
        rows = [{"row": r, "project": data.projects[r.code]} for r in data.result.rows]
    return render(request, "portal/participation/results.html", {
        "process": process, "shown": shown, "data": data, "rows": rows,
        "channels": [(Channel(c).label, n) for c, n in sorted(data.by_channel.items())] if data else [],
    })



def inclusion(request: HttpRequest) -> HttpResponse:
    figures = selectors.inclusion_figures()
    return render(request, "portal/participation/inclusion.html", {"figures": figures})
