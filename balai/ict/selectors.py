"""Reads of the ICT desk, the application registry and the status page (docs/regulations.md §8, §13)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.contrib.postgres.search import TrigramWordSimilarity
from django.core.cache import cache
from django.db import connection
from django.db.models import CharField, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Concat, TruncMonth
from django.utils import timezone

from balai.ict import desk
from balai.ict.models import Application, DailyUptime, ProbeResult, ServiceProfile, StatusNotice, StatusUpdate
from balai.worktime.calendar import LOCAL_TZ

if TYPE_CHECKING:
    from balai.agencies.models import Agency
    from balai.cases.models import Case
    from balai.cases.submission import JSONValue
    from balai.catalog.models import Service
    from balai.people.models import User
    from balai.people.permissions import UserLike

# --- the desk ----------------------------------------------------------------------------------------


def desk_services() -> QuerySet[Service]:
    """Published ICT services of the catalog, with their desk profile (may be missing: a plain request)."""
    from balai.catalog.selectors import public_services

    return public_services(kind="ict").select_related("ict_profile").order_by("name_id")


def desk_service(code: str) -> Service | None:
    return desk_services().filter(code=code).first()


def public_desk_services() -> QuerySet[Service]:
    """The ICT services the public may use too (`ServiceProfile.public`: reporting a cyber incident)."""
    return desk_services().filter(ict_profile__public=True)


def profile_of(service: Service) -> ServiceProfile:
    """The service's desk profile, or a default one (a plain request, no approval) when none is stored."""
    try:
        return service.ict_profile
    except ServiceProfile.DoesNotExist:
        return ServiceProfile(service=service)


def requester_agencies(user: UserLike) -> list[Agency]:
    """The agencies in which `user` holds an active staff membership (who they may ask for)."""
    from balai.agencies.models import Agency
    from balai.people.models import User

    if not isinstance(user, User) or not user.is_authenticated:
        return []
    return list(Agency.objects.filter(units__memberships__user=user, units__memberships__is_active=True,
                                      is_active=True).distinct().order_by("name_id"))


def is_agency_head(user: UserLike, agency_id: int | None) -> bool:
    """Whether `user` is head ("head" role) of a unit of the agency `agency_id`."""
    from balai.people.models import Membership, Role, User

    if agency_id is None or not isinstance(user, User):
        return False
    return Membership.objects.filter(user=user, role=Role.HEAD, is_active=True, unit__agency_id=agency_id).exists()


def my_desk_requests(user: User) -> QuerySet[Case]:
    """ICT requests `user` made at the desk (newest first)."""
    from balai.cases.selectors import ict_requests_of

    return ict_requests_of(user)


def approvals_waiting(user: UserLike) -> QuerySet[Case]:
    """ICT requests waiting for an approval `user` may give (head of the requesting agency)."""
    from balai.cases.selectors import ict_requests_waiting_approval
    from balai.people.models import Membership, Role, User

    if not isinstance(user, User):
        return ict_requests_waiting_approval([])
    agencies = list(Membership.objects.filter(user=user, role=Role.HEAD, is_active=True)
                    .values_list("unit__agency_id", flat=True).distinct())
    return ict_requests_waiting_approval(agencies)


def my_desk_request(user: UserLike, code: str) -> Case | None:
    """One ICT request as its requester or an approver sees it, or None."""
    from balai.cases.selectors import ict_request_by_code

    case = ict_request_by_code(code)
    if case is None:
        return None
    if case.citizen_id == getattr(user, "pk", None):
        return case
    approval = (case.extra or {}).get("approval") or {}
    if approval and is_agency_head(user, approval.get("agency")):
        return case
    return None


def case_targets(case: Case, *, now: datetime | None = None) -> desk.Targets | None:
    """Response/resolution targets of an ICT incident (None for a plain request)."""
    info = (case.extra or {}).get("ict") or {}
    priority = info.get("priority")
    if priority not in desk.TARGETS:
        return None
    from balai.cases.selectors import transition_history

    return desk.targets(priority=priority, submitted_at=case.submitted_at, events=transition_history(case),
                        now=now or timezone.now(), government_id=case.government_id)


