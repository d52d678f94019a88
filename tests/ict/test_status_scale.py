"""/status/ with 500 applications: a summary first (incidents, maintenance, counts per state and per owner
agency), then a paged list; within the 30 KB page budget (uncompressed HTML here; the browser test
tests/browser/test_status_scale.py measures what travels, with axe-core), and every application reachable
by paging and through its agency's view. No JavaScript."""

from __future__ import annotations

import re
from html import unescape

import pytest

from tests.browser.pages import MAX_BYTES
from tests.ict.status_world import build_board

ROW = re.compile(r'<th scope="row">([^<]+)</th>')
NEXT = re.compile(r'<a href="\?([^"]+)" rel="next">')
AGENCY_LINK = re.compile(r'<a href="\?instansi=([a-z0-9-]+)"')

pytestmark = pytest.mark.django_db


@pytest.fixture
def board(fresh_status_board):
    return build_board(apps=500, agencies=17)


def _walk(client, url: str) -> list[str]:
    """Every application name on `url` and on the pages its "next page" links lead to."""
    names: list[str] = []
    for _ in range(100):
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert "<script" not in html and len(response.content) <= MAX_BYTES, (url, len(response.content))
        names += [unescape(n) for n in ROW.findall(html.split('id="aplikasi"', 1)[1])]
        found = NEXT.search(html)
        if found is None:
            return names
        url = url.split("?", 1)[0] + "?" + unescape(found.group(1))
    raise AssertionError("paging does not end")


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_500_applications_fit_the_page_budget_with_the_summary_first(client, ict, board, prefix):
    from balai.ict.services import notice_open

    notice_open(actor=ict.agent, kind="incident", title="SIPD tidak bisa diakses", body="Sedang diperiksa.")
    response = client.get(f"{prefix}/status/")
    html = response.content.decode()
    assert response.status_code == 200 and "<script" not in html
    assert len(response.content) <= MAX_BYTES, len(response.content)
    # the summary comes before the list: 20 down (every 25th), 50 slow (every 10th, 3 of them down), 433 up
    summary = html.split('id="aplikasi"', 1)[0]
    assert "SIPD tidak bisa diakses" in summary
    assert "?keadaan=down" in summary and "?keadaan=slow" in summary and "?keadaan=up" in summary
    assert len(set(AGENCY_LINK.findall(summary))) == 17
    first = ROW.findall(html.split('id="aplikasi"', 1)[1])
    assert len(first) == 50  # one page; the worst states first
    assert all(int(n.rsplit(" ", 1)[1]) % 25 == 0 for n in first[:20])


def test_every_application_is_reachable_by_paging(client, ict, board):
    names = _walk(client, "/status/")
    assert len(names) == 500 and set(names) == set().union(*board.values())


def test_every_application_is_reachable_through_its_agency(client, ict, board):
    html = client.get("/status/").content.decode()
    slugs = sorted(set(AGENCY_LINK.findall(html.split('id="aplikasi"', 1)[0])))
    assert slugs == sorted(board)
    for slug in slugs:
        assert set(_walk(client, f"/status/?instansi={slug}")) == board[slug], slug


def test_state_view_lists_exactly_the_applications_in_that_state(client, ict, board):
    down = _walk(client, "/status/?keadaan=down")
    assert sorted(down) == sorted(f"Aplikasi Layanan Daerah {n:03d}" for n in range(0, 500, 25))
    # an unknown agency or state shows everything rather than failing
    assert client.get("/status/?instansi=tidak-ada&keadaan=rusak").status_code == 200
