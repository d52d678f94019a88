"""Every SMS reply fits one GSM-7 segment in both languages with realistic values."""

from __future__ import annotations

import pytest

from balai.channels import texts
from balai.notify.gsm import fits_one_segment, sms_segments

ONE_SEGMENT = [k for k in texts.SMS if k != "status_answer"]


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("key", ONE_SEGMENT)
def test_reply_fits_one_segment(key, language):
    text = texts.sms_text(key, language, **texts.SAMPLE[language])
    assert "{" not in text.replace("<", ""), text  # every placeholder filled
    assert fits_one_segment(text), (len(text), text)


@pytest.mark.parametrize("language", ["id", "en"])
def test_answer_reply_is_at_most_three_segments_even_for_a_long_answer(language):
    values = {**texts.SAMPLE[language], "answer": "Jawaban yang sangat panjang sekali. " * 40}
    encoding, _units, segments = sms_segments(texts.sms_text("status_answer", language, **values))
    assert encoding == "gsm7" and segments <= 3


def test_every_reply_exists_in_both_languages():
    assert all(set(v) == {"id", "en"} for v in texts.SMS.values())
    assert all(set(v) == {"id", "en"} for v in texts.EMAIL.values())


def test_long_category_lists_are_cut_to_fit():
    many = [f"KATEGORI{i}" for i in range(40)]
    text = texts.sms_text("categories", "id", categories=texts.fit_list(many, texts.LIMITS["categories"]),
                          example="KATEGORI0")
    assert fits_one_segment(text) and text.count("...") == 1


def test_typographic_characters_do_not_push_a_reply_into_ucs2():
    text = texts.sms_text("report_failed", "id", reason="Nomor “salah” – periksa…")
    assert fits_one_segment(text)