# --- the registry -----------------------------------------------------------------------------------


def applications(*, status: str = "", agency: str = "", query: str = "") -> QuerySet[Application]:
    qs = Application.objects.select_related("agency", "unit").order_by("name")
    if status in Application.Status.values:
        qs = qs.filter(status=status)
    if agency:
        qs = qs.filter(agency__slug=agency)
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(purpose__icontains=query) | Q(spbe_code__icontains=query))
    return qs


def public_applications(*, status: str = "", agency: str = "", query: str = "") -> QuerySet[Application]:
    """What the public registry shows: every application except those still only planned."""
    return applications(status=status, agency=agency, query=query).exclude(status=Application.Status.PLANNED)


def application(slug: str, *, public: bool = False) -> Application | None:
    qs = public_applications() if public else applications()
    return qs.filter(slug=slug).first()


def application_rows() -> Iterator[dict[str, JSONValue | date]]:
    """The registry as rows for /data/ (no personal data: the registry holds none)."""
    for app in public_applications().iterator(chunk_size=500):
        yield {
            "slug": app.slug, "name": app.name, "agency": app.agency.short_name,
            "unit": app.unit.name_id if app.unit else "", "purpose": app.purpose, "spbe_code": app.spbe_code,
            "type": app.app_type, "url": app.url, "hosting": app.hosting, "technology": app.technology,
            "personal_data": app.personal_data, "classification": app.classification, "status": app.status,
            "users": app.users, "year": app.year, "budget_line": app.budget_line,
            "last_security_test": app.last_security_test, "approval_reference": app.approval_reference,
        }


def publiccode(app: Application) -> str:
    """A `publiccode.yml` (version 0.4) describing `app` (docs/regulations.md §13), as YAML text."""
    import yaml

    status = {"planned": "concept", "development": "development", "live": "stable",
              "retired": "obsolete"}[app.status]
    doc = {
        "publiccodeYmlVersion": "0.4",
        "name": app.name,
        "url": app.url or f"urn:balai:aplikasi:{app.slug}",
        "landingURL": app.url or "",
        "releaseDate": f"{app.year}-01-01" if app.year else "",
        "platforms": ["web"],
        "categories": ["it-development"] if app.app_type == Application.Type.SPECIAL else ["it-management"],
        "developmentStatus": status,
        "softwareType": "standalone/web",
        "description": {"id": {"shortDescription": app.name[:150], "longDescription": app.purpose,
                               "features": [app.spbe_code]}},
        "legal": {"license": "proprietary", "mainCopyrightOwner": app.agency.name_id},
        "maintenance": {"type": "internal", "contacts": [{"name": app.agency.name_id}]},
        "localisation": {"localisationReady": False, "availableLanguages": ["id"]},
        "dependsOn": {"open": [{"name": t.strip()} for t in app.technology.split(",") if t.strip()]},
        "it": {"countryExtensionVersion": "0.2"},
    }
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


# --- duplicate detection -----------------------------------------------------------------------------

_WORD = re.compile(r"[a-z0-9]+")
STOP_WORDS = frozenset("dan untuk yang di ke dari atau dengan pada oleh dalam ini itu the and for of to a "
                       "an in on with by aplikasi sistem layanan".split())


def _tokens(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in STOP_WORDS and len(w) > 2}


def _trigrams(words: set[str]) -> set[str]:
    out: set[str] = set()
    for w in words:
        padded = f"  {w} "
        out.update(padded[i:i + 3] for i in range(len(padded) - 2))
    return out


def text_similarity(a: str, b: str) -> float:
    """0..1 (the SQLite fallback of pg_trgm): the larger of the Jaccard index of the words and of their
    character trigrams (as pg_trgm builds them), stop words left out. Identical texts give 1."""
    ta, tb = _tokens(a), _tokens(b)
    if not ta or not tb:
        return 0.0
    words = len(ta & tb) / len(ta | tb)
    ga, gb = _trigrams(ta), _trigrams(tb)
    grams = len(ga & gb) / len(ga | gb)
    return round(max(words, grams), 4)


SIMILAR_THRESHOLD = 0.3


