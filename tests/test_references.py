"""Every reference in the code, the templates, the tests and docs/ can be followed inside the repository: the
legal facts are cited as `docs/regulations.md §N`, structure as `docs/architecture.md` or an ADR
(`docs/adr/`). Guides kept outside the repository (REGULATIONS.md, DESIGN.md, STYLE.md, CONTRACTS.md,
STACK.md) and issue numbers of the tracker mean nothing to a newcomer, so none may be cited."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCANNED = ("balai", "tests", "templates", "docs")
SUFFIXES = {".py", ".html", ".txt", ".po", ".md", ".json", ".xml"}
FORBIDDEN = re.compile(
    r"\b(?:REGULATIONS|DESIGN|STYLE|CONTRACTS|STACK)\.md\b"  # guides outside the repository
    # "issue 4", "Issues 3 and 4": our tracker's numbers (another project's "issue #193" is fine)
    r"|\b(?i:issues?)\s+\d+"
)
SECTION = re.compile(r"docs/regulations\.md §(\d+)")
ADR = re.compile(r"\bADR[ -]?(\d{4})\b")
DOC_PATH = re.compile(r"\bdocs/[\w./-]*\w")
ARCHITECTURE_SECTION = re.compile(r"docs/architecture\.md, (?:the )?([a-z][a-z ]*[a-z])")


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


def test_every_cited_adr_document_and_architecture_section_exists():
    adrs = {p.name[:4] for p in (ROOT / "docs" / "adr").glob("[0-9][0-9][0-9][0-9]-*.md")}
    headings = {h.strip().lower().removeprefix("the ") for h in re.findall(r"^## (.+)$", (ROOT / "docs" / "architecture.md").read_text(
        encoding="utf-8"), re.M)}
    missing = []
    for path in _files():
        for n, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            where = f"{path.relative_to(ROOT)}:{n}"
            missing += [f"{where}: ADR {number}" for number in ADR.findall(line) if number not in adrs]
            missing += [f"{where}: {doc}" for doc in DOC_PATH.findall(line)
                        if not (ROOT / doc).exists() and path != Path(__file__)]
            # "docs/architecture.md, visibility" names the section "Visibility" (the words that follow may go on)
            missing += [f"{where}: architecture § {name}" for name in ARCHITECTURE_SECTION.findall(line)
                        if not any(name == h or h.startswith(name) or name.startswith(h) for h in headings)]
    assert not missing, "cited but not in docs/:\n" + "\n".join(missing)


@pytest.mark.parametrize(("text", "hits"), [
    ("see REGULATIONS.md §4", 1), ("(DESIGN.md, issue 3 item 7)", 2), ("STACK.md gotcha 4", 1),
    ("issues 3 and 4", 1), ("Issue 13 §6", 1), ("WeasyPrint issue #193", 0), ("docs/regulations.md §4", 0),
    ("tissue 5", 0),
])
def test_the_scan(text, hits):
    assert len(references_in(text)) == hits
