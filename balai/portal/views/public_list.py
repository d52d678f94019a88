"""The public list of complaints and aspirations (SP4N-LAPOR! publishes reports too).

Which cases: `balai.cases.selectors.publicly_listable_cases`, the one rule of every public list (marked
public by the citizen, verified by staff; never confidential or anonymous; ADR 0016). What of each case:
only what `case_view` gives the public: free text redacted (`redact_for_case`: phones, e-mails, NIKs
and the citizen's own name), no names, no contacts,
regency-level place. Public pages use the case's database id, not its tracking code: the code is what
lets its holder ask for a one-time code, so it is not published.

Fast on a big table: the query follows the `case_public_list` index (kind, confidentiality,
submitted_at), pages are read with LIMIT/OFFSET plus one extra row to know whether there is a next page,
and the total shown is capped (counting at most `COUNT_CAP` rows) instead of counting the whole table.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from balai.agencies.selectors import active_agencies, regencies
from balai.cases import workflows
from balai.cases.selectors import official_names, publicly_listable_case, publicly_listed_page
from balai.cases.visibility import case_view, public_version, redact_public
from balai.catalog.selectors import active_complaint_categories
from balai.portal.views.track import deadline_of, status_label, timeline_rows

PAGE_SIZE = 20
COUNT_CAP = 1000
MAX_PAGE = COUNT_CAP // PAGE_SIZE  # deep pages are refused: filter instead
STATUSES = ("submitted", "verified", "in_progress", "waiting_citizen", "answered", "closed", "rejected")
STATUS_GROUPS = {
    "baru": ("submitted", "verified"),
    "diproses": ("in_progress", "waiting_citizen"),
    "dijawab": ("answered",),
    "selesai": ("closed", "rejected"),
}
STATUS_GROUP_LABELS = {
    "baru": gettext_lazy("New"),
    "diproses": gettext_lazy("Being handled"),
    "dijawab": gettext_lazy("Answered"),
    "selesai": gettext_lazy("Closed"),
}


def _page_number(raw: str | None) -> int:
    try:
        number = int(raw or 1)
    except ValueError:
        return 1
    return min(max(number, 1), MAX_PAGE)


def public_list(request: HttpRequest) -> HttpResponse:
    agencies = list(active_agencies(order_by="short_name"))
    categories = list(active_complaint_categories(order_by=("slug",)))
    regency_list = regencies()
    chosen_agency = next((a for a in agencies if a.slug == request.GET.get("instansi")), None)
    chosen_category = next((c for c in categories if c.slug == request.GET.get("kategori")), None)
    chosen_regency = next((r for r in regency_list if r.code == request.GET.get("wilayah")), None)
    status_group = request.GET.get("status") or ""
    if status_group not in STATUS_GROUPS:
        status_group = ""
    number = _page_number(request.GET.get("halaman"))
    page = publicly_listed_page(offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE, count_cap=COUNT_CAP,
                                agency=chosen_agency, category=chosen_category, regency=chosen_regency,
                                statuses=STATUS_GROUPS.get(status_group))
    has_next = page.has_more and number < MAX_PAGE
    rows = page.cases
    capped = page.counted
    base = request.GET.copy()
    base.pop("halaman", None)
    officials = official_names([c.pk for c in rows])  # masked as on the case's page (ADR 0043), one query
    items = [{
        "pk": c.pk, "title": redact_public(public_version(c, "title"), case=c, officials=officials.get(c.pk, ())),
        "excerpt": redact_public(public_version(c, "description"), case=c,
                                 officials=officials.get(c.pk, ()))[:240],
        "kind": c.get_kind_display(), "category": c.complaint_category.name if c.complaint_category_id else "",
        "agency": c.agency.short_name, "status": status_label(c), "submitted_at": c.submitted_at,
    } for c in rows]
    return render(request, "portal/public_list.html", {
        "items": items, "number": number, "has_next": has_next, "has_previous": number > 1,
        "total": min(capped, COUNT_CAP), "total_capped": capped > COUNT_CAP,
        "agencies": agencies, "categories": categories, "regencies": regency_list,
        "chosen_agency": chosen_agency, "chosen_category": chosen_category, "chosen_regency": chosen_regency,
        "status_group": status_group, "status_groups": list(STATUS_GROUP_LABELS.items()),
        "base_query": base.urlencode(), "filtered": bool(chosen_agency or chosen_category or chosen_regency
                                                         or status_group),
    })


def public_case(request: HttpRequest, pk: int) -> HttpResponse:
    case = publicly_listable_case(pk)
    if case is None:
        raise Http404
    view = case_view(case=case, viewer=None)
    return render(request, "portal/public_case.html", {
        "case": case, "view": view, "status": status_label(case), "deadline": deadline_of(case),
        "timeline": timeline_rows(case, view.timeline), "kind_label": case.get_kind_display(),
        "closed_states": workflows.workflow_for(case.kind).closed_states,
    })