@dataclass(frozen=True)
class Similar:
    application: Application
    score: float
    same_code: bool


def _has_trigram() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        return cur.fetchone() is not None


def similar_applications(*, purpose: str, spbe_code: str = "", exclude: int | None = None,
                         limit: int = 8) -> list[Similar]:
    """Existing applications with the same SPBE code, and those whose purpose reads most alike.

    PostgreSQL: `pg_trgm` word similarity on name + purpose; elsewhere a token Jaccard / difflib score.
    Retired applications are left out; the same code alone is listed even with a low text score.
    """
    purpose = (purpose or "").strip()
    code = (spbe_code or "").strip().upper()
    base = Application.objects.exclude(status=Application.Status.RETIRED).select_related("agency")
    if exclude:
        base = base.exclude(pk=exclude)
    scored: dict[int, Similar] = {}
    if purpose and _has_trigram():
        qs = (base.annotate(sim=TrigramWordSimilarity(purpose, Concat("name", Value(" "), "purpose",
                                                                          output_field=CharField())))
              .filter(sim__gte=SIMILAR_THRESHOLD).order_by("-sim")[:limit * 2])
        for hit in qs:
            scored[hit.pk] = Similar(hit, float(hit.sim), hit.spbe_code.upper() == code)
    elif purpose:
        for app in base.iterator(chunk_size=500):
            score = text_similarity(purpose, f"{app.name} {app.purpose}")
            if score >= SIMILAR_THRESHOLD:
                scored[app.pk] = Similar(app, score, app.spbe_code.upper() == code)
    if code:
        for app in base.filter(spbe_code__iexact=code)[:limit]:
            if app.pk not in scored:
                score = text_similarity(purpose, f"{app.name} {app.purpose}") if purpose else 0.0
                scored[app.pk] = Similar(app, score, True)
    ranked = sorted(scored.values(), key=lambda s: (not s.same_code, -s.score, s.application.name))
    return ranked[:limit]


def duplicate_clusters(*, threshold: float = 0.45) -> list[list[Application]]:
    """Groups of live applications of different agencies that serve the same purpose (single-link:
    same SPBE code and similar purpose, or a very similar purpose whatever the code)."""
    apps = list(Application.objects.filter(status=Application.Status.LIVE).select_related("agency")
                .order_by("spbe_code", "name"))
    parent = {a.pk: a.pk for a in apps}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    toks = {a.pk: f"{a.name} {a.purpose}" for a in apps}
    for i, a in enumerate(apps):
        for b in apps[i + 1:]:
            score = text_similarity(toks[a.pk], toks[b.pk])
            if score >= (threshold if a.spbe_code == b.spbe_code else threshold + 0.2):
                parent[find(a.pk)] = find(b.pk)
    groups: dict[int, list[Application]] = {}
    for a in apps:
        groups.setdefault(find(a.pk), []).append(a)
    return sorted((g for g in groups.values() if len(g) > 1), key=lambda g: (-len(g), g[0].name))


# --- the status page ---------------------------------------------------------------------------------

WARN_DAYS = 30


def probe_targets() -> QuerySet[Application]:
    """What the probe job checks: live applications with an address, and retired ones (to flag an address
    that still answers)."""
    return (Application.objects.filter(status__in=(Application.Status.LIVE, Application.Status.RETIRED))
            .exclude(url="").order_by("pk"))


@dataclass(frozen=True)
class AppStatus:
    application: Application
    latest: ProbeResult | None
    day: float | None  # uptime percent
    week: float | None
    month: float | None
    cert_warning: bool
    retired_answering: bool
    domain_warning: bool = False

    @property
    def state(self) -> str:
        if self.latest is None:
            return "unknown"
        if not self.latest.is_up:
            return "down"
        if self.latest.response_ms is not None and self.latest.response_ms > SLOW_MS:
            return "slow"
        return "up"


SLOW_MS = 3000


def uptime_percent(checks: int, up: int) -> float | None:
    """Share of checks that were up, in percent with two decimals; None without checks."""
    if not checks:
        return None
    return round(100.0 * up / checks, 2)


