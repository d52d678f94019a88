"""The public archive of answered information requests (`/informasi/arsip/`): the question, the answer, the
documents released (after the PPID confirmed them), the time taken against the legal clock, and any
objection with its outcome. Who asked is never shown: `balai.ppid.selectors.public_archive` reads only the
archive's own masked fields, never the case (docs/regulations.md §3, §5, §11)."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from balai.agencies.selectors import active_agencies
from balai.cases.workflows import EXEMPTIONS
from balai.portal.views.register import MAX_PAGE, PAGE_SIZE, _int
from balai.ppid import selectors, services
from balai.ppid.models import Outcome


@require_safe
def archive(request: HttpRequest) -> HttpResponse:
    agencies = list(active_agencies(order_by="short_name"))
    chosen_agency = next((a for a in agencies if a.slug == request.GET.get("instansi")), None)
    outcome = request.GET.get("hasil") or ""
    if outcome not in Outcome.values:
        outcome = ""
    year = _int(request.GET.get("tahun"), low=2000, high=2100)
    q = (request.GET.get("q") or "").strip()[:100]
    number = _int(request.GET.get("halaman"), default=1, high=MAX_PAGE) or 1
    offset = (number - 1) * PAGE_SIZE
    rows = selectors.public_archive_page(agency=chosen_agency, outcome=outcome, year=year, q=q, offset=offset,
                                         limit=PAGE_SIZE + 1)
    outcomes = dict(Outcome.choices)  # once per page, not per row (as the register)
    for entry in rows:
        entry.outcome_label = outcomes.get(entry.outcome, entry.outcome)  # type: ignore[attr-defined]
    base = request.GET.copy()
    base.pop("halaman", None)
    return render(request, "portal/archive.html", {
        "entries": rows[:PAGE_SIZE], "has_next": len(rows) > PAGE_SIZE and number < MAX_PAGE,
        "has_previous": number > 1, "number": number, "agencies": agencies, "chosen_agency": chosen_agency,
        "outcomes": Outcome.choices, "outcome": outcome, "year": year or "", "q": q,
        "filtered": bool(chosen_agency or outcome or year or q), "base_query": base.urlencode(),
    })


@require_safe
def archive_entry(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.public_archive_entry(pk)
    if entry is None:
        raise Http404
    return render(request, "portal/archive_entry.html", {
        "entry": entry, "documents": selectors.public_archive_documents(entry),
        "exemption": EXEMPTIONS.get(entry.exemption, "") if entry.exemption else "",
    })


@require_safe
def archive_document(request: HttpRequest, pk: int, doc: int) -> FileResponse:
    """A released document, under a neutral file name (the original name may carry the requester's)."""
    document = selectors.public_archive_document(entry_pk=pk, pk=doc)
    if document is None:
        raise Http404
    attachment = document.attachment
    extension = attachment.original_name.rsplit(".", 1)[-1].lower() if "." in attachment.original_name else "bin"
    response = FileResponse(services.released_document_file(document), content_type=attachment.content_type, as_attachment=True,
                            filename=f"informasi-{pk}-{doc}.{extension[:5]}")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
