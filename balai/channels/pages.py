"""Public pages of the SMS / WhatsApp channel: /sms/ (the number, every keyword with an example, the
numbered categories) and the A5 poster for village halls (an HTML preview and the PDF printed from it).

Everything comes from the command table (`grammar.COMMANDS`) and the active complaint categories, so a
new keyword or category appears on the page and the poster without editing them.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.views.decorators.http import require_safe

from balai.catalog.selectors import active_complaint_categories
from balai.channels import grammar
from balai.i18n import current_language

A5 = "A5"


def channel_numbers() -> dict[str, str]:
    """The published numbers: {"sms": "...", "whatsapp": "..."}; a channel without a number is left out."""
    numbers = {"sms": settings.BALAI_SMS_NUMBER, "whatsapp": settings.BALAI_WHATSAPP_NUMBER}
    return {k: v for k, v in numbers.items() if v}


def guide(lang: str) -> dict[str, Any]:
    """What the page and the poster show, in `lang` ("id" or "en")."""
    other = "en" if lang == "id" else "id"
    commands = []
    for spec in grammar.COMMANDS.values():
        commands.append({
            "name": spec.name,
            "usage": spec.usage.get(lang, ""),
            "usage_other": spec.usage.get(other, ""),
            "summary": str(spec.summary),
            "examples": spec.examples.get(lang, ()),
        })
    categories = [{"number": n, "keyword": c.keyword.upper(), "name": c.name}
                  for n, c in enumerate(active_complaint_categories(order_by=("order", "keyword")), 1)]
    numbers = channel_numbers()
    return {"commands": commands, "categories": categories, "numbers": numbers,
            "sms_number": numbers.get("sms", ""), "whatsapp_number": numbers.get("whatsapp", ""),
            "lang": lang}


@require_safe
def sms_page(request: HttpRequest) -> HttpResponse:
    return render(request, "channels/sms.html", guide(current_language()))


@require_safe
def sms_poster(request: HttpRequest) -> HttpResponse:
    """The poster as a web page (to check it before printing; it is the same text as the PDF)."""
    return render(request, "channels/sms_poster_page.html", guide(current_language()))


def poster_document(lang: str) -> Any:
    """The A5 poster laid out by WeasyPrint (one page)."""
    from weasyprint import HTML  # loaded on first use (Pango), like the receipts
    from weasyprint.urls import URLFetcher

    lang = lang if lang in ("id", "en") else "id"
    with translation.override(lang):
        html = render_to_string("channels/sms_poster.html", guide(lang))
    return HTML(string=html, base_url=None, url_fetcher=URLFetcher(allowed_protocols={"data"})).render()


@require_safe
def sms_poster_pdf(request: HttpRequest) -> HttpResponse:
    lang = current_language()
    response = HttpResponse(poster_document(lang).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="balai-sms-{lang}.pdf"'
    response["Cache-Control"] = "public, max-age=3600"
    return response
