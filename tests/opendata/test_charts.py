"""SVG charts: accessible (role, title, desc), no inline style, and the table holds the chart's numbers."""

from __future__ import annotations

import re
from decimal import Decimal
from xml.etree import ElementTree

import pytest

from balai.opendata.charts import bar_chart, hbar_chart, line_chart

NS = "{http://www.w3.org/2000/svg}"
ITEMS = [("Jan 26", 12), ("Feb 26", None), ("Mar 26", 7)]


@pytest.mark.parametrize("make", [bar_chart, line_chart, hbar_chart])
def test_chart_is_accessible_svg(make):
    chart = make(chart_id="c1", title="Judul & <uji>", desc="Deskripsi", items=ITEMS)
    root = ElementTree.fromstring(str(chart))  # well-formed, escaped
    assert root.get("role") == "img" and root.get("aria-labelledby") == "c1-t c1-d"
    assert root.find(f"{NS}title").text == "Judul & <uji>" and root.find(f"{NS}title").get("id") == "c1-t"
    assert root.find(f"{NS}desc").text == "Deskripsi" and root.find(f"{NS}desc").get("id") == "c1-d"
    assert "style=" not in str(chart) and "<script" not in str(chart)
    assert chart.table == [("Jan 26", "12"), ("Feb 26", "–"), ("Mar 26", "7")]
    texts = [t.text for t in root.iter(f"{NS}text")]
    for _label, value in chart.table:  # every number of the table is written in the chart
        assert value in texts


def test_bar_heights_are_proportional():
    chart = bar_chart(chart_id="b", title="t", desc="d", items=[("a", 10), ("b", 5)])
    heights = [int(h) for h in re.findall(r'<rect [^>]*height="(\d+)"', str(chart))]
    assert heights[0] == 2 * heights[1]


def test_hbar_draws_negative_gaps_left_of_zero():
    chart = hbar_chart(chart_id="g", title="t", desc="d", items=[("Mahakam Ulu", Decimal("2.3")), ("Kota", -1)])
    rects = re.findall(r'<rect x="(\d+)" y="\d+" width="(\d+)"', str(chart))
    zero = int(re.search(r'<line x1="(\d+)"', str(chart)).group(1))
    (x1, _w1), (x2, w2) = rects
    assert int(x1) == zero and int(x2) + int(w2) == zero


def test_page_table_matches_chart(client, db):
    from tests.opendata.conftest import build_opendata_world

    build_opendata_world()
    html = client.get("/en/kinerja/").content.decode()
    svg = re.search(r'<svg[^>]*aria-labelledby="gov-received-t gov-received-d".*?</svg>', html, re.S).group()
    table = html[html.index("</svg>", html.index(svg[:60])):]
    table = table[: table.index("</table>")]
    cells = re.findall(r'<tr><th scope="row">([^<]*)</th><td>([^<]*)</td></tr>', table)
    assert cells and all(f">{value}<" in svg and f">{label}<" in svg for label, value in cells)
