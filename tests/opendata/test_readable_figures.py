"""Figures people can read: ranked by on-time rate and IKM (volume shown, not ranked), numbers in the
reader's locale, a period on every page, quick SMS ratings counted in the IKM with the method stated."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from balai.opendata.periods import ALL, parse_period
from balai.survey.ikm import ikm_from_sums

pytestmark = pytest.mark.django_db

PAGES = ("/kinerja/", "/kinerja/instansi/dinkes/", "/kinerja/peringkat/")


def test_ranking_is_by_on_time_rate_and_ikm_never_by_volume(client, od_world):
    html = client.get("/en/kinerja/peringkat/").content.decode()
    assert "Sorted by: Closed within the deadline (%)" in html
    assert "?urut=received" not in html and "?urut=ikm_converted" in html
    volume = client.get("/en/kinerja/peringkat/?urut=received").content.decode()
    assert 'class="notice"' in volume and "shown, not ranked" in volume
    overview = client.get("/en/kinerja/").content.decode()
    assert "Agencies with the most cases" not in overview and "on time" in overview


@pytest.mark.parametrize(("raw", "key", "start", "end"), [
    ("2026", "2026", date(2026, 1, 1), date(2026, 12, 31)),
    ("2026-K3", "2026-K3", date(2026, 7, 1), date(2026, 9, 30)),
    ("2026-q1", "2026-K1", date(2026, 1, 1), date(2026, 3, 31)),
    ("2026-2", "2026-02", date(2026, 2, 1), date(2026, 2, 28)),
])
def test_periods_parse(raw, key, start, end):
    period = parse_period(raw)
    assert (period.key, period.start, period.end) == (key, start, end)


@pytest.mark.parametrize("raw", ["2026-13", "abc", "1999", "2026-K5", "<script>"])
def test_unknown_periods_are_refused(raw):
    assert parse_period(raw) is None
    assert parse_period("") is ALL


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_the_period_menu_and_uses_it(client, od_world, path):
    this_month = timezone.localdate().strftime("%Y-%m")
    html = client.get(path).content.decode()
    assert 'name="periode"' in html and f'value="{this_month}"' in html and "Kuartal" in html
    chosen = client.get(f"{path}?periode={this_month}").content.decode()
    assert f'value="{this_month}" selected' in chosen
    empty = client.get(f"/en{path}?periode=2001").content.decode()
    assert "Every figure on this page is for: 2001" in empty
    bad = client.get(f"{path}?periode=<script>")
    assert bad.status_code == 200 and "<script>" not in bad.content.decode()


def test_overview_in_a_year_without_data_shows_no_cases(client, od_world):
    html = client.get("/en/kinerja/?periode=2001").content.decode()
    assert "Cases received</dt><dd>0<" in html or "Cases received</dt><dd>–<" in html


def test_numbers_follow_the_locale_in_gap_sentences():
    from decimal import Decimal

    from django.utils import translation

    from balai.transparency.selectors import GapRow, describe_gap

    row = GapRow(value="x", label="Mahakam Ulu", figures=None, suppressed=False, gap={"median_days": Decimal("1.5")})
    with translation.override("id"):
        assert "1,5" in describe_gap(row)
    with translation.override("en"):
        assert "1.5" in describe_gap(row)


def test_quick_ratings_count_in_the_ikm_and_the_method_is_stated(client, od_world):
    sums = dict.fromkeys(("persyaratan",), 0)
    plain = ikm_from_sums(sums=sums, counts={}, respondents=0, quick_sum=8, quick_count=2)
    counted = ikm_from_sums(sums=sums, counts={}, respondents=0, quick_sum=8, quick_count=2, include_quick=True)
    assert plain.converted is None and counted.converted == 100 and counted.respondents == 2
    html = client.get("/en/kinerja/").content.decode()
    assert "it is counted as that score on each of the nine elements" in html
