"""After sending: the confirmation page and the PDF receipt.

The confirmation page belongs to the browser session that sent the case (its session remembers the codes
it sent) and to nobody else: it shows where we wrote to, partly masked, and for an anonymous case even
that much of a phone number is too much for an officer to see. Anyone else, staff included, gets the same
"not found" as for a code that does not exist.

The receipt holds no contact (`balai.cases.receipts`): besides the sending browser, a citizen who proved
the case is theirs with a one-time code, and officers who may see the case (with their verified second
factor), may download it again.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from balai.cases import receipts
from balai.cases.selectors import case_by_code
from balai.cases.visibility import STAFF_KINDS, case_view
from balai.i18n import current_language
from balai.people.selectors import second_factor_verified
from balai.portal.services import otp
from balai.portal.views import flow

PAPER_PARAM = {"a4": "a4", "80mm": "80mm", "80": "80mm"}


def _may_get_receipt(request: HttpRequest, case) -> bool:
    if flow.sent_here(request, case.tracking_code):
        return True
    if otp.is_proven(request, case):
        return True
    user = request.user
    # Officers of the case, signed in to the workspace with their second factor (a password alone is not
    # a staff session: ADR 0015).
    if getattr(user, "is_authenticated", False) and user.is_staff and second_factor_verified(user):
        return case_view(case=case, viewer=user).viewer_kind in STAFF_KINDS
    return False


def _sent_here_or_404(request: HttpRequest, code: str):
    """The case this browser session sent under `code`; 404 (as for an unknown code) for anyone else."""
    case = case_by_code(code)
    if case is None or not flow.sent_here(request, case.tracking_code):
        raise Http404
    return case


def _receipt_case_or_404(request: HttpRequest, code: str):
    case = case_by_code(code)
    if case is None or not _may_get_receipt(request, case):
        raise Http404
    return case


def masked_contact(case) -> str:
    """The contact we wrote to, partly hidden (the page may be seen over a shoulder)."""
    if case.contact_channel in ("sms", "whatsapp") and case.contact_phone:
        phone = case.contact_phone
        return phone[:5] + "•" * max(0, len(phone) - 8) + phone[-3:]
    if case.contact_channel == "email" and case.contact_email:
        local, _at, domain = case.contact_email.partition("@")
        return f"{local[:2]}{'•' * max(1, len(local) - 2)}@{domain}"
    return ""


@require_GET
def confirmation(request: HttpRequest, code: str) -> HttpResponse:
    case = _sent_here_or_404(request, code)
    context = receipts.receipt_context(case=case, lang=current_language())
    context |= dict(contact=masked_contact(case), channel=case.get_contact_channel_display()
                   if hasattr(case, "get_contact_channel_display") else case.contact_channel)
    return render(request, "portal/confirmation.html", context)


@require_GET
def receipt(request: HttpRequest, code: str) -> HttpResponse:
    case = _receipt_case_or_404(request, code)
    paper = PAPER_PARAM.get(request.GET.get("kertas", "a4"), "a4")
    pdf = receipts.receipt_pdf(case=case, paper=paper, lang=current_language())
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="tanda-terima-{case.tracking_code}-{paper}.pdf"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
