"""Documents the PPID app issues: the decree of a consequence test (Perki 1/2021 art. 49: it names the
information, the legal basis, the consequence and the exemption period) and the annual report, as PDF."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from balai.cases.workflows import EXEMPTIONS
from balai.ppid.models import ConsequenceTest


def html_pdf(html: str) -> bytes:
    # Loaded on first use: WeasyPrint needs Pango and takes a while to import (ADR 0030).
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # Fetch nothing from the network or the disk.
    return HTML(string=html, base_url=None, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf()


def decree_context(test: ConsequenceTest) -> dict[str, Any]:
    return {"test": test, "ground": EXEMPTIONS.get(test.exemption, test.exemption), "agency": test.agency}


def decree_pdf(*, test: ConsequenceTest, lang: str = "id") -> bytes:
    with translation.override(lang if lang in ("id", "en") else "id"):
        return html_pdf(render_to_string("ppid/decree.html", decree_context(test)))