def local_today(now: datetime | None = None) -> date:
    return (now or timezone.now()).astimezone(LOCAL_TZ).date()


def status_board(*, now: datetime | None = None) -> list[AppStatus]:
    """Every live public application (and every retired one still answering) with its latest check and
    uptime over the last day, 7 days and 30 days (from the daily roll-ups)."""
    now = now or timezone.now()
    today = local_today(now)
    apps = list(probe_targets().select_related("agency"))
    ids = [a.pk for a in apps]
    sums: dict[str, dict[int, tuple[int, int]]] = {}
    for key, days in (("day", 1), ("week", 7), ("month", 30)):
        rows = (DailyUptime.objects.filter(application_id__in=ids, day__gt=today - timedelta(days=days))
                .values("application_id").annotate(c=Sum("checks"), u=Sum("up")))
        sums[key] = {r["application_id"]: (r["c"], r["u"]) for r in rows}
    latest = latest_probes(ids)
    out = []
    for app in apps:
        last = latest.get(app.pk)
        if app.status == Application.Status.RETIRED:
            if last is None or last.status_code is None:
                continue
            retired = True
        else:
            if not app.is_public:
                continue
            retired = False
        cert = bool(last and last.cert_expires_at and last.cert_expires_at <= now + timedelta(days=WARN_DAYS))
        domain = bool(app.domain_expires_on and app.domain_expires_on <= today + timedelta(days=WARN_DAYS))
        day, week, month = (uptime_percent(*sums[k].get(app.pk, (0, 0))) for k in ("day", "week", "month"))
        out.append(AppStatus(app, last, day, week, month, cert, retired, domain))
    return out


# The board as /status/ shows it: one small row per application, kept in the cache for BOARD_CACHE_SECONDS
# and dropped by every probe round (`services.forget_status_board`); the page filters and pages it.
BOARD_CACHE_KEY = "ict-status-board"
BOARD_GENERATION_KEY = "ict-status-board-generation"  # part of the page's fragment keys
BOARD_CACHE_SECONDS = 60
STATES = ("down", "slow", "unknown", "up")  # worst first: the order of the summary and of the table


@dataclass(frozen=True)
class BoardRow:
    slug: str
    name: str
    agency_slug: str
    agency_name: str
    state: str
    day: float | None
    week: float | None
    month: float | None
    response_ms: int | None
    retired_answering: bool
    cert_warning: bool
    domain_warning: bool


@dataclass(frozen=True)
class AgencyStatus:
    slug: str
    name: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class StatusOverview:
    counts: dict[str, int]  # state → number of applications
    agencies: list[AgencyStatus]  # by name

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def board_rows(*, now: datetime | None = None) -> list[BoardRow]:
    """The status board, worst state first, then by agency and name; cached until the next probe round
    (at most BOARD_CACHE_SECONDS), so a page of /status/ costs one cache read."""
    cached = cache.get(BOARD_CACHE_KEY)
    if isinstance(cached, list):
        return cached
    rows = [BoardRow(slug=s.application.slug, name=s.application.name, agency_slug=s.application.agency.slug,
                     agency_name=s.application.agency.short_name or s.application.agency.name_id, state=s.state,
                     day=s.day, week=s.week, month=s.month,
                     response_ms=s.latest.response_ms if s.latest is not None else None,
                     retired_answering=s.retired_answering, cert_warning=s.cert_warning,
                     domain_warning=s.domain_warning)
            for s in status_board(now=now)]
    rows.sort(key=lambda r: (STATES.index(r.state), r.agency_name, r.name, r.slug))
    cache.set(BOARD_CACHE_KEY, rows, BOARD_CACHE_SECONDS)
    return rows


def board_generation() -> str:
    """The board's current generation: a new one with every probe round (`services.forget_status_board`),
    so the cached fragments of /status/ (per language, filter and page) are left behind together."""
    generation = cache.get(BOARD_GENERATION_KEY)
    if not isinstance(generation, str):
        generation = uuid.uuid4().hex
        cache.set(BOARD_GENERATION_KEY, generation, None)
    return generation


