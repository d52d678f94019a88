"""The register of public information (Daftar Informasi Publik, `/informasi/daftar/`): every approved item
with the columns the law sets, filtered by agency, category and year (docs/regulations.md §11).

Reads only `balai.ppid.selectors.public_items_page` (approved items); pages with LIMIT/OFFSET and one extra
row, so a big register stays fast (bench/ppid_pages.py).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from balai.agencies.selectors import active_agencies
from balai.i18n import current_language
from balai.ppid import selectors
from balai.ppid.documents import decree_pdf
from balai.ppid.models import Category, ItemFormat

PAGE_SIZE = 25
MAX_PAGE = 400


def _int(raw: str | None, *, default: int | None = None, low: int = 1, high: int = 10**6) -> int | None:
    try:
        value = int(raw or "")
    except ValueError:
        return default
    return value if low <= value <= high else default


@require_safe
def register(request: HttpRequest) -> HttpResponse:
    agencies = list(active_agencies(order_by="short_name"))
    chosen_agency = next((a for a in agencies if a.slug == request.GET.get("instansi")), None)
    category = request.GET.get("kategori") or ""
    if category not in Category.values:
        category = ""
    years = selectors.register_years()
    year = _int(request.GET.get("tahun"), low=1945, high=2100)
    if year not in years:
        year = None
    q = (request.GET.get("q") or "").strip()[:100]
    number = _int(request.GET.get("halaman"), default=1, high=MAX_PAGE) or 1
    offset = (number - 1) * PAGE_SIZE
    rows = selectors.public_items_page(agency=chosen_agency, category=category, year=year, q=q, offset=offset,
                                       limit=PAGE_SIZE + 1)
    # The labels once per page, not per row: `get_FOO_display` translates every choice of the field on each
    # call (bench/RESULTS.md, template cost).
    categories, formats = dict(Category.choices), dict(ItemFormat.choices)
    for item in rows:
        item.category_label = categories.get(item.category, item.category)  # type: ignore[attr-defined]
        item.format_label = formats.get(item.format, item.format)  # type: ignore[attr-defined]
    base = request.GET.copy()
    base.pop("halaman", None)
    return render(request, "portal/register.html", {
        "items": rows[:PAGE_SIZE], "has_next": len(rows) > PAGE_SIZE and number < MAX_PAGE,
        "has_previous": number > 1, "number": number, "agencies": agencies, "chosen_agency": chosen_agency,
        "categories": Category.choices, "category": category, "years": years, "year": year, "q": q,
        "filtered": bool(chosen_agency or category or year or q), "base_query": base.urlencode(),
    })


@require_safe
def register_item(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.public_item(pk)
    if item is None:
        raise Http404
    return render(request, "portal/register_item.html", {
        "item": item, "test": selectors.public_test_of(item) if item.category == Category.EXEMPT else None,
    })


@require_safe
def register_item_text(request: HttpRequest, pk: int) -> HttpResponse:
    """The plain-text version of an item (screen readers, audio, SMS; Perki 1/2021 arts. 47–48)."""
    item = selectors.public_item(pk)
    if item is None:
        raise Http404
    response = render(request, "portal/register_item.txt", {"item": item}, content_type="text/plain; charset=utf-8")
    return response


@require_safe
def test_decree(request: HttpRequest, pk: int) -> HttpResponse:
    """The PDF decree of a consequence test of a published register item."""
    test = selectors.public_test(pk)
    if test is None:
        raise Http404
    response = HttpResponse(decree_pdf(test=test, lang=current_language()), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{test.number}.pdf"'
    return response
