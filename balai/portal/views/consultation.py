"""Consultation on a draft (/partisipasi/<slug>/rancangan/): numbered sections, comments per section or
on the whole with agree/disagree, moderated before publication, and the owner's response report as a
page and a PDF. Rules in `balai.participation`."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from balai.i18n import current_language
from balai.participation import documents, selectors, services
from balai.participation.models import Channel, Draft, PhaseKind, Process
from balai.portal.forms.participation import CommentForm
from balai.portal.views.participation import _process_or_404, participant_key


def _draft_or_404(slug: str) -> tuple[Process, Draft]:
    process = _process_or_404(slug)
    draft = selectors.draft_of(process)
    if draft is None:
        raise Http404
    return process, draft


@require_http_methods(["GET", "POST"])
def draft_page(request: HttpRequest, slug: str) -> HttpResponse:
    process, draft = _draft_or_404(slug)
    here = reverse("portal:participation_draft", args=[slug])
    open_ = selectors.open_phase(process, PhaseKind.PROPOSALS) is not None
    form = CommentForm(request.POST or None)
    status = 200
    if request.method == "POST":
        key = participant_key(request)
        if not key:
            return redirect(reverse("portal:participation_phone") + "?next=" + here)
        if form.is_valid():
            data = form.cleaned_data
            section = None
            if (data["bagian"] or "").isdigit():
                section = selectors.draft_section(draft, int(data["bagian"]))
            try:
                services.comment_submit(draft=draft, section=section, stance=data["sikap"], text=data["komentar"],
                                        author_name=data["nama"], person_key=key, channel=Channel.WEB)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return redirect(here + "?terkirim=1")
        status = 400
    return render(request, "portal/participation/draft.html", {
        "process": process, "draft": draft, "views": selectors.draft_sections(draft), "form": form,
        "open": open_, "sent": request.GET.get("terkirim") == "1", "proven": bool(participant_key(request)),
    }, status=status)


def report_page(request: HttpRequest, slug: str) -> HttpResponse:
    process, draft = _draft_or_404(slug)
    return render(request, "portal/participation/report.html", {
        "process": process, "draft": draft,
        "views": selectors.draft_sections(draft) if draft.report_published_at else []})


def report_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    _process, draft = _draft_or_404(slug)
    if draft.report_published_at is None:
        raise Http404
    response = HttpResponse(documents.report_pdf(draft=draft, lang=current_language()),
                            content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="laporan-tanggapan-{slug}.pdf"'
    return response
