"""Staff search over cases: it finds only what the officer is allowed to read (ADR 0016).

Officers read an anonymous case with identifying patterns (phones, e-mails, NIKs) and the citizen's name
masked (`balai.cases.visibility.redact_for_case`). Searching the raw text would let a search for the
reporter's name, or a piece of their phone number, point at the case the page keeps anonymous. So an
anonymous case is searched through `Case.search_text`, the same masking applied once at submission;
every other case through its title and description, which its officers read in full.

PostgreSQL: one `to_tsvector('simple', …)` expression over code and text, served by the GIN index
`office_case_search` (`balai/office/migrations/0004_case_search_redacted.py` creates it with exactly
`SEARCH_VECTOR_SQL`). SQLite: `icontains` over the same columns.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import translation

from balai.cases.models import Case, Confidentiality

MAX_TERM = 200
# Must stay identical to the index expression of balai/office/migrations/0004_case_search_redacted.py.
SEARCH_VECTOR_SQL = (
    "to_tsvector('simple'::regconfig, \"cases_case\".\"tracking_code\" || ' ' || CASE WHEN "
    "\"cases_case\".\"confidentiality\" = 'anonymous' THEN \"cases_case\".\"search_text\" ELSE "
    "\"cases_case\".\"title\" || ' ' || \"cases_case\".\"description\" END)"
)


def search_text_for(*, title: str, description: str, contact_name: str, confidentiality: str) -> str:
    """What the staff search reads instead of the raw text: only anonymous cases need one (else "").

    Masked exactly as `case_view` masks an anonymous case's title and description for officers; the
    markers are written in the default language, so the stored text does not depend on who submitted.
    """
    if confidentiality != Confidentiality.ANONYMOUS:
        return ""
    from balai.cases.visibility import redact_name, redact_text

    with translation.override(settings.LANGUAGE_CODE):
        parts = [redact_name(redact_text(text), contact_name) for text in (title, description) if text]
    return "\n".join(parts)


def search_cases(qs: QuerySet[Case], term: str) -> QuerySet[Case]:
    """Cases of `qs` whose tracking code is `term`, or whose readable text matches it."""
    from balai.cases.tracking import normalize_code
    from balai.cases.visibility import redact_text

    term = (term or "").strip()[:MAX_TERM]
    if not term:
        return qs
    code = normalize_code(term)
    by_code = Q(tracking_code=code) if code else Q(pk__in=[])
    anonymous = Q(confidentiality=Confidentiality.ANONYMOUS)
    if connection.vendor == "postgresql":
        # The SQL is a constant; the term is a bound parameter.
        text = Q(RawSQL(f"{SEARCH_VECTOR_SQL} @@ websearch_to_tsquery('simple'::regconfig, %s)",  # noqa: S611 # nosec B611 # constant SQL, term bound
                        (term,), output_field=BooleanField()))
    else:
        text = (Q(tracking_code__icontains=term) | (anonymous & Q(search_text__icontains=term))
                | (~anonymous & (Q(title__icontains=term) | Q(description__icontains=term))))
    if redact_text(term) != term:
        # The term itself is a phone number, e-mail or NIK: whatever the text says, it never points at an
        # anonymous case (a second lock behind the masked search text).
        text &= ~anonymous
    return qs.filter(by_code | text)
