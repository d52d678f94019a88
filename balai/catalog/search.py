"""Full-text search over the published service catalog.

PostgreSQL: `SearchVector` with the `indonesian` text-search configuration (the `english` one for
English texts) ranked by `SearchRank`. SQLite: a case-insensitive match of any word, ranked by the number
of words matched. On both, words that are not in the catalog's vocabulary are corrected to the nearest
known word with difflib ("kelahran" → "kelahiran", "ijin" → "izin"): cheap typo tolerance that needs no
database extension.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.core.cache import cache
from django.db import connection
from django.db.models import Case, Expression, IntegerField, Max, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Cast

from balai.catalog.models import Service
from balai.catalog.selectors import portal_services

WORD = re.compile(r"[^\W_]+", re.UNICODE)
MIN_WORD = 2
FUZZY_CUTOFF = 0.74
MAX_WORDS = 8
TEXT_FIELDS = ("name_id", "name_en", "summary_id", "summary_en", "description_id", "description_en")


def words_of(text: str) -> list[str]:
    """Lower-case words of at least two letters, at most MAX_WORDS (a search box is not an essay)."""
    return [w for w in WORD.findall((text or "").lower()) if len(w) >= MIN_WORD][:MAX_WORDS]


def vocabulary() -> frozenset[str]:
    """Every word of the published services' names and summaries, cached until the catalog changes."""
    qs = portal_services()
    stamp = qs.aggregate(last=Max("updated_at"))["last"]
    key = f"catalog-vocabulary:{qs.count()}:{stamp.timestamp() if stamp else 0}"
    words = cache.get(key)
    if words is None:
        words = set()
        for row in qs.values_list("name_id", "name_en", "summary_id", "summary_en"):
            for text in row:
                words.update(words_of(text))
        words = frozenset(words)
        cache.set(key, words, 3600)
    return words


@dataclass(frozen=True)
class ParsedQuery:
    words: tuple[str, ...]
    corrected: tuple[str, ...]  # same length; a typo replaced by the nearest catalog word

    @property
    def was_corrected(self) -> bool:
        return self.words != self.corrected

    @property
    def suggestion(self) -> str:
        return " ".join(self.corrected)

    @property
    def terms(self) -> tuple[str, ...]:
        """What to search for: the words as typed plus their corrections."""
        return tuple(dict.fromkeys(self.words + self.corrected))


def parse_query(query: str) -> ParsedQuery:
    words = tuple(words_of(query))
    if not words:
        return ParsedQuery((), ())
    vocab = vocabulary()
    corrected = []
    for word in words:
        if word in vocab or len(word) < 4 or word.isdigit():
            corrected.append(word)
            continue
        close = difflib.get_close_matches(word, vocab, n=1, cutoff=FUZZY_CUTOFF)
        corrected.append(close[0] if close else word)
    return ParsedQuery(words, tuple(corrected))


def _sqlite_search(qs: QuerySet[Service], terms: tuple[str, ...]) -> QuerySet[Service]:
    fields = (*TEXT_FIELDS, "requirements_text")
    qs = qs.annotate(requirements_text=Cast("requirements", TextField()))
    any_word = Q()
    score: Expression = Value(0, output_field=IntegerField())
    for term in terms:
        term_q = Q()
        for field in fields:
            term_q |= Q(**{f"{field}__icontains": term})
        any_word |= term_q
        # Names count more than descriptions: a match in the name adds 3, elsewhere 1.
        in_name = Q(name_id__icontains=term) | Q(name_en__icontains=term)
        score = score + Case(When(in_name, then=Value(3)), When(term_q, then=Value(1)), default=Value(0))
    return qs.filter(any_word).annotate(score=score).order_by("-score", "-popularity", "name_id")


def _postgres_search(qs: QuerySet[Service], terms: tuple[str, ...], lang: str) -> QuerySet[Service]:
    other = "en" if lang == "id" else "id"
    config = {"id": "indonesian", "en": "english"}
    vector = (
        SearchVector(f"name_{lang}", weight="A", config=config[lang])
        + SearchVector(f"name_{other}", weight="B", config=config[other])
        + SearchVector(f"summary_{lang}", weight="B", config=config[lang])
        + SearchVector(f"description_{lang}", weight="C", config=config[lang])
        + SearchVector(Cast("requirements", TextField()), weight="D", config="simple")
    )
    # Prefix match on every term (people type the start of a word), any term may match.
    raw = " | ".join(f"{t}:*" for t in terms)
    query = SearchQuery(raw, search_type="raw", config=config[lang]) | SearchQuery(
        raw, search_type="raw", config="simple"
    )
    return (
        qs.annotate(rank=SearchRank(vector, query))
        .filter(rank__gt=0)
        .order_by("-rank", "-popularity", "name_id")
    )


def search_services(query: str, *, lang: str = "id", queryset: QuerySet[Service] | None = None) -> QuerySet[Service]:
    """Published services matching `query` (names, descriptions, requirements), best match first.

    An empty query returns the queryset unfiltered (most used first).
    """
    qs = queryset if queryset is not None else portal_services()
    parsed = parse_query(query)
    if not parsed.words:
        return qs.order_by("-popularity", "name_id")
    if connection.vendor == "postgresql":
        return _postgres_search(qs, parsed.terms, lang)
    return _sqlite_search(qs, parsed.terms)
