"""Demo step: the PPID's register of public information, consequence tests, archive, objection, dispute and
last year's annual report (docs/regulations.md §11). Invented demo content."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from balai.ppid.models import ConsequenceTest
from balai.ppid.services import consequence_test_create


def privacy_test_for(agency: Any) -> ConsequenceTest:
    """The demo consequence test on personal data (art. 17(h)) that the demo refusals of `agency` cite."""
    number = f"UK-{agency.slug.upper()}-DEMO-17H"
    test = ConsequenceTest.objects.filter(number=number).first()
    if test is not None:
        return test
    return consequence_test_create(actor=None, agency=agency, number=number, values={
        "document": "Data pribadi pemohon dan penerima layanan (NIK, alamat, nomor telepon)",
        "excluded_part": "NIK, alamat rumah, nomor telepon dan riwayat kesehatan perorangan",
        "exemption": "17h", "law": "UU 14/2008 pasal 17 huruf h; UU 27/2022 tentang Pelindungan Data Pribadi",
        "harm": "Membuka data ini mengungkap rahasia pribadi dan dapat disalahgunakan untuk penipuan.",
        "public_interest": "Kepentingan publik terpenuhi oleh data agregat yang tetap dibuka; manfaat membuka "
                           "data perorangan tidak sebanding dengan kerugiannya.",
        "decision": "partial", "decided_at": date(2026, 1, 5), "exempt_until": date(2031, 1, 5),
        "occasion": "before"})


def load(*, log: Callable[[str], None]) -> None:
    log("  PPID: register, tests (see balai/ops/demo/ppid.py)")
