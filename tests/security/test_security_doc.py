"""docs/security.md names the test behind every requirement and finding; a name that no longer exists would
make the page claim a proof nobody runs. A reference is `tests/…/file.py::test_name`, or `::test_name`
meaning the last file named before it on the same line."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_REFERENCE = re.compile(r"`(tests/[\w/]+\.py)(?:::(\w+))?`|`::(\w+)`")


def references(text: str) -> list[tuple[str, str]]:
    """(file, test name) of every reference in `text`; ("", name) for `::name` with no file before it."""
    found = []
    for line in text.splitlines():
        current = ""
        for match in _REFERENCE.finditer(line):
            if match.group(1):
                current = match.group(1)
                if match.group(2):
                    found.append((current, match.group(2)))
            else:
                found.append((current, match.group(3)))
    return found


def missing(text: str) -> list[str]:
    """The references of `text` that name no existing file or no test function in it."""
    problems = []
    for path, name in references(text):
        source = ROOT / path if path else None
        if source is None or not source.is_file():
            problems.append(f"{path or '?'}::{name} (no such file)")
        elif not re.search(rf"^\s*(?:async\s+)?def {name}\(", source.read_text(encoding="utf-8"), re.MULTILINE):
            problems.append(f"{path}::{name} (no such test)")
    return problems


def test_every_test_named_in_the_security_page_exists():
    text = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    assert len(references(text)) > 100  # the page is read, not skipped
    assert missing(text) == []


def test_a_stale_reference_is_caught():
    line = "| x | `tests/security/test_lockout.py::test_the_lock_key_is_the_account_whatever_the_spelling`, `::test_gone` |"
    assert missing(line) == ["tests/security/test_lockout.py::test_gone (no such test)"]
    assert missing("`tests/security/test_nowhere.py::test_x`") == ["tests/security/test_nowhere.py::test_x (no such file)"]
