"""Reads of cases: look-up by tracking code, timelines, staff queues, the publicly listable cases."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import F, Q, QuerySet

from balai.agencies.models import Agency, Region, Unit
from balai.cases.models import Attachment, Case, CaseKind, Confidentiality, Event
from balai.catalog.models import ComplaintCategory
from balai.people.models import User

if TYPE_CHECKING:
    from balai.cases.promise import Promise
    from balai.notify.models import Message


def _normalize(raw: str) -> str | None:
    from balai.cases.tracking import normalize_code

    return normalize_code(raw)


def case_by_code(code: str) -> Case | None:
    """The case with this tracking code; accepts lower case, spaces and missing dashes."""
    normalized = _normalize(code or "")
    if not normalized:
        return None
    return (Case.objects.select_related("service", "complaint_category", "agency", "unit", "region")
            .filter(tracking_code=normalized).first())


def public_timeline(case: Case) -> list[Event]:
    """The events the citizen and (subject to visibility) the public may see, oldest first."""
    return list(case.events.filter(is_public=True).order_by("at", "id"))






# --- publicly listable cases (ADR 0016) -------------------------------------------------------------------

# Kinds a citizen chooses to make public: SP4N-LAPOR! publishes reports. An application for a service or
# for information is the citizen's own business, whatever its confidentiality field says.
LISTABLE_KINDS = (CaseKind.COMPLAINT, CaseKind.ASPIRATION)


def publicly_listable_cases() -> QuerySet[Case]:
    """THE rule for every public list (portal /laporan/, Open311 requests.json, open data): complaints and
    aspirations the citizen marked public AND staff verified (nothing is published before a person
    looked at it), newest first. Lists identify a case by its database id, never by its tracking code:
    the code is a capability (it lets its holder ask for a one-time code and reply as the citizen), so
    it is never listed. What a list may show of each case is still `visibility.case_view(viewer=None)`.
    """
    return (Case.objects.filter(kind__in=LISTABLE_KINDS, confidentiality=Confidentiality.PUBLIC,
                                verified_at__isnull=False)
            .order_by("-submitted_at", "-id"))


def publicly_listable_values(columns: Sequence[str], *, chunk_size: int) -> Iterator[tuple]:
    """The `columns` of every listable case, oldest first, read in chunks (the open-data download)."""
    return publicly_listable_cases().order_by("id").values_list(*columns).iterator(chunk_size=chunk_size)


def official_names(case_ids: Sequence[int]) -> dict[int, set[str]]:
    """Names of the officials who acted on each case (event actors other than the case's citizen), in one
    query: what `visibility.redact_public` masks, for lists that read cases by the thousand (open data)."""
    names: dict[int, set[str]] = {}
    rows = (Event.objects.filter(case_id__in=list(case_ids), actor__isnull=False)
            .exclude(actor_id=F("case__citizen_id")).values_list("case_id", "actor__full_name").distinct())
    for case_id, name in rows:
        if (name or "").strip():
            names.setdefault(case_id, set()).add(name)
    return names


def listable_cases_between(*, start: datetime, end: datetime, service_codes: Sequence[str] | None = None,
                           category_slugs: Sequence[str] | None = None, is_open: bool | None = None,
                           limit: int) -> list[Case]:
    """Listable cases submitted between `start` and `end`, newest first, at most `limit`; narrowed to some
    services (by code) and complaint categories (by slug) when either is given, and to open or closed ones."""
    qs = (publicly_listable_cases().select_related("service", "complaint_category", "agency", "region__parent")
          .filter(submitted_at__gte=start, submitted_at__lte=end))
    if service_codes is not None or category_slugs is not None:
        qs = qs.filter(Q(service__code__in=service_codes or []) | Q(complaint_category__slug__in=category_slugs or []))
    if is_open is not None:
        qs = qs.filter(is_open=is_open)
    return list(qs[:limit])


def publicly_listable_case(pk: int | str) -> Case | None:
    """The listable case with this public id (`publicly_listable_cases`), or None."""
    if isinstance(pk, str):
        if not pk.isdigit() or len(pk) > 18:
            return None
        pk = int(pk)
    return (publicly_listable_cases().select_related("service", "complaint_category", "agency", "region__parent")
            .filter(pk=pk).first())


def filter_listable_cases(qs: QuerySet[Case], *, agency: Agency | None = None, category: ComplaintCategory | None = None,
                          regency: Region | None = None,
                          statuses: Iterable[str] | None = None) -> QuerySet[Case]:
    """Narrow a public list: responsible agency, complaint category, regency/city (the case's region or any
    district or village under it, by dotted code), statuses."""
    if agency is not None:
        qs = qs.filter(agency=agency)
    if category is not None:
        qs = qs.filter(complaint_category=category)
    if regency is not None:
        qs = qs.filter(Q(region__code=regency.code) | Q(region__code__startswith=regency.code + "."))
    if statuses:
        qs = qs.filter(status__in=list(statuses))
    return qs


# --- forwarding (disposal) targets ---------------------------------------------------------------

def disposal_agencies(case: Case) -> QuerySet[Agency]:
    """Where `case` may be forwarded (disposed): the active agencies of its own government.

    The one rule for every face: the workspace's forward form offers exactly these, and the engine
    refuses any other target, whether it comes from the form, a bulk action or the staff API. A case for
    another government leaves by Open311 forwarding instead (`balai.api.open311.services.forwarding`).
    """
    from balai.agencies.models import Agency

    return Agency.objects.filter(government=case.government_id, is_active=True)


def disposal_units(case: Case) -> QuerySet[Unit]:
    """The active units of `disposal_agencies(case)`."""
    from balai.agencies.models import Unit

    return Unit.objects.filter(agency__government=case.government_id, agency__is_active=True, is_active=True)


def disposal_unit(case: Case, pk: int | str) -> Unit | None:
    """The unit `pk` if `case` may be forwarded to it (`disposal_units`), else None."""
    return disposal_units(case).filter(pk=pk).select_related("agency").first()


def disposal_agency(case: Case, slug: str) -> Agency | None:
    """The agency `slug` if `case` may be forwarded to it (`disposal_agencies`), else None."""
    return disposal_agencies(case).filter(slug=slug).first() if slug else None


def may_dispose_to(case: Case, *, agency: Agency | None, unit: Unit | None = None) -> bool:
    """True when `agency` (and `unit`, if given, which must belong to it) is a target the rule allows."""
    if agency is None or not disposal_agencies(case).filter(pk=agency.pk).exists():
        return False
    return unit is None or (unit.agency_id == agency.pk and disposal_units(case).filter(pk=unit.pk).exists())


@dataclass(frozen=True)
class ListedPage:
    """One page of a public list: the cases, whether more follow, and the count up to a cap."""

    cases: list[Case]
    has_more: bool
    counted: int  # matching rows, counted up to the cap plus one (more than the cap: "over N")


def publicly_listed_page(*, offset: int, limit: int, count_cap: int, agency: Agency | None = None,
                         category: ComplaintCategory | None = None, regency: Region | None = None,
                         statuses: Iterable[str] | None = None) -> ListedPage:
    """A page of `publicly_listable_cases` narrowed by `filter_listable_cases`. Reads `limit + 1` rows to
    know whether a next page exists, and counts at most `count_cap + 1` rows instead of the whole table."""
    qs = filter_listable_cases(publicly_listable_cases(), agency=agency, category=category, regency=regency,
                               statuses=statuses)
    rows = list(qs.select_related("complaint_category", "agency", "region")[offset:offset + limit + 1])
    return ListedPage(cases=rows[:limit], has_more=len(rows) > limit,
                      counted=qs.values("pk")[:count_cap + 1].count())


# --- a citizen's own cases ---------------------------------------------------------------------------------


def cases_of_citizen(user: User, *, newest_first: bool = True, limit: int | None = None) -> list[Case]:
    """The cases of the citizen account `user` (their account page, their copy of their data)."""
    order = ("-submitted_at", "-id") if newest_first else ("submitted_at", "id")
    qs = (Case.objects.filter(citizen=user).select_related("service", "complaint_category", "agency")
          .order_by(*order))
    return list(qs[:limit] if limit is not None else qs)


def cases_without_account(pks: Iterable[int]) -> list[Case]:
    """Those of the cases `pks` that no account holds yet (what a signed-in citizen may link)."""
    return list(Case.objects.filter(pk__in=list(pks), citizen__isnull=True))


# --- events and files of one case --------------------------------------------------------------------------


def latest_event(case: Case, *, actions: Iterable[str], public_only: bool = False,
                 with_body: bool = False) -> Event | None:
    """The most recent event of `case` recording one of `actions` (public ones only, with a text only, when
    asked): the question the agency asked, its last answer, the event a citizen's files belong to."""
    qs = case.events.filter(action__in=list(actions))
    if public_only:
        qs = qs.filter(is_public=True)
    if with_body:
        qs = qs.exclude(body="")
    return qs.order_by("-at", "-id").first()


def case_attachment(case: Case, pk: int) -> Attachment | None:
    """The file `pk` of `case`, or None (a file of another case is not found either)."""
    return case.attachments.select_related("case", "event").filter(pk=pk).first()


def messages_for_case(case: Case) -> QuerySet[Message]:
    """Every message sent (or tried) to the citizen about `case`, oldest first (ADR 0027)."""
    from balai.notify.selectors import messages_about

    return messages_about(case)


def latest_case_message(case: Case, *, event: str) -> Message | None:
    """The newest message of `event` written for `case` (e.g. the receipt the engine queued on "received"),
    or None: a channel that answers a citizen's message reuses it as its reply."""
    from balai.notify.selectors import latest_message_about

    return latest_message_about(case, event=event)


# --- what is promised now ---------------------------------------------------------------------------------


def case_promise(case: Case, *, viewer: object = None, now: datetime | None = None) -> Promise:
    """What is promised now for `case` (`balai.cases.promise.Promise`): every face prints this."""
    from balai.cases.promise import promise_of

    return promise_of(case, viewer=viewer, now=now)


def case_form_definition(case: Case) -> list[dict[str, object]]:
    """The form definition `case`'s answers follow (its service's form, else its kind's own fields):
    what pages show the answers with (`balai.catalog.answers.answer_rows`)."""
    from balai.cases.kind_fields import form_definition_of

    return form_definition_of(case)


def objection_grounds(lang: str) -> list[tuple[str, str]]:
    """The grounds of an objection, UU 14/2008 art. 35(1) a–g (`balai.cases.kind_fields.OBJECTION_GROUNDS`)."""
    from balai.cases.kind_fields import objection_grounds as grounds

    return grounds(lang)


def routes_into(unit: Unit) -> list[str]:
    """What sends new cases to `unit` (complaint categories and routes, services, the agency's intake): a
    unit with routes into it must not be deactivated (`balai.cases.actors`, ADR 0040)."""
    from balai.cases.actors import routes

    return sorted({r.label for r in routes(government=unit.agency.government) if r.unit is not None
                   and r.unit.pk == unit.pk})


# --- ICT requests (the agencies' desk, balai.ict) -----------------------------------------------------------


def ict_requests_of(user: User) -> QuerySet[Case]:
    """ICT requests an agency officer made at the desk (the case's requester account), newest first."""
    return (Case.objects.filter(kind=CaseKind.ICT_REQUEST, citizen=user).select_related("service", "agency")
            .order_by("-submitted_at", "-id"))


def ict_requests_waiting_approval(agency_ids: Iterable[int]) -> QuerySet[Case]:
    """Open ICT requests whose approval step waits for the head of one of `agency_ids`."""
    ids = [int(a) for a in agency_ids]
    if not ids:
        return Case.objects.none()
    return (Case.objects.filter(kind=CaseKind.ICT_REQUEST, is_open=True, extra__approval__state="pending",
                                extra__approval__agency__in=ids)
            .select_related("service").order_by("submitted_at"))


def ict_request_by_code(code: str) -> Case | None:
    normalized = _normalize(code)
    if normalized is None:
        return None
    return (Case.objects.filter(kind=CaseKind.ICT_REQUEST, tracking_code=normalized)
            .select_related("service", "agency", "unit").first())


def transition_history(case: Case) -> list[tuple[datetime, str, str, str]]:
    """(at, action, from_status, to_status) of every status change of `case`, oldest first (targets)."""
    return list(case.events.exclude(to_status="").order_by("at", "id")
                .values_list("at", "action", "from_status", "to_status"))


def open_ict_incidents() -> QuerySet[Case]:
    """Open ICT requests that carry a priority (incidents), for the desk's target sweep."""
    return (Case.objects.filter(kind=CaseKind.ICT_REQUEST, is_open=True, extra__ict__priority__isnull=False)
            .order_by("submitted_at"))
