"""The keyword grammar against a corpus of real-looking messages (tests/channels/corpus.json)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from balai.channels import grammar
from balai.channels.grammar import as_dict, match_keyword, parse

CORPUS = json.loads((Path(__file__).parent / "corpus.json").read_text(encoding="utf-8"))
MESSAGES = CORPUS["messages"]


def test_corpus_is_big_and_varied():
    assert len(MESSAGES) >= 200
    texts = [m["text"] for m in MESSAGES]
    assert any(not t.strip() for t in texts)  # empty
    assert any(len(t) > 400 for t in texts)  # long
    assert any(any(ord(ch) > 0xFFFF for ch in t) for t in texts)  # emoji
    assert any(any("\u4e00" <= ch <= "\u9fff" for ch in t) for t in texts)  # CJK
    assert {m["expect"]["language"] for m in MESSAGES} == {"id", "en"}
    assert {m["expect"]["type"] for m in MESSAGES} == {"report", "status", "answer", "rate", "help", "invalid",
                                                       "unknown", "menu", "choice", "support", "propose",
                                                       "vote"}
    assert sum(m["expect"]["language"] == "en" for m in MESSAGES) >= 50


@pytest.mark.parametrize("item", MESSAGES, ids=[f"{i:02d}-{m['text'][:30]}" for i, m in enumerate(MESSAGES)])
def test_corpus_message(item):
    assert as_dict(parse(item["text"])) == item["expect"]


@pytest.mark.parametrize(("word", "expected"), [
    ("lapor", ("report", "id")), ("LAPR", ("report", "id")), ("lapoor", ("report", "id")),
    ("LAPOR", ("report", "id")), ("REPROT", ("report", "en")), ("statsu", ("status", "en")),
    ("JAWB", ("answer", "id")), ("NILA", ("rate", "id")), ("BATNUAN", ("help", "id")),
    ("CEK", ("status", "id")), ("cek", ("status", "id")),
])
def test_keywords_and_one_slip(word, expected):
    assert match_keyword(word) == expected


@pytest.mark.parametrize("word", ["CK", "CE", "HEL", "RAT", "LAP", "LAPORRRR", "JAWABAN", "HALO", "XYZZY", ""])
def test_no_match_for_short_or_distant_words(word):
    assert match_keyword(word) is None


def test_short_keywords_need_exact_spelling():
    assert parse("HLEP").__class__ is grammar.Unknown
    assert parse("CKE KT-4K9A-PK8J").__class__ is grammar.Unknown


def test_parse_never_raises_on_odd_input():
    for text in [None, "\x00\x01", "LAPOR \u200b", "CEK " + "X" * 10000, "\n\n\nLAPOR\nJALAN\nlubang", "LAPOR\tJALAN\tx"]:
        assert isinstance(parse(text), grammar.Command)


def test_line_breaks_are_spaces_between_arguments():
    cmd = parse("LAPOR\nJALAN\nlubang besar\ndi km 5")
    assert cmd == grammar.Report(language="id", category="jalan", text="lubang besar\ndi km 5")


def test_answer_keeps_the_citizens_text_after_a_spaced_code():
    cmd = parse("JAWAB KT 4K9A PK8J  di depan   masjid")
    assert cmd == grammar.Answer(language="id", code="KT-4K9A-PK8J", text="di depan   masjid")


@pytest.mark.parametrize(("text", "language"), [
    ("hello the road is broken please", "en"), ("tolong jalan rusak di depan rumah saya", "id"), ("", "id"),
    ("ok", "id"),
])
def test_guess_language(text, language):
    assert grammar.guess_language(text) == language
