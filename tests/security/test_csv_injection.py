"""No CSV the site writes carries a live spreadsheet formula (balai/csv_safe.py).

A public complaint titled `=HYPERLINK("http://x.invalid","klik")` came out of /data/kasus-publik.csv as
a formula, its description `=1+1` unquoted. Cells starting with =, +, -, @, tab or carriage return are
now prefixed with an apostrophe, in every CSV, because every CSV writer is `balai.csv_safe.writer`.
"""

from __future__ import annotations

import ast
import csv
import io
from pathlib import Path

import pytest

from balai.csv_safe import TRIGGERS, safe_cell, writer
from tests.portal.flows_b_data import act, build_world, submit

BALAI = Path(__file__).resolve().parents[2] / "balai"
FORMULA = '=HYPERLINK("http://x.invalid","klik")'


def _body(response) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode()


@pytest.mark.django_db
def test_open_data_csv_carries_no_formula(client):
    world = build_world()
    case = submit(world, "complaint", title=FORMULA, description="=1+1")
    act(world, case, "verify", role="verifier")
    for tab in ("\tcmd", "@SUM(A1)", "+1+1", "-2+3", "\r=1"):
        act(world, submit(world, "aspiration", title=f"Usul {len(tab)}", description=tab), "verify", role="verifier")
    from balai.opendata.datasets import DATASETS

    text = _body(client.get("/data/kasus-publik.csv"))
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    row = next(r for r in rows if r["id"] == str(case.pk))
    assert row["title"] == "'" + FORMULA and row["description"] == "'=1+1"
    for slug in DATASETS:
        for cells in csv.reader(io.StringIO(_body(client.get(f"/data/{slug}.csv")), newline="")):
            for cell in cells:
                assert not cell.startswith(TRIGGERS) or safe_cell(cell) == cell, (slug, cell)
    # numbers keep their sign: coordinates and other figures stay numbers for open-data users
    assert safe_cell("-0.50") == "-0.50" and safe_cell("+6281234567890") == "+6281234567890"


@pytest.mark.parametrize("value", ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1", "-", "=", FORMULA,
                                   "-cmd|' /C calc'!A0", "+62 812 (call me)"])
def test_formula_cells_are_prefixed(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["", "Jalan rusak", "12", "-0.50", "+62812", "3.5", "-7", "a=b", " =1",
                                   "'=already"])
def test_other_cells_are_unchanged(value):
    assert safe_cell(value) == value


def test_the_writer_defuses_every_cell():
    out = io.StringIO()
    writer(out, lineterminator="\n").writerows([["=1+1", None, 5, True, "-0.5"]])
    assert out.getvalue() == "'=1+1,,5,True,-0.5\n"


def _csv_writer_calls(path: Path) -> list[int]:
    """Lines of `path` that build a writer with the csv module (csv.writer / csv.DictWriter / writer imported
    from csv)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = {alias.asname or alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                and node.module == "csv" for alias in node.names if alias.name in ("writer", "DictWriter")}
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if (isinstance(func, ast.Attribute) and func.attr in ("writer", "DictWriter")
                and isinstance(func.value, ast.Name) and func.value.id == "csv"):
            lines.append(node.lineno)
        elif isinstance(func, ast.Name) and func.id in imported:
            lines.append(node.lineno)
    return lines


def test_every_csv_the_site_writes_goes_through_csv_safe():
    offenders = []
    for path in sorted(BALAI.rglob("*.py")):
        if path == BALAI / "csv_safe.py":
            continue
        offenders += [f"{path.relative_to(BALAI.parent)}:{line}" for line in _csv_writer_calls(path)]
    assert not offenders, "CSV written without balai.csv_safe.writer: " + ", ".join(offenders)
    assert _csv_writer_calls(BALAI / "csv_safe.py")  # the checker does see a writer where there is one
