"""Test data of the PPID app."""

from __future__ import annotations

from datetime import date
from typing import Any

from balai.ppid.services import consequence_test_create, item_propose, item_review


def privacy_test(agency: Any, *, number: str = "", until: date = date(2030, 1, 1), item: Any = None,
                 exemption: str = "17h", decided: date = date(2026, 1, 5)) -> Any:
    """A consequence test of `agency` exempting personal data (art. 17(h)), made by the system."""
    return consequence_test_create(actor=None, agency=agency, item=item, number=number, values={
        "document": "Daftar penerima bantuan dengan NIK", "excluded_part": "NIK dan alamat penerima",
        "exemption": exemption, "law": "UU 14/2008 pasal 17 huruf h; UU 27/2022",
        "harm": "Membuka data pribadi penerima", "public_interest": "Jumlah penerima tetap dibuka",
        "decision": "partial", "decided_at": decided, "exempt_until": until, "occasion": "before"})


ITEM = {"title": "Laporan keuangan", "summary": "Laporan realisasi anggaran", "holder": "Sekretariat",
        "responsible": "Sekretaris", "made_when": date(2026, 1, 10), "made_where": "Samarinda", "format": "soft",
        "retention": "10 tahun (JRA)", "category": "berkala", "year": 2026,
        "document_url": "https://example.org/lk.pdf"}


def approved_item(agency: Any, *, at: Any = None, **values: Any) -> Any:
    item = item_propose(actor=None, agency=agency, values={**ITEM, **values}, at=at)
    return item_review(actor=None, item=item, approve=True, at=at)
