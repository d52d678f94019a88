from __future__ import annotations

import pytest

from balai.notify.gsm import fits_one_segment, gsm_friendly, is_gsm7, sms_segments


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ("gsm7", 0, 1)),
        ("a" * 160, ("gsm7", 160, 1)),
        ("a" * 161, ("gsm7", 161, 2)),
        ("a" * 306, ("gsm7", 306, 2)),
        ("a" * 307, ("gsm7", 307, 3)),
        ("€" * 80, ("gsm7", 160, 1)),  # extension characters take two units
        ("€" + "a" * 159, ("gsm7", 161, 2)),
        ("[]{}~^\\|", ("gsm7", 16, 1)),
        ("Café é à ñ ü Ø Δ", ("gsm7", 16, 1)),  # these accents are in the GSM-7 basic table
        ("x" * 70 + "✓", ("ucs2", 71, 2)),
        ("ô" * 70, ("ucs2", 70, 1)),
        ("ô" * 71, ("ucs2", 71, 2)),
        ("ô" * 134, ("ucs2", 134, 2)),
        ("ô" * 135, ("ucs2", 135, 3)),
        ("Terima kasih 🙏", ("ucs2", 15, 1)),  # the emoji is a surrogate pair: 2 UTF-16 units
        ("🙏" * 35, ("ucs2", 70, 1)),
        ("🙏" * 36, ("ucs2", 72, 2)),
        ("مرحبا", ("ucs2", 5, 1)),
    ],
)
def test_sms_segments(text, expected):
    assert sms_segments(text) == expected


def test_indonesian_text_with_curly_quotes_falls_back_to_ucs2():
    text = "Laporan \u201cjalan rusak\u201d sudah diterima"
    assert not is_gsm7(text)
    assert sms_segments(text)[0] == "ucs2"
    friendly = gsm_friendly(text)
    assert friendly == 'Laporan "jalan rusak" sudah diterima'
    assert sms_segments(friendly) == ("gsm7", len(friendly), 1)


def test_accented_letter_outside_gsm_forces_ucs2():
    # "ê" is not in GSM 03.38 (only é, è are): a single one makes the whole SMS UCS-2.
    assert sms_segments("Kepala dinas: Pak Hélène ê")[0] == "ucs2"


def test_fits_one_segment_requires_gsm7():
    assert fits_one_segment("a" * 160)
    assert not fits_one_segment("a" * 161)
    assert not fits_one_segment("ô")  # UCS-2 is not "one GSM-7 segment"
