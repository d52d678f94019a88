"""Documents of participation: the response report of a consultation and the minutes (berita acara) of
a Musrenbang forum as PDF (WeasyPrint), and a forum's agreed list as CSV (docs/regulations.md §12)."""

from __future__ import annotations

import io

from django.template.loader import render_to_string
from django.utils import translation

from balai import csv_safe
from balai.participation import selectors
from balai.participation.models import Draft, Forum

CSV_COLUMNS = ("priority", "code", "title", "location", "region_code", "volume", "responsible_agency",
               "estimated_cost", "contribution")


def _pdf(template: str, context: dict, lang: str) -> bytes:
    # Loaded on first use: WeasyPrint needs Pango and takes a while to import (ADR 0030).
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    lang = lang if lang in ("id", "en") else "id"
    with translation.override(lang):
        html = render_to_string(template, {**context, "lang": lang})
    return HTML(string=html, base_url=None, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf()


def report_pdf(*, draft: Draft, lang: str = "id") -> bytes:
    """The response report: each section, how many agreed and disagreed, and the owner's answer."""
    return _pdf("participation/report_pdf.html", {"draft": draft, "process": draft.process,
                                                  "sections": selectors.draft_sections(draft)}, lang)


def minutes_pdf(*, forum: Forum, lang: str = "id") -> bytes:
    """The berita acara: date, place, chair, attendance by gender and disability, decisions."""
    return _pdf("participation/minutes_pdf.html", {"forum": forum, "process": forum.process,
                                                   "items": selectors.forum_items(forum)}, lang)


def agreed_csv(*, forum: Forum) -> str:
    """The forum's agreed proposals, one row each, in the columns national planning systems import."""
    out = io.StringIO()
    writer = csv_safe.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in selectors.forum_agreed_rows(forum):
        writer.writerow([row[c] for c in CSV_COLUMNS])
    return out.getvalue()
