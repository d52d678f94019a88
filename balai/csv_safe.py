"""CSV that a spreadsheet opens as data, never as formulas (CSV/formula injection, OWASP).

Spreadsheets (Excel, LibreOffice, Google Sheets) read a cell that starts with `=`, `+`, `-` or `@` as a
formula, and some also one that starts with a tab or a carriage return; a citizen's complaint titled
`=HYPERLINK("http://…","klik")` would become a live link, or worse, in the reader's spreadsheet. Every CSV
the site writes goes through `writer()` here (tests/security/test_csv_injection.py checks that no other
module builds a csv writer), which prefixes such a cell with an apostrophe: spreadsheets show the text
as it was typed, and a program reading the file sees one extra leading character.

Plain numbers ("-0.50", "+6281234567890") are left as they are: a spreadsheet reads them as numbers, not
formulas, and open-data consumers need negative coordinates to stay numbers.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import Any, Protocol

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")


def safe_cell(value: str) -> str:
    """`value` as a cell no spreadsheet will evaluate."""
    if value and value.startswith(TRIGGERS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


class _Writable(Protocol):
    def write(self, value: str, /) -> Any: ...


class SafeWriter:
    """A `csv.writer` whose text cells pass through `safe_cell`. Other values are written as the csv
    module writes them (None empty, numbers as numbers): their text is never a formula."""

    def __init__(self, stream: _Writable, **options: Any) -> None:
        self._writer = csv.writer(stream, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([safe_cell(v) if isinstance(v, str) else v for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(stream: _Writable, **options: Any) -> SafeWriter:
    """The only way Balai writes CSV: `csv.writer(stream, **options)` with formula cells neutralised."""
    return SafeWriter(stream, **options)
