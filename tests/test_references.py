"""Every reference in the code, the templates and the tests can be followed inside the repository: the
legal facts are cited as `docs/regulations.md §N`, structure as `docs/architecture.md` or an ADR
(`docs/adr/`). Guides kept outside the repository (REGULATIONS.md, DESIGN.md, STYLE.md, CONTRACTS.md,
STACK.md) and issue numbers of the tracker mean nothing to a newcomer, so none may be cited."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCANNED = ("balai", "tests", "templates")
SUFFIXES = {".py", ".html", ".txt", ".po", ".md", ".json", ".xml"}
FORBIDDEN = re.compile(
    r"\b(?:REGULATIONS|DESIGN|STYLE|CONTRACTS|STACK)\.md\b"  # guides outside the repository
    r"|\bissues?\s+\d+"  # "issue 4", "issues 3 and 4": our tracker's numbers (another project's "issue #193" is fine)
)
SECTION = re.compile(r"docs/regulations\.md §(\d+)")


def _files() -> list[Path]:
    out = []
    for top in SCANNED:
        base = ROOT / top
        if base.is_dir():
            out += [p for p in base.rglob("*") if p.suffix in SUFFIXES and p.is_file()
                    and "__pycache__" not in p.parts and p != Path(__file__)]
    return sorted(out)


def references_in(text: str) -> list[str]:
    return [m.group(0) for m in FORBIDDEN.finditer(text)]


def test_no_reference_to_a_guide_outside_the_repository_or_to_an_issue_number():
    found = []
    for path in _files():
        for n, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            found += [f"{path.relative_to(ROOT)}:{n}: {ref}" for ref in references_in(line)]
    assert not found, "references nobody can follow:\n" + "\n".join(found)


def test_every_cited_section_of_the_regulations_exists():
    sections = set(re.findall(r"^## (\d+)\.", (ROOT / "docs" / "regulations.md").read_text(encoding="utf-8"), re.M))
    missing = []
    for path in _files():
        for n, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            missing += [f"{path.relative_to(ROOT)}:{n}: §{s}" for s in SECTION.findall(line) if s not in sections]
    assert not missing, "docs/regulations.md has no such section:\n" + "\n".join(missing)


@pytest.mark.parametrize(("text", "hits"), [
    ("see REGULATIONS.md §4", 1), ("(DESIGN.md, issue 3 item 7)", 2), ("STACK.md gotcha 4", 1),
    ("issues 3 and 4", 1), ("WeasyPrint issue #193", 0), ("docs/regulations.md §4", 0), ("tissue 5", 0),
])
def test_the_scan(text, hits):
    assert len(references_in(text)) == hits
