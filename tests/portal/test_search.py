"""Catalog search: full-text on PostgreSQL, word match on SQLite, typo tolerance on both."""

from __future__ import annotations

import pytest
from django.db import connection

from balai.catalog.search import parse_query, search_services

pytestmark = pytest.mark.django_db


def codes(qs) -> list[str]:
    return [s.code for s in qs]


def test_empty_query_lists_published_by_popularity(catalog):
    assert codes(search_services("", lang="id")) == ["izin-usaha-mikro", "akta-kelahiran", "kartu-identitas-anak"]


@pytest.mark.parametrize(("query", "lang", "first"), [
    ("akta kelahiran", "id", "akta-kelahiran"),
    ("birth certificate", "en", "akta-kelahiran"),
    ("usaha", "id", "izin-usaha-mikro"),
    ("surat keterangan lahir", "id", "akta-kelahiran"),  # in the requirements only
])
def test_search_finds_best_match_first(catalog, query, lang, first):
    assert codes(search_services(query, lang=lang))[0] == first


@pytest.mark.parametrize(("query", "expected", "corrected"), [
    ("akta kelahran", "akta-kelahiran", "akta kelahiran"),
    ("ijin usaha", "izin-usaha-mikro", "izin usaha"),
])
def test_typos_are_tolerated(catalog, query, expected, corrected):
    parsed = parse_query(query)
    assert parsed.was_corrected and parsed.suggestion == corrected
    assert codes(search_services(query, lang="id"))[0] == expected


def test_unpublished_and_unrelated_are_not_found(catalog):
    assert "layanan-draf" not in codes(search_services("layanan draf", lang="id"))
    assert codes(search_services("zzzzqqq", lang="id")) == []


def test_search_ignores_punctuation_and_query_syntax(catalog):
    assert codes(search_services("akta & | ! ' :* (kelahiran)", lang="id"))[0] == "akta-kelahiran"


def test_sqlite_fallback_matches_any_word(catalog):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite fallback")
    assert set(codes(search_services("akta usaha", lang="id"))) == {"akta-kelahiran", "izin-usaha-mikro",
                                                                     "kartu-identitas-anak"}


@pytest.mark.postgres
def test_postgres_uses_indonesian_stemming(catalog):
    # "kelahiran" and "lahir" share the stem under the indonesian configuration.
    assert "akta-kelahiran" in codes(search_services("lahir", lang="id"))


def test_search_results_page_shows_suggestion(client, catalog):
    html = client.get("/layanan/?q=akta+kelahran").content.decode()
    assert "akta kelahiran" in html and "Akta kelahiran" in html
    assert 'value="akta kelahran"' in html
