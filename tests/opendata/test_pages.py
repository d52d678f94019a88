"""The public performance pages: they render from the roll-ups, in both languages, with charts and tables."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_pages_render(client, od_world, prefix):
    service = od_world["service"].code
    for path in ("/kinerja/", "/kinerja/instansi/dinkes/", f"/kinerja/layanan/{service}/", "/kinerja/peringkat/"):
        response = client.get(prefix + path)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert html.count("<h1") == 1
        assert 'role="img"' in html and "<title id=" in html and "<desc id=" in html
        assert "style=" not in html  # CSP: no inline style attributes


def test_overview_shows_figures_and_gap(client, od_world):
    html = client.get("/en/kinerja/").content.decode()
    # 14 complaints + 1 service request received in the province (all in the current month)
    assert re.search(r"Cases received</dt><dd>15<", html)
    # Samarinda has 14 complaints: shown; the service request without a region is alone: suppressed, explained
    assert re.search(r"Cities \(kota\)</th><td>14<", html)
    assert "Region not given</th><td colspan=\"4\">fewer than 10 cases, not shown" in html
    assert "Groups with fewer than 10 cases are not shown" in html


def test_ranking_sorts_by_each_figure_and_refuses_unknown(client, od_world):
    from balai.opendata.kinerja import RANKED_BY

    for key in RANKED_BY:
        response = client.get(f"/kinerja/peringkat/?urut={key}")
        assert response.status_code == 200
        assert 'aria-current="true"' in response.content.decode()
    response = client.get("/kinerja/peringkat/?urut=<script>")
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()
    assert 'class="notice"' in response.content.decode()


def test_unknown_agency_and_service_are_404(client, od_world):
    assert client.get("/kinerja/instansi/tidak-ada/").status_code == 404
    assert client.get("/kinerja/layanan/tidak-ada/").status_code == 404