def status_overview(rows: list[BoardRow]) -> StatusOverview:
    """How many applications are in each state, in total and per owner agency."""
    counts = dict.fromkeys(STATES, 0)
    agencies: dict[str, AgencyStatus] = {}
    for r in rows:
        counts[r.state] += 1
        agency = agencies.setdefault(r.agency_slug, AgencyStatus(r.agency_slug, r.agency_name,
                                                                 dict.fromkeys(STATES, 0)))
        agency.counts[r.state] += 1
    return StatusOverview(counts, sorted(agencies.values(), key=lambda a: (a.name, a.slug)))


def filter_board(rows: list[BoardRow], *, agency: str = "", state: str = "") -> list[BoardRow]:
    """The rows of one owner agency (slug) and/or in one state; empty arguments do not filter."""
    return [r for r in rows if (not agency or r.agency_slug == agency) and (not state or r.state == state)]


def latest_probes(ids: list[int]) -> dict[int, ProbeResult]:
    """The newest probe of each application (one indexed look-up per application)."""
    out: dict[int, ProbeResult] = {}
    if connection.vendor == "postgresql" and ids:
        # one index probe per application (probe_app_latest), whatever the length of the history
        rows = ProbeResult.objects.raw(
            "SELECT p.* FROM unnest(%s::bigint[]) AS a(id) CROSS JOIN LATERAL (SELECT * FROM ict_proberesult "
            "WHERE application_id = a.id ORDER BY checked_at DESC LIMIT 1) p", [ids])
        return {r.application_id: r for r in rows}
    for pk in ids:
        row = ProbeResult.objects.filter(application_id=pk).order_by("-checked_at").first()
        if row is not None:
            out[pk] = row
    return out


def status_notices(*, now: datetime | None = None, days: int = 14) -> dict[str, list[StatusNotice]]:
    """Open and recent incidents and coming maintenance, with their updates."""
    now = now or timezone.now()
    qs = (StatusNotice.objects.filter(Q(ends_at__isnull=True) | Q(ends_at__gte=now - timedelta(days=days)))
          .prefetch_related("applications", Prefetch("updates", queryset=StatusUpdate.objects.order_by("-at")))
          .order_by("-starts_at"))
    out: dict[str, list[StatusNotice]] = {"open": [], "planned": [], "past": []}
    for n in qs:
        if n.kind == StatusNotice.Kind.MAINTENANCE and n.starts_at > now:
            out["planned"].append(n)
        elif n.ends_at is None or n.ends_at > now:
            out["open"].append(n)
        else:
            out["past"].append(n)
    out["planned"].sort(key=lambda n: n.starts_at)
    return out


def monthly_uptime_rows() -> Iterator[dict[str, JSONValue]]:
    """Uptime and mean response time per application and month (for /data/), of the applications the public
    registry lists (`public_applications`: a planned one is not named in open data)."""
    rows = (DailyUptime.objects.filter(application__in=public_applications().values("pk")).annotate(month=TruncMonth("day")).values("application__slug", "month")
            .annotate(c=Sum("checks"), u=Sum("up"), ms=Sum("total_ms")).order_by("month", "application__slug"))
    for r in rows.iterator(chunk_size=2000):
        month = r["month"]
        yield {"application": r["application__slug"],
               "month": month.strftime("%Y-%m") if month else "",
               "checks": r["c"], "uptime_pct": uptime_percent(r["c"], r["u"]),
               "mean_response_ms": round(r["ms"] / r["u"]) if r["u"] else None}


def ict_service_code(code: str) -> bool:
    """Whether `code` is a published ICT service (the portal sends its visitors to the staff desk)."""
    return desk_services().filter(code=code).exists()


def notice(pk: int) -> StatusNotice | None:
    return StatusNotice.objects.filter(pk=pk).first()


def notice_application_choices() -> list[tuple[str, str]]:
    """Applications a status notice may name: the live ones with an address."""
    return [(str(pk), name) for pk, name in Application.objects.filter(status=Application.Status.LIVE)
            .exclude(url="").order_by("name").values_list("pk", "name")]


def applications_by_ids(ids: list[str]) -> list[Application]:
    return list(Application.objects.filter(pk__in=[int(i) for i in ids if str(i).isdigit()]))
