"""Reads of the PPID app (ADR 0030: faces call these, never a queryset of their own)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeVar

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Model, Q, QuerySet

from balai.agencies.models import Agency, Government
from balai.cases.models import Attachment, Case
from balai.memo import Memo
from balai.people.models import User
from balai.people.permissions import agencies_for, has_permission
from balai.ppid import rules
from balai.ppid.models import (
    AnnualReport,
    ArchiveDocument,
    ArchiveEntry,
    Category,
    ConsequenceTest,
    Dispute,
    InformationItem,
    ItemStatus,
    Objection,
    Outcome,
    StaffWarning,
)
from balai.ppid.redaction import REDACTABLE

_Row = TypeVar("_Row", bound=Model)  # the rows of whichever queryset a helper is given

PUBLIC_FIELDS = ("id", "number", "title", "summary", "holder", "responsible", "made_when", "made_where", "format",
                 "retention", "category", "year", "document_url", "where_to_get", "content_updated_at",
                 "agency_id", "announcement")


# --- the public register (DIP) ---------------------------------------------------------------------------

def public_items(*, agency: Agency | None = None, category: str = "", year: int | None = None,
                 q: str = "") -> QuerySet[InformationItem]:
    """The published register: approved items only, newest update first, filtered."""
    qs = (InformationItem.objects.filter(status=ItemStatus.APPROVED)
          .select_related("agency").only(*PUBLIC_FIELDS, "agency__short_name", "agency__slug", "agency__name_id",
                                         "agency__name_en"))
    if agency is not None:
        qs = qs.filter(agency=agency)
    if category in Category.values:
        qs = qs.filter(category=category)
    if year:
        qs = qs.filter(year=year)
    q = (q or "").strip()[:100]
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(summary__icontains=q) | Q(number__iexact=q))
    return qs.order_by("-content_updated_at", "-id")


def public_items_page(*, agency: Agency | None = None, category: str = "", year: int | None = None, q: str = "",
                      offset: int = 0, limit: int = 26) -> list[InformationItem]:
    """One page of the published register (`public_items`), fast for rare and common words alike."""
    qs = public_items(agency=agency, category=category, year=year, q=q)
    if not (q or "").strip():
        return list(qs[offset:offset + limit])
    return _searched_page(qs, order=("-content_updated_at", "-id"), offset=offset, limit=limit)


def public_item(pk: int) -> InformationItem | None:
    return public_items().filter(pk=pk).first()


# The years of the register, read by every register page: a DISTINCT over every item (a sequential scan,
# 5-14 ms at 20,000 items, bench/RESULTS.md), remembered for a minute and forgotten when an item is saved.
_years = Memo("ppid-register-years", watch=("ppid.InformationItem",), ttl=60.0)


def register_years() -> list[int]:
    return list(_years.get("all", lambda: list(
        InformationItem.objects.filter(status=ItemStatus.APPROVED).order_by("-year")
        .values_list("year", flat=True).distinct())))


# --- one page of a searched list --------------------------------------------------------------------------
#
# A word search with "newest first" gives the planner a bad choice: walk the date index and test each row
# (fast when the word is common, a scan of every row when it is rare: 650 ms for a word in no question of
# 100,000) or collect the matches from the search index and sort them (fast when rare, slow when common).
# PostgreSQL estimates the word's frequency too roughly to choose well, so the selectors ask first: at most
# SEARCH_PROBE matches from the search index, unordered (a subquery with a LIMIT, which the planner keeps
# apart), sorted by date in the database, of which only the page's ids come back with the number found.
# Fewer than SEARCH_PROBE: the page is read by primary key; as many: the word is common and the date index
# finds a page within its first few thousand rows (bench/RESULTS.md).
SEARCH_PROBE = 2000


def _probe_page(qs: QuerySet[_Row], *, date_field: str, offset: int, limit: int) -> tuple[list[int], int] | None:
    """(ids of the page, matches found up to SEARCH_PROBE), or None when that cannot be told (a page past
    the end on PostgreSQL)."""
    inner = qs.order_by().values_list("pk", date_field)[:SEARCH_PROBE]
    if connection.vendor != "postgresql":
        probe = list(inner)
        probe.sort(key=lambda row: (row[1], row[0]), reverse=True)
        return [pk for pk, _when in probe[offset:offset + limit]], len(probe)
    sql, params = inner.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            # Only the query Django compiled and fixed names: the values are parameters.
            f"SELECT pk, COUNT(*) OVER () FROM ({sql}) AS probe (pk, at) "  # noqa: S608  # nosec B608
            "ORDER BY at DESC, pk DESC LIMIT %s OFFSET %s", [*params, limit, offset])
        rows = cursor.fetchall()
    if not rows:
        return ([], 0) if offset == 0 else None
    return [row[0] for row in rows], int(rows[0][1])


def _searched_page(qs: QuerySet[_Row], *, order: tuple[str, str], offset: int, limit: int) -> list[_Row]:
    """Rows offset..offset+limit of `qs` (already filtered by the search) in `order` (a date field and "id",
    both descending)."""
    found = _probe_page(qs, date_field=order[0].lstrip("-"), offset=offset, limit=limit)
    if found is None or found[1] >= SEARCH_PROBE:
        return list(qs.order_by(*order)[offset:offset + limit])
    ids = found[0]
    if not ids:
        return []
    rows = {row.pk: row for row in qs.filter(pk__in=ids).order_by()}
    return [rows[pk] for pk in ids if pk in rows]


def public_items_rows(*, chunk_size: int = 2000) -> Iterator[InformationItem]:
    """The open-data rows of the register (every approved item, stable order), streamed in chunks."""
    return public_items().order_by("agency__slug", "number").iterator(chunk_size=chunk_size)


def current_announcements(*, now: datetime) -> QuerySet[InformationItem]:
    """Serta-merta notices on the home page now."""
    return (public_items(category=Category.IMMEDIATE).filter(on_home_until__gt=now)
            .exclude(announcement="").order_by("-content_updated_at")[:3])


# --- staff -----------------------------------------------------------------------------------------------

def agencies_proposing(user: User) -> QuerySet[Agency]:
    """Agencies whose register this user may propose items for."""
    if user.is_superuser:
        return Agency.objects.filter(is_active=True).order_by("short_name")
    main_govs = agencies_for(user, roles=("ppid_main",)).values("government_id")
    return (Agency.objects.filter(Q(pk__in=agencies_for(user, roles=("ppid",)).values("pk"))
                                  | Q(government__in=main_govs), is_active=True).order_by("short_name"))


def staff_items(*, user: User, status: str = "") -> QuerySet[InformationItem]:
    """Items of the agencies the officer works for; every item of the government for the main PPID."""
    qs = InformationItem.objects.select_related("agency", "proposed_by")
    if not user.is_superuser:
        own = Q(agency__in=agencies_for(user, roles=("ppid",)))
        main_govs = agencies_for(user, roles=("ppid_main",)).values("government_id")
        qs = qs.filter(own | Q(government__in=main_govs))
    if status in ItemStatus.values:
        qs = qs.filter(status=status)
    return qs.order_by("status", "agency__short_name", "number")


def staff_item(*, user: User, pk: int) -> InformationItem | None:
    item = InformationItem.objects.select_related("agency", "proposed_by").filter(pk=pk).first()
    if item is None:
        return None
    if has_permission(user, rules.PROPOSE, item) or has_permission(user, rules.APPROVE, item):
        return item
    return None


def may_approve(user: User, item: InformationItem | None = None) -> bool:
    return has_permission(user, rules.APPROVE, item)


def open_warnings(*, user: User) -> QuerySet[StaffWarning]:
    qs = StaffWarning.objects.filter(done_at__isnull=True).select_related("item", "test", "agency")
    if not user.is_superuser:
        qs = qs.filter(Q(recipient=user) | Q(agency__in=agencies_for(user, roles=("ppid", "ppid_main"))))
    return qs.order_by("-at")[:50]


def warning_recipients(*, agency_id: int, owner_id: int | None) -> list[User]:
    """Who is e-mailed a warning: its owner when they are still active, have an e-mail address and still work
    as PPID officer for the agency (or its government's main PPID); else the agency's PPID officers."""
    officers = (User.objects.filter(is_active=True, email__isnull=False, memberships__is_active=True,
                                    memberships__role="ppid", memberships__unit__agency_id=agency_id)
                .exclude(email="").distinct().order_by("pk"))
    if owner_id is not None:
        owner = User.objects.filter(pk=owner_id, is_active=True, email__isnull=False).exclude(email="").first()
        agency = Agency.objects.filter(pk=agency_id).first()
        if owner is not None and agency is not None and has_permission(owner, rules.PROPOSE, agency):
            return [owner]
    return list(officers[:10])


# --- consequence tests -----------------------------------------------------------------------------------

def consequence_test_by_number(*, agency_id: int, number: str) -> ConsequenceTest | None:
    return ConsequenceTest.objects.filter(agency_id=agency_id, number=number).first()


def staff_tests(*, user: User) -> QuerySet[ConsequenceTest]:
    qs = ConsequenceTest.objects.select_related("agency", "item")
    if not user.is_superuser:
        own = Q(agency__in=agencies_for(user, roles=("ppid",)))
        main_govs = agencies_for(user, roles=("ppid_main",)).values("government_id")
        qs = qs.filter(own | Q(government__in=main_govs))
    return qs.order_by("-decided_at", "number")


def staff_test(*, user: User, pk: int) -> ConsequenceTest | None:
    test = ConsequenceTest.objects.select_related("agency", "item", "decided_by").filter(pk=pk).first()
    return test if test is not None and has_permission(user, rules.TEST, test) else None


def public_test_of(item: InformationItem) -> ConsequenceTest | None:
    """The consequence test of an exempt item, shown with it in the register (the decree is public)."""
    return item.consequence_tests.order_by("-decided_at").first()


@dataclass(frozen=True)
class StaleItem:
    item: InformationItem
    since: date


def public_test(pk: int) -> ConsequenceTest | None:
    """A consequence test whose item is in the published register (its decree is public)."""
    return (ConsequenceTest.objects.select_related("agency")
            .filter(pk=pk, item__status=ItemStatus.APPROVED).first())


# --- the public archive ----------------------------------------------------------------------------------

ARCHIVE_PUBLIC_FIELDS = ("id", "agency_id", "question", "answer", "outcome", "exemption", "submitted_at",
                         "answered_at", "working_days", "legal_days", "on_time", "online", "objection")


def public_archive(*, agency: Agency | None = None, outcome: str = "", year: int | None = None,
                   q: str = "") -> QuerySet[ArchiveEntry]:
    """Published entries only; never a field that names who asked (no case relation is followed)."""
    qs = (ArchiveEntry.objects.filter(status=ArchiveEntry.Status.PUBLISHED).select_related("agency")
          .only(*ARCHIVE_PUBLIC_FIELDS, "agency__short_name", "agency__slug"))
    if agency is not None:
        qs = qs.filter(agency=agency)
    if outcome in Outcome.values:
        qs = qs.filter(outcome=outcome)
    if year:
        qs = qs.filter(answered_at__year=year)
    q = (q or "").strip()[:100]
    if q:
        qs = _question_search(qs, q)
    return qs.order_by("-answered_at", "-id")


def public_archive_page(*, agency: Agency | None = None, outcome: str = "", year: int | None = None, q: str = "",
                        offset: int = 0, limit: int = 26) -> list[ArchiveEntry]:
    """One page of the public archive (`public_archive`), fast for rare and common words alike."""
    qs = public_archive(agency=agency, outcome=outcome, year=year, q=q)
    if not (q or "").strip():
        return list(qs[offset:offset + limit])
    return _searched_page(qs, order=("-answered_at", "-id"), offset=offset, limit=limit)


def _question_search(qs: QuerySet[ArchiveEntry], q: str) -> QuerySet[ArchiveEntry]:
    """Entries whose question holds all the words of `q`. PostgreSQL: full text ("simple" configuration,
    the GIN index ppid_archive_fts of migration 0004); elsewhere: substring match."""
    if connection.vendor == "postgresql":
        vector = SearchVector("question", config="simple")
        return qs.annotate(fts=vector).filter(fts=SearchQuery(q, config="simple", search_type="plain"))
    for word in q.split()[:5]:
        qs = qs.filter(question__icontains=word)
    return qs


def public_archive_entry(pk: int) -> ArchiveEntry | None:
    return public_archive().filter(pk=pk).first()


def public_archive_documents(entry: ArchiveEntry) -> list[ArchiveDocument]:
    return list(ArchiveDocument.objects.filter(entry=entry).only("id", "title", "entry_id", "attachment_id", "regions")
                .order_by("pk"))


def public_archive_document(*, entry_pk: int, pk: int) -> ArchiveDocument | None:
    return (ArchiveDocument.objects.select_related("attachment")
            .filter(pk=pk, entry_id=entry_pk, entry__status=ArchiveEntry.Status.PUBLISHED,
                    attachment__is_public=True, attachment__event__action__in=RELEASE_ACTIONS).first())


RELEASE_ACTIONS = ("answer", "answer_objection")

STOP_WORDS = frozenset("yang dan untuk dengan dari pada atau tentang tahun data informasi mohon minta saya "
                       "the and for with from about information please".split())


def similar_requests(text: str, *, limit: int = 5) -> list[ArchiveEntry]:
    """Published answered requests sharing the longest words of `text` (asked before asking again)."""
    words = sorted({w for w in "".join(ch.lower() if ch.isalnum() else " " for ch in (text or "")[:500]).split()
                    if len(w) >= 4 and w not in STOP_WORDS}, key=len, reverse=True)[:3]
    if not words:
        return []
    if connection.vendor == "postgresql":
        query = " | ".join(words)  # any of the words (to_tsquery syntax; the words are alphanumeric)
        matching = (public_archive().annotate(fts=SearchVector("question", config="simple"))
                    .filter(fts=SearchQuery(query, config="simple", search_type="raw")))
        return _searched_page(matching, order=("-answered_at", "-id"), offset=0, limit=limit)
    cond = Q()
    for word in words:
        cond |= Q(question__icontains=word)
    return list(public_archive().filter(cond)[:limit])


# --- staff: archive confirmation, objections -------------------------------------------------------------

def _scoped(qs: QuerySet[_Row], user: User) -> QuerySet[_Row]:
    if user.is_superuser:
        return qs
    own = Q(agency__in=agencies_for(user, roles=("ppid", "head")))
    main_govs = agencies_for(user, roles=("ppid_main",)).values("government_id")
    return qs.filter(own | Q(government__in=main_govs))


def staff_archive(*, user: User, status: str = "") -> QuerySet[ArchiveEntry]:
    qs = _scoped(ArchiveEntry.objects.select_related("agency", "case"), user)
    if status in ArchiveEntry.Status.values:
        qs = qs.filter(status=status)
    return qs.order_by("status", "-answered_at")


def staff_archive_entry(*, user: User, pk: int) -> ArchiveEntry | None:
    entry = ArchiveEntry.objects.select_related("agency", "case").filter(pk=pk).first()
    return entry if entry is not None and has_permission(user, rules.ARCHIVE, entry) else None


def staff_archive_document(*, user: User, entry_pk: int, pk: int) -> ArchiveDocument | None:
    """A released document of an entry the officer may confirm (to black out regions of it)."""
    document = (ArchiveDocument.objects.select_related("attachment", "entry", "entry__agency", "entry__case")
                .filter(pk=pk, entry_id=entry_pk).first())
    return document if document is not None and has_permission(user, rules.ARCHIVE, document.entry) else None


def is_redactable(document: ArchiveDocument) -> bool:
    """Whether regions of this released document can be blacked out (a PDF or an image)."""
    return document.attachment.content_type in REDACTABLE


def releasable_attachments(entry: ArchiveEntry) -> list[Attachment]:
    """The files staff sent with the answer (never the requester's own uploads), candidates for release."""
    return list(Attachment.objects.filter(case_id=entry.case_id, is_public=True,
                                          event__action__in=RELEASE_ACTIONS).order_by("created_at"))


def staff_objections(*, user: User) -> QuerySet[Objection]:
    return _scoped(Objection.objects.select_related("agency", "case").prefetch_related("dispute"), user
                   ).order_by("-registered_at")[:300]


def staff_objection(*, user: User, pk: int) -> Objection | None:
    obj = Objection.objects.select_related("agency", "case").filter(pk=pk).first()
    if obj is None:
        return None
    ok = has_permission(user, rules.OBJECTION, obj) or has_permission(user, rules.OBJECTION_DECIDE, obj)
    return obj if ok else None


def dispute_of(objection: Objection) -> Dispute | None:
    return Dispute.objects.filter(objection=objection).first()


def objectionable_case(*, user: User, code: str) -> Case | None:
    """An information request of the officer's agencies, by tracking code, for an oral objection."""
    case = Case.objects.filter(tracking_code=(code or "").strip().upper(), kind="information_request").first()
    return case if case is not None and has_permission(user, rules.OBJECTION, case) else None


def may_decide_objection(user: User, objection: Objection) -> bool:
    return has_permission(user, rules.OBJECTION_DECIDE, objection)


# --- the annual report -------------------------------------------------------------------------------------

def published_report(*, year: int, government: Government | None = None) -> AnnualReport | None:
    qs = AnnualReport.objects.filter(year=year, status=AnnualReport.Status.PUBLISHED).select_related("government")
    if government is not None:
        qs = qs.filter(government=government)
    return qs.order_by("government_id").first()


def published_report_years() -> list[int]:
    return list(AnnualReport.objects.filter(status=AnnualReport.Status.PUBLISHED)
                .values_list("year", flat=True).distinct().order_by("-year"))


def staff_report(*, user: User, year: int) -> tuple[Government | None, AnnualReport | None]:
    """(government, report or None) the main PPID may annotate for `year`."""
    agency = agencies_for(user, roles=("ppid_main",)).select_related("government").first()
    if agency is None and user.is_superuser:
        agency = Agency.objects.select_related("government").order_by("pk").first()
    if agency is None:
        return None, None
    return agency.government, AnnualReport.objects.filter(government=agency.government, year=year).first()
