"""Musrenbang in public (/partisipasi/<slug>/musrenbang/): each level's forums, their attendance by
gender and disability, decisions with reasons, the minutes as PDF and the agreed list as CSV."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from balai.i18n import current_language
from balai.participation import documents, selectors
from balai.participation.models import Forum
from balai.portal.views.participation import _process_or_404


def _forum_or_404(slug: str, pk: int) -> Forum:
    process = _process_or_404(slug)
    forum = selectors.forum_of(process, pk)
    if forum is None:
        raise Http404
    return forum


def forums(request: HttpRequest, slug: str) -> HttpResponse:
    process = _process_or_404(slug)
    return render(request, "portal/participation/forums.html", {"process": process,
                                                                "forums": selectors.forums_of(process)})


def forum_page(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    forum = _forum_or_404(slug, pk)
    return render(request, "portal/participation/forum.html", {"process": forum.process, "forum": forum,
                                                               "items": selectors.forum_items(forum)})


def minutes_pdf(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    forum = _forum_or_404(slug, pk)
    if forum.held_on is None:
        raise Http404
    response = HttpResponse(documents.minutes_pdf(forum=forum, lang=current_language()),
                            content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="berita-acara-{forum.level}-{forum.pk}.pdf"'
    return response


def agreed_csv(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    forum = _forum_or_404(slug, pk)
    response = HttpResponse(documents.agreed_csv(forum=forum), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="musrenbang-{forum.level}-{forum.region.code}.csv"'
    return response
