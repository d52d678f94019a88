"""The PDF receipt of a case (tanda terima): A4 for home printers, 80 mm for counter thermal printers.

It shows only what is safe to print and hand over: the tracking code (with a QR code of the tracking
address), the service or topic, the agency, the date of receipt and the due date in working days. No
NIK, no answers, no contact details (UU 27/2022 PDP: data minimisation). The portal's confirmation page
and the office counter (walk-in citizens) both issue it, so it lives with the cases (ADR 0030).
"""

from __future__ import annotations

import base64
import io
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from balai.cases.models import Case
from balai.cases.promise import promise_of
from balai.i18n import localized

PAPERS = ("a4", "80mm")


def tracking_url(case: Case) -> str:
    return f"{settings.SITE_URL.rstrip('/')}/lacak/{case.tracking_code}/"


def qr_svg_data_uri(text: str) -> str:
    """A QR code of `text` as an SVG data URI (vector: sharp on any printer)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, border=2,
                        error_correction=qrcode.constants.ERROR_CORRECT_M)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def spaced_code(code: str) -> str:
    """The code in groups with spaces between characters, for reading aloud: "K T · 7 M 4 Q · 2 X 9 P"."""
    return " · ".join(" ".join(group) for group in code.split("-"))


def receipt_context(*, case: Case, lang: str = "id") -> dict[str, Any]:
    """What the receipt (and the confirmation page) may show of `case`."""
    subject = ""
    if case.service_id:
        subject = localized(case.service, "name", lang)
    elif case.complaint_category_id:
        subject = localized(case.complaint_category, "name", lang)
    return {
        "case": case,
        "code": case.tracking_code,
        "spaced_code": spaced_code(case.tracking_code),
        "kind_label": case.get_kind_display(),
        "subject": subject,
        "agency": localized(case.agency, "name", lang) if case.agency_id else "",
        "submitted_at": timezone.localtime(case.submitted_at),
        "due_at": timezone.localtime(case.due_at) if case.due_at else None,
        "working_days": case.target_working_days,
        "promise": promise_of(case),
        "tracking_url": tracking_url(case),
        "anonymous": case.confidentiality == "anonymous",
        "sms_number": getattr(settings, "BALAI_SMS_NUMBER", "") or getattr(settings, "BALAI_WHATSAPP_NUMBER", ""),
    }


def receipt_pdf(*, case: Case, paper: str = "a4", lang: str = "id") -> bytes:
    """The receipt of `case` as PDF bytes on `paper` ("a4" or "80mm") in `lang` ("id" or "en")."""
    # Loaded on first use: WeasyPrint needs Pango and takes a while to import (ADR 0030).
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    paper = paper if paper in PAPERS else "a4"
    lang = lang if lang in ("id", "en") else "id"
    # Fetch nothing from the network or the disk: the receipt embeds everything as data URIs.
    fetcher = URLFetcher(allowed_protocols={"data"})
    with translation.override(lang):
        context = receipt_context(case=case, lang=lang)
        context.update(paper=paper, lang=lang, qr=qr_svg_data_uri(context["tracking_url"]))

        def render(height_mm: float):
            html = render_to_string("cases/receipt.html", {**context, "page_height_mm": f"{height_mm:.1f}"})
            return HTML(string=html, base_url=None, url_fetcher=fetcher).render()

        document = render(ROLL_MAX_MM)
        if paper == "80mm":
            # A roll printer cuts where the page ends: lay out once on a long page, then again on a page
            # exactly as long as the content (CSS has no "auto" page height; WeasyPrint issue #193).
            fitted = _fitted_height_mm(document)
            if fitted is not None:
                document = render(fitted)
    return document.write_pdf()


ROLL_MAX_MM = 400.0  # the longest 80 mm receipt: a long agency or service name still fits on one page
ROLL_MARGINS_MM = 8.0  # @page margin, top + bottom (cases/receipt.html)


def _fitted_height_mm(document) -> float | None:
    """Height of a one-page layout's content plus margins, in mm; None when it cannot be measured."""
    try:
        root = document.pages[0]._page_box.children[0]  # noqa: SLF001 - no public API for content height
        height_px = root.margin_height()
    except (AttributeError, IndexError, TypeError):
        return None
    return min(ROLL_MAX_MM, round(height_px * 25.4 / 96 + ROLL_MARGINS_MM + 2, 1))  # +2 mm for the cutter
