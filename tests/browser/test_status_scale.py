"""/status/ with 500 applications in Chromium: within the page budget (what travels, everything the page
loads), axe-core clean, and usable without JavaScript: the summary, an agency's view and the next page are
plain links. Both languages."""

from __future__ import annotations

import pytest

from tests.browser.pages import MAX_BYTES, MAX_REQUESTS
from tests.ict.status_world import build_board

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def board(transactional_db):
    from balai.ict.services import forget_status_board

    forget_status_board()  # the cache table outlives the flush between browser tests
    yield build_board(apps=500, agencies=17)
    forget_status_board()


@pytest.mark.parametrize("prefix", ["", "/en"])
@pytest.mark.parametrize("query", ["", "?instansi=dinas-03", "?keadaan=up&halaman=5"])
def test_500_applications_within_budget_and_accessible(board, live_server, page, page_weight, axe_check, prefix,
                                                        query):
    weight = page_weight(page, f"{live_server.url}{prefix}/status/{query}")
    assert weight.status == 200, weight.summary()
    assert weight.transferred <= MAX_BYTES and weight.requests <= MAX_REQUESTS, weight.summary()
    assert not weight.third_party and not weight.fonts, weight.summary()
    assert page.locator("h1").count() == 1
    axe_check(page)


def test_agency_view_and_paging_without_javascript(board, live_server, page_nojs):
    page_nojs.goto(f"{live_server.url}/status/")
    with page_nojs.expect_navigation():
        page_nojs.get_by_role("link", name="Dinas 03", exact=True).click()
    rows = page_nojs.locator("#aplikasi ~ .table-wrap tbody th[scope=row]")
    assert sorted(rows.all_inner_texts()) == sorted(board["dinas-03"])  # 30 applications: one page
    page_nojs.goto(f"{live_server.url}/status/")
    with page_nojs.expect_navigation():
        page_nojs.locator("a[rel=next]").click()
    assert "halaman=2" in page_nojs.url and rows.count() == 50
