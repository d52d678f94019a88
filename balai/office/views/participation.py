"""Participation in the staff workspace (/kantor/partisipasi/): answer and follow proposals, merge
duplicates, review costs, publish budget results, moderate comments and publish the response report,
record paper ballots and proposals on someone's behalf (audited, per-location subtotals), and run the
Musrenbang forums. Rules in `balai.participation`; every write is a service that audits it."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from balai.office.forms.participation import EXTRA_SECTION_ROWS, ProcessForm
from balai.office.rules import office_view
from balai.participation import selectors, services
from balai.participation.models import Channel, Process
from balai.people.permissions import has_permission


def _process(request: HttpRequest, slug: str, action: str) -> Process:
    process = selectors.process_by_slug(slug)
    if process is None:
        raise Http404
    if not has_permission(request.user, action, process.agency):
        raise PermissionDenied
    return process


def _int(raw: str | None) -> int | None:
    try:
        return int((raw or "").replace(".", "").replace(",", "").strip())
    except ValueError:
        return None


def _date(raw: str | None) -> date | None:
    try:
        return date.fromisoformat((raw or "").strip())
    except ValueError:
        return None


def _messages(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@office_view("office:participation")
def index_view(request: HttpRequest) -> HttpResponse:
    return render(request, "office/participation/index.html", {
        "processes": selectors.processes_for_staff(request.user), "office_section": "participation",
        "can_create": has_permission(request.user, "participation.edit")})


@office_view("office:participation_process")
def process_view(request: HttpRequest, slug: str) -> HttpResponse:
    process = _process(request, slug, "participation.manage")
    error = done = ""
    if request.method == "POST":
        action = request.POST.get("action")
        proposal = selectors.public_proposal(process, request.POST.get("code", ""))
        try:
            if action == "status" and proposal:
                services.proposal_set_status(proposal=proposal, status=request.POST.get("status", ""),
                                             note=request.POST.get("note", ""), actor=request.user)
            elif action == "merge" and proposal:
                target = selectors.public_proposal(process, request.POST.get("into", ""))
                if target is None:
                    raise ValidationError(_("Unknown proposal code."))
                services.proposal_merge(source=proposal, target=target, actor=request.user)
            elif action == "review" and proposal:
                services.proposal_review(proposal=proposal, feasible=request.POST.get("feasible") == "1",
                                         cost=_int(request.POST.get("cost")), note=request.POST.get("note", ""),
                                         actor=request.user)
            elif action == "publish_results" and process.kind == "budget":
                services.results_publish(process=process, actor=request.user)
            else:
                raise ValidationError(_("Unknown proposal code."))
        except ValidationError as exc:
            error = _messages(exc)
        else:
            return redirect(reverse("office:participation_process", args=[slug]) + "?selesai=1")
        done = ""
    else:
        done = request.GET.get("selesai") == "1"
    budget = selectors.budget_results(process) if process.kind == "budget" else None
    return render(request, "office/participation/process.html", {
        "process": process, "owed": selectors.proposals_owed_answer(process),
        "proposals": selectors.staff_proposals(process), "statuses": services.FOLLOW_STATUSES,
        "budget": budget, "subtotals": selectors.paper_subtotals(process) if budget else [],
        "forums": selectors.forums_of(process), "draft": selectors.draft_of(process),
        "error": error, "done": done, "office_section": "participation",
        "can_edit": selectors.can_edit_process(request.user, process),
    }, status=400 if error else 200)


@office_view("office:participation_paper")
def paper_view(request: HttpRequest, slug: str) -> HttpResponse:
    """A counter officer or facilitator records a paper ballot or a proposal for someone whose identity
    they checked on paper. Audited; the ballot is refused like any second vote of the same person."""
    process = _process(request, slug, "participation.record")
    error = done = ""
    values = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        location = (request.POST.get("location") or "").strip()
        if not location:
            error = _("Say where the paper was filled in (for the recount subtotals).")
        elif request.POST.get("action") == "ballot":
            codes = (request.POST.get("codes") or "").replace(",", " ").split()
            voter_place = selectors.voter_place(process, request.POST.get("voter_place", ""))
            result = services.ballot_cast(process=process, nik=request.POST.get("nik", ""),
                                          phone=request.POST.get("phone", ""), codes=codes, channel=Channel.PAPER,
                                          location=location, recorded_by=request.user, region=voter_place)
            error = "" if result.ok else services.ballot_error_message(result)
            done = _("Ballot recorded.") if result.ok else ""
        elif request.POST.get("action") == "proposal":
            place = selectors.place_in_process(process, request.POST.get("place", ""))
            try:
                if place is None or not (request.POST.get("title") or "").strip():
                    raise ValidationError(_("Give a title and the place."))
                proposal = services.proposal_submit(
                    process=process, title=request.POST.get("title", ""),
                    description=request.POST.get("description", "") or request.POST.get("title", ""),
                    region=place, channel=Channel.PAPER, recorded_by=request.user,
                    location=location, volume=request.POST.get("volume", ""), cost=_int(request.POST.get("cost")),
                    level="village" if process.kind == "musrenbang" else "")
            except ValidationError as exc:
                error = _messages(exc)
            else:
                done = _("Proposal recorded with code %(code)s.") % {"code": proposal.code}
        if done:
            values = {"location": location}
    return render(request, "office/participation/paper.html", {
        "process": process, "error": error, "done": done, "values": values,
        "places": selectors.place_choices(process), "projects": selectors.vote_projects(process),
        "voter_places": selectors.voter_places(process),
        "subtotals": selectors.paper_subtotals(process), "office_section": "participation",
    }, status=400 if error else 200)


@office_view("office:participation_moderation")
def moderation_view(request: HttpRequest, slug: str) -> HttpResponse:
    process = _process(request, slug, "participation.manage")
    draft = selectors.draft_of(process)
    if draft is None:
        raise Http404
    error = ""
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action in ("publish", "hide"):
                comment = selectors.comment_of(draft, _int(request.POST.get("comment")) or 0)
                if comment is None:
                    raise Http404
                services.comment_moderate(comment=comment, publish=action == "publish",
                                          reason=request.POST.get("reason", ""), actor=request.user)
            elif action == "respond":
                section = selectors.draft_section(draft, _int(request.POST.get("section")) or 0)
                if section is None:
                    raise Http404
                services.section_respond(section=section, response=request.POST.get("response", ""),
                                         actor=request.user)
            elif action == "report":
                services.report_publish(draft=draft, introduction=request.POST.get("intro", ""), actor=request.user)
        except ValidationError as exc:
            error = _messages(exc)
        else:
            return redirect("office:participation_moderation", slug=slug)
    return render(request, "office/participation/moderation.html", {
        "process": process, "draft": draft, "pending": selectors.pending_comments(draft),
        "views": selectors.draft_sections(draft), "error": error, "office_section": "participation",
    }, status=400 if error else 200)


@office_view("office:participation_forum")
def forum_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    process = _process(request, slug, "participation.record")
    forum = selectors.forum_of(process, pk)
    if forum is None:
        raise Http404
    error = ""
    if request.method == "POST":
        action = request.POST.get("action")
        items = {str(i.pk): i for i in selectors.forum_items(forum)}
        try:
            if action == "record":
                held_on = _date(request.POST.get("held_on"))
                if held_on is None:
                    raise ValidationError(_("Give the date of the meeting (YYYY-MM-DD)."))
                services.forum_record(forum=forum, held_on=held_on, place=request.POST.get("place", ""),
                                      chair=request.POST.get("chair", ""), minutes=request.POST.get("minutes", ""),
                                      women=_int(request.POST.get("women")) or 0, men=_int(request.POST.get("men")) or 0,
                                      disability=_int(request.POST.get("disability")) or 0, actor=request.user)
            elif action == "decide" and request.POST.get("item") in items:
                services.forum_decide(item=items[request.POST["item"]], decision=request.POST.get("decision", ""),
                                      priority=_int(request.POST.get("priority")),
                                      reason=request.POST.get("reason", ""), actor=request.user)
            elif action == "merge":
                source = selectors.public_proposal(process, request.POST.get("code", ""))
                target = selectors.public_proposal(process, request.POST.get("into", ""))
                if source is None or target is None:
                    raise ValidationError(_("Unknown proposal code."))
                services.forum_merge(forum=forum, source=source, target=target, actor=request.user)
            elif action == "close":
                services.forum_close(forum=forum, actor=request.user)
            else:
                raise ValidationError(_("Unknown proposal code."))
        except ValidationError as exc:
            error = _messages(exc)
        else:
            return redirect("office:participation_forum", slug=slug, pk=pk)
    return render(request, "office/participation/forum.html", {
        "process": process, "forum": forum, "items": selectors.forum_items(forum),
        "decisions": [("agreed", _("Agreed")), ("carried_over", _("Carried over to next year")),
                      ("rejected", _("Not agreed"))],
        "reasons": [str(r) for r in services.REJECTION_REASONS], "error": error, "office_section": "participation",
    }, status=400 if error else 200)


# --- the process editor: the head or administrator of the owner agency ---------------------------------

@office_view("office:participation_new")
def process_new_view(request: HttpRequest) -> HttpResponse:
    return _editor(request, None)


@office_view("office:participation_edit")
def process_edit_view(request: HttpRequest, slug: str) -> HttpResponse:
    return _editor(request, _process(request, slug, "participation.edit"))


def _editor(request: HttpRequest, process: Process | None) -> HttpResponse:
    """Create or edit a process. An error keeps everything typed and says what to fix, field by field;
    "More section rows" sends the form back with three more empty rows (no JavaScript needed)."""
    agencies = selectors.editable_agencies(request.user)
    if not agencies:
        raise PermissionDenied
    draft = selectors.draft_of(process) if process is not None else None
    context = {"agencies": agencies, "regions": selectors.editor_regions(agencies), "process": process,
               "phases": selectors.process_phases_by_kind(process) if process is not None else {},
               "draft": draft, "sections": selectors.sections_of(draft) if draft is not None else []}
    status = 200
    if request.method != "POST":
        form = ProcessForm(**context)
    elif "more" in request.POST:
        initial = request.POST.dict()
        initial["is_published"] = "is_published" in request.POST
        rows = (_int(request.POST.get("section_rows")) or 0) + EXTRA_SECTION_ROWS
        initial["section_rows"] = str(rows)
        form = ProcessForm(initial=initial, rows=rows, **context)
    else:
        form = ProcessForm(request.POST, rows=_int(request.POST.get("section_rows")) or 0, **context)
        valid = form.is_valid()
        given = {"data": form.process_data(), "phases": form.phase_inputs(), "process": process,
                 "draft_title": form.cleaned_data.get("draft_title") or "", "sections": form.section_inputs()}
        if not valid:  # say every problem at once: the form's own, then the rules' on what did parse
            form.add_service_errors(services.process_problems(**given))
        else:
            try:
                saved = services.process_save(actor=request.user,
                                              draft_intro=form.cleaned_data.get("draft_intro") or "", **given)
            except ValidationError as exc:
                form.add_service_errors(exc.message_dict)
            else:
                return redirect(reverse("office:participation_process", args=[saved.slug]) + "?selesai=1")
        status = 400
    return render(request, "office/participation/edit.html", {
        "form": form, "process": process, "office_section": "participation"}, status=status)
