"""Whole-page cache of the public pages for anonymous visitors (ADR 0044).

The public pages (home, catalog and search, service and agency pages, /kinerja/, /laporan/, /data/,
/aplikasi/, /status/, the PPID register and archive, the participation and Musrenbang pages, /sms/, the
privacy, accessibility and contact pages) are the same for every anonymous visitor in one language and
display mode, and change a few times a day.
`PageCacheMiddleware` keeps their HTML in the "pages" cache (`settings.CACHES`: a database table of its
own by default, Redis when REDIS_URL is set), and the pages it served last in this process's memory, and
serves them again without running the view.

What a page's key holds: the path with its query string, the language, the display preferences (the
`balai_tampilan` cookie: text size and contrast), a fingerprint of the code and templates of this
release, and anything read live (`LIVE`). Its entry also holds the *generation* of every topic the page
shows (`PAGES`) at the time it was rendered, and is served only while they are all still current.

A topic's generation has two parts, and neither is ever written by a submission:
- a *stamp* read from rows the change itself writes (`DERIVED`): the newest case id (a new case raises its
  service's popularity: the home page's order), the newest timeline event id (every change of a case a
  public page shows, its verification and publication included, writes an event), the roll-up cursor
  (`transparency.rollup` saves it exactly when figures moved), the newest audit record id (/data/ shows
  the chain's head), the newest proposal, proposal event, support, ballot and comment ids (what citizens
  add to participation, only ever by INSERT), the newest probe result id (a probe round, on /status/).
  One statement of indexed MAX() reads, so bulk inserts (the queued batch) count too;
- a *token* in the shared cache, replaced by `bump(topic)` when a staff or admin edit commits (catalog,
  agencies, the published audit heads, the application registry and the status notices, PPID,
  participation; the rare deletion of a case);
- the local date, for the participation pages that say which phase is open; the minute, for /status/
  (which notices are open now, and when the page was made).
Each process reads the generations at most once every `BALAI_PAGE_CACHE_RECHECK_SECONDS` (1 s) and
forgets them as soon as one of its own transactions that changed a shown model commits (in memory: no
write). So a page changes at once in the process that made the change, and within that second in the
others. Entries expire after `BALAI_PAGE_CACHE_SECONDS`, which also bounds how long time-dependent wording
such as "due in 3 days" may lag.

Never cached: signed-in visitors, anyone with a cookie other than the CSRF, language and display cookies
(a session may hold a draft or messages), anything but GET, non-200 answers, streaming answers, answers
that set a cookie, touch the session, queue a message, use a CSP nonce or change the CSP. The CSRF token
of the language switch (every page has one) is cut out before storing and a fresh one is put in on
every hit, so the CSRF cookie is handled by CsrfViewMiddleware as for any rendered page; the CSP header,
X-Frame-Options, Content-Language and Vary are added by the outer middleware on every answer.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, get_token
from django.utils import timezone
from django.utils.translation import get_language

from balai.dbrouter import on_primary

logger = logging.getLogger(__name__)
CACHE_ALIAS = "pages"
HEADER = "X-Page-Cache"

CATALOG, AGENCIES, POPULARITY, ROLLUPS, CASES, OPENDATA, ICT, AUDIT = (
    "catalog", "agencies", "popularity", "rollups", "cases", "opendata", "ict", "audit")
PPID, PARTICIPATION, PROPOSALS, BALLOTS, COMMENTS, PROBES, DAY, MINUTE = (
    "ppid", "participation", "proposals", "ballots", "comments", "probes", "day", "minute")
TOPICS = (CATALOG, AGENCIES, POPULARITY, ROLLUPS, CASES, OPENDATA, ICT, AUDIT, PPID, PARTICIPATION, PROPOSALS,
          BALLOTS, COMMENTS, PROBES, DAY, MINUTE)

# The cached pages (URL names) and the topics each one shows.
PAGES: dict[str, tuple[str, ...]] = {
    "portal:home": (CATALOG, AGENCIES, POPULARITY, PPID),  # PPID: the serta-merta notices
    "portal:catalog": (CATALOG, AGENCIES, ICT),  # ICT: a desk profile makes an ICT service public (ADR 0037)
    "portal:service": (CATALOG, AGENCIES, ICT),
    "portal:agency": (CATALOG, AGENCIES, ICT),
    "opendata:overview": (ROLLUPS, CATALOG, AGENCIES),
    "opendata:agency": (ROLLUPS, CATALOG, AGENCIES),
    "opendata:service": (ROLLUPS, CATALOG, AGENCIES),
    "opendata:ranking": (ROLLUPS, CATALOG, AGENCIES),
    "portal:public_list": (CASES, CATALOG, AGENCIES),
    "portal:public_case": (CASES, CATALOG, AGENCIES),
    "opendata:data": (AUDIT, OPENDATA, ROLLUPS, CASES, CATALOG, AGENCIES),
    "opendata:dataset": (OPENDATA, ROLLUPS, CASES, CATALOG, AGENCIES),
    "portal:applications": (ICT, AGENCIES),
    "portal:application": (ICT, AGENCIES),
    "sms:page": (CATALOG,),  # the keywords (code) and the numbered complaint categories
    "sms:poster": (CATALOG,),
    # PPID: the register and the archive are written by staff only (tokens); no wording relative to now.
    "portal:register": (PPID, AGENCIES),
    "portal:register_item": (PPID, AGENCIES),
    "portal:archive": (PPID, AGENCIES),
    "portal:archive_entry": (PPID, AGENCIES),
    # Participation: what citizens add is read from their rows (stamps); which phase is open is the
    # local date's (DAY).
    "portal:participation": (PARTICIPATION, AGENCIES, DAY),
    "portal:participation_process": (PARTICIPATION, PROPOSALS, AGENCIES, DAY),
    "portal:participation_proposals": (PARTICIPATION, PROPOSALS, AGENCIES, DAY),
    "portal:participation_proposal": (PARTICIPATION, PROPOSALS, AGENCIES, DAY),
    "portal:participation_results": (PARTICIPATION, BALLOTS, AGENCIES),
    "portal:participation_draft": (PARTICIPATION, COMMENTS, AGENCIES, DAY),
    "portal:participation_report": (PARTICIPATION, COMMENTS, AGENCIES),
    "portal:participation_inclusion": (PARTICIPATION, PROPOSALS, BALLOTS, AGENCIES),
    # Musrenbang: forums, their agendas and decisions are staff's (the facilitator's) writes; a proposal's
    # supports are not shown there.
    "portal:participation_musrenbang": (PARTICIPATION, AGENCIES),
    "portal:participation_forum": (PARTICIPATION, AGENCIES),
    # Nothing from the database: kept under the release and expired like the others.
    "portal:privacy": (),
    "portal:accessibility": (),
    "portal:contact": (AGENCIES,),
    # /status/: the probe rounds (PROBES), the notices and the registry (ICT); which notices are open and
    # the page's "made at" time are the clock's (MINUTE).
    "portal:status": (PROBES, ICT, AGENCIES, MINUTE),
}


def _dataset(request: HttpRequest) -> str | None:
    """A dataset read live (cases, participation, the register) says "last: <now>" on its page: never kept."""
    from balai.opendata.datasets import DATASETS, LIVE_DATASET_KINDS

    match = request.resolver_match
    dataset = DATASETS.get(match.kwargs.get("slug", "")) if match else None
    return None if dataset is not None and dataset.kind in LIVE_DATASET_KINDS else ""


# Pages whose key also holds something read live; None: this request is not cached.
LIVE: dict[str, Callable[[HttpRequest], str | None]] = {"opendata:dataset": _dataset}
# Apps whose every save or delete by staff changes a topic (a token in the shared cache, `bump`).
APP_TOPICS = {"catalog": CATALOG, "agencies": AGENCIES, "opendata": OPENDATA, "ict": ICT, "ppid": PPID,
              "participation": PARTICIPATION}
# Models of those apps that no cached page shows, written by citizens and background jobs: never a bump
# (a citizen's request for another government's service and its forwarding, ADR 0045; a requester's
# objection, which the archive shows only as the superior's answer written to the entry; the notice
# subscriptions; the PPID sweep's warnings to staff).
UNSHOWN_MODELS = {("catalog", "externalrequest"), ("ppid", "objection"), ("ppid", "noticesubscriber"),
                  ("ppid", "staffwarning")}
# Rows citizens add (web, SMS, counters) and the probe job adds, whose newest id is in the stamps (a day's
# uptime row is inserted with a probe result): their INSERT only makes this process read the generations
# again, never a bump. Changing or deleting one is a staff or admin edit (a token). Citizens never change or
# delete these rows: a support or a vote is given once and stays.
STAMPED_INSERTS = {("participation", "proposal"), ("participation", "proposalevent"),
                   ("participation", "support"), ("participation", "ballot"), ("participation", "comment"),
                   ("ict", "proberesult"), ("ict", "dailyuptime")}
# Apps whose rows the derived stamps read: a save only makes this process read the generations again.
STAMPED_APPS = {"cases", "transparency", "audit"}
MAX_QUERY = 512  # longer query strings are answered but not kept
LOCAL_ENTRIES = 200  # pages kept in each process's memory as well
_CSRF_INPUT = re.compile(r'(<input type="hidden" name="csrfmiddlewaretoken" value=")[^"]*(")')


def _cache() -> Any:
    return caches[CACHE_ALIAS]


def _generation_key(topic: str) -> str:
    return f"pagegen:{topic}"


def _new_generation(topic: str) -> None:
    try:
        with on_primary():
            _cache().set(_generation_key(topic), secrets.token_hex(8), None)
    except Exception as exc:  # the change stands; the pages lag until they expire
        logger.warning("page cache unavailable, %s not renewed: %s", topic, exc)
    GENERATIONS.forget()


def _inside_test_transaction(alias: str = DEFAULT_DB_ALIAS) -> bool:
    """Inside a test case's transaction, which never commits: it stands for the database's autocommit, so
    what would happen on commit happens at once (a token written in that transaction is undone with it)."""
    blocks = connections[alias].atomic_blocks
    return bool(blocks) and getattr(blocks[0], "_from_testcase", False)


def bump(topic: str) -> None:
    """A staff edit changed what `topic` covers: every page showing it gets a new key when the transaction
    commits (one write to the shared cache, after the edit's own commit). Never on a submission's path:
    what submissions and the worker change is read from their own rows (`DERIVED`)."""
    if topic not in TOKENED:
        raise ValueError(f"unknown page-cache topic {topic!r}")
    if _inside_test_transaction():
        _new_generation(topic)
        return
    # Once per topic and transaction: a job deleting many rows (old probe results) writes one token.
    pending = transaction.get_connection().run_on_commit
    if not any(isinstance(entry[1], _Renew) and entry[1].topic == topic for entry in pending):
        transaction.on_commit(_Renew(topic))


class _Renew:
    """The on-commit write of `topic`'s new token (an object, so that `bump` can see it is pending)."""

    __slots__ = ("topic",)

    def __init__(self, topic: str) -> None:
        self.topic = topic

    def __call__(self) -> None:
        _new_generation(self.topic)


def _forget_generations() -> None:
    GENERATIONS.forget()


def forget_after_commit() -> None:
    """A shown row changed in this process: read the generations again once the transaction commits (no
    write; registered once per transaction)."""
    connection = transaction.get_connection()
    if _inside_test_transaction() or not connection.in_atomic_block:
        GENERATIONS.forget()
        return
    if any(entry[1] is _forget_generations for entry in connection.run_on_commit):
        return
    transaction.on_commit(_forget_generations)


def _missing_generation(key: str) -> str:
    """A token never set, or evicted: create one (only a miss can follow)."""
    store = _cache()
    store.add(key, secrets.token_hex(8), None)
    return str(store.get(key) or "0")


def _stamp_sql(alias: str) -> tuple[list[str], str]:
    """One statement of MAX() reads over primary keys (indexes) and the one-row roll-up cursor."""
    from balai.audit.models import AuditRecord
    from balai.cases.models import Case, Event
    from balai.ict.models import ProbeResult
    from balai.participation.models import Ballot, Comment, Proposal, ProposalEvent, Support
    from balai.transparency.models import RollupCursor

    quote = connections[alias].ops.quote_name

    def newest(model: type[Model], column: str = "id") -> str:
        return f"(SELECT MAX({quote(column)}) FROM {quote(model._meta.db_table)})"  # noqa: S608 # nosec B608 # model names

    columns = {
        POPULARITY: [newest(Case)],
        CASES: [newest(Event)],
        ROLLUPS: [newest(RollupCursor, c) for c in ("last_event_id", "last_response_id", "updated_at", "rebuilt_at")],
        AUDIT: [newest(AuditRecord)],
        PROPOSALS: [newest(Proposal), newest(ProposalEvent), newest(Support)],  # support counts move with these
        BALLOTS: [newest(Ballot)],
        COMMENTS: [newest(Comment)],
        PROBES: [newest(ProbeResult)],  # a round's uptime rows are written with its results
    }
    order = [topic for topic, parts in columns.items() for _ in parts]
    return order, "SELECT " + ", ".join(part for parts in columns.values() for part in parts)


# Read from the rows the change writes:
DERIVED = (POPULARITY, CASES, ROLLUPS, AUDIT, PROPOSALS, BALLOTS, COMMENTS, PROBES)
TOKENED = (CATALOG, AGENCIES, OPENDATA, ICT, CASES, PPID, PARTICIPATION)  # a token in the shared cache (`bump`)


def read_stamps(alias: str) -> dict[str, str]:
    """The derived part of the generations, as the database `alias` has them now."""
    order, sql = _stamp_sql(alias)
    with connections[alias].cursor() as cursor:
        cursor.execute(sql)  # table and column names from the models, quoted; no input
        row = cursor.fetchone()
    stamps: dict[str, list[str]] = {}
    for topic, value in zip(order, row, strict=True):
        stamps.setdefault(topic, []).append(str(value))
    return {topic: "/".join(values) for topic, values in stamps.items()}


def _now() -> float:
    return time.monotonic()


class _Generations:
    """Every topic's generation (token and stamp), read at most once every
    `BALAI_PAGE_CACHE_RECHECK_SECONDS` per process and database, and forgotten when this process commits
    a change of something shown."""

    def __init__(self) -> None:
        self._read: dict[str, tuple[float, dict[str, str]]] = {}
        self._lock = threading.Lock()

    def current(self, alias: str) -> dict[str, str]:
        now = _now()
        with self._lock:
            known = self._read.get(alias)
        if known is not None and known[0] > now:
            return known[1]
        stamps = read_stamps(alias)
        store = _cache()
        keys = [_generation_key(t) for t in TOKENED]
        with on_primary():
            found = store.get_many(keys)
            tokens = {t: str(found[k]) if k in found else _missing_generation(k) for t, k in zip(TOKENED, keys,
                                                                                                  strict=True)}
        generations = {t: f"{tokens.get(t, '')}:{stamps.get(t, '')}" for t in TOPICS}
        # Which participation phase is open is the local date's: a new day is a new generation (read with
        # the rest, so at most the recheck time late at midnight).
        generations[DAY] = timezone.localdate().isoformat()
        # /status/ says when it was made and which notices are open now: a new minute is a new generation.
        generations[MINUTE] = timezone.now().isoformat(timespec="minutes")
        with self._lock:
            self._read[alias] = (now + settings.BALAI_PAGE_CACHE_RECHECK_SECONDS, generations)
        return generations

    def forget(self) -> None:
        with self._lock:
            self._read.clear()


GENERATIONS = _Generations()


@cache
def release() -> str:
    """A fingerprint of this release's code, templates and translations: a deploy starts a fresh cache."""
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parent
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".html", ".mo", ".css", ".txt") and "__pycache__" not in path.parts:
            stat = path.stat()
            digest.update(f"{path.relative_to(root)}:{stat.st_mtime_ns}:{stat.st_size}\n".encode())
    return digest.hexdigest()[:16]


def _cacheable_request(request: HttpRequest) -> bool:
    if request.method != "GET" or len(request.META.get("QUERY_STRING", "")) > MAX_QUERY:
        return False
    allowed = {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME, "balai_tampilan"}
    # No other cookie: no session (a draft, messages, an account), so nobody is signed in (sign-in lives in
    # the session; the lazy user is not loaded), and nothing we do not know.
    return all(name in allowed for name in request.COOKIES)


def page_slot(request: HttpRequest) -> str | None:
    """The cache key of this request's page (generations apart), or None when it is not to be kept."""
    live = ""
    match = request.resolver_match
    probe = LIVE.get(match.view_name) if match else None
    if probe is not None:
        found = probe(request)
        if found is None:
            return None
        live = found
    return _slot(request, live)


def _slot(request: HttpRequest, live: str) -> str:
    display = getattr(request, "display", None)
    parts = [release(), get_language() or "", display.cookie_value() if display else "", request.get_full_path(),
             live]
    return "page:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def current_generations(topics: tuple[str, ...]) -> list[str]:
    """The topics' generations now, read from the database the page itself reads (the replica for the
    replica's pages, ADR 0022)."""
    from balai.cases.models import Event

    generations = GENERATIONS.current(router.db_for_read(Event) or DEFAULT_DB_ALIAS)
    return [generations[t] for t in topics]


class _Local:
    """The pages this process served last, so that a hit costs only the small read of the generations
    (not a copy of the page out of the shared cache). Entries are checked against the current
    generations like the shared ones; a bounded least-recently-used map."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, slot: str, current: list[str]) -> dict[str, Any] | None:
        with self._lock:
            entry = self._entries.get(slot)
            if entry is None or entry["generations"] != current or entry["until"] < time.monotonic():
                return None
            self._entries.move_to_end(slot)
            return entry

    def current(self, slot: str) -> dict[str, Any] | None:
        """The kept page, if its topics' generations are still those it was rendered under: what a
        request can be answered with before its URL is resolved (the entry names its topics)."""
        with self._lock:
            entry = self._entries.get(slot)
        if entry is None or entry["until"] < time.monotonic():
            return None
        return self.get(slot, current_generations(entry["topics"]))

    def put(self, slot: str, entry: dict[str, Any]) -> None:
        entry = {**entry, "until": time.monotonic() + settings.BALAI_PAGE_CACHE_SECONDS}
        with self._lock:
            self._entries[slot] = entry
            self._entries.move_to_end(slot)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


LOCAL = _Local(LOCAL_ENTRIES)


def lookup(slot: str, topics: tuple[str, ...]) -> tuple[list[str], dict[str, Any] | None]:
    """The topics' current generations and the kept page, if it was rendered under exactly these
    generations: from this process's memory, else from the shared cache. The stamps are read from the
    database the page itself reads (the replica for the replica's pages, ADR 0022), before it renders."""
    current = current_generations(topics)
    entry = LOCAL.get(slot, current)
    if entry is None:
        with on_primary():
            entry = _cache().get(slot)
        if entry is None or entry.get("generations") != current:
            return current, None
        LOCAL.put(slot, entry)
    return current, entry


def _cacheable_response(request: HttpRequest, response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if getattr(request, "_csp_nonce", None) is not None:
        return False  # the page carries a nonce of this request
    if any(name.startswith("_csp") for name in vars(response)):
        return False  # the view changed the policy (csp decorators)
    session = getattr(request, "session", None)
    if session is not None and (session.modified or not session.is_empty()):
        return False
    messages = getattr(request, "_messages", None)
    if messages is not None and getattr(messages, "added_new", False):
        return False
    control = response.get("Cache-Control", "").lower()
    if any(word in control for word in ("private", "no-store", "no-cache")):
        return False
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
    return vary <= {"cookie", "accept-language"}


def _random_chars(length: int) -> str:
    """`length` characters of CSRF_ALLOWED_CHARS from the operating system's generator, unbiased (bytes
    >= 248 are dropped): what `get_random_string` does, from one read instead of one per character."""
    chars = CSRF_ALLOWED_CHARS
    limit = 256 - 256 % len(chars)
    found: list[str] = []
    while len(found) < length:
        found.extend(chars[b % len(chars)] for b in secrets.token_bytes(length + 8) if b < limit)
    return "".join(found[:length])


def csrf_token(request: HttpRequest) -> str:
    """`django.middleware.csrf.get_token`, with its random strings from `_random_chars`: this visitor's
    secret (a new one, set as the cookie by CsrfViewMiddleware, when it has none), freshly masked."""
    if settings.CSRF_USE_SESSIONS:
        return get_token(request)
    secret = request.META.get("CSRF_COOKIE")
    if secret is None:
        secret = _random_chars(CSRF_SECRET_LENGTH)
        request.META["CSRF_COOKIE"] = secret
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    chars = CSRF_ALLOWED_CHARS
    mask = _random_chars(CSRF_SECRET_LENGTH)
    cipher = "".join(chars[(chars.index(x) + chars.index(y)) % len(chars)] for x, y in zip(secret, mask, strict=True))
    return mask + cipher


class PageCacheMiddleware:
    """Last in MIDDLEWARE: serves a cached public page in place of its view, keeps a fresh one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        entry = self._kept_here(request)
        if entry is not None:
            return self._serve(request, entry)
        response = self.get_response(request)
        slot = getattr(request, "_page_cache_slot", None)
        if slot is not None and not getattr(response, "_page_cache_hit", False):
            if _cacheable_response(request, response):
                self._store(slot, response)
                response[HEADER] = "miss"
        return response

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any) -> HttpResponse | None:
        if settings.BALAI_PAGE_CACHE_SECONDS <= 0 or request.resolver_match is None:
            return None
        topics = PAGES.get(request.resolver_match.view_name)
        if topics is None or not _cacheable_request(request):
            return None
        try:
            slot = page_slot(request)  # reads what the page reads live where the page reads (ADR 0022)
            if slot is None:
                return None
            current, entry = lookup(slot, topics)
        except Exception as exc:  # the cache is down (or not configured): the view answers
            logger.warning("page cache unavailable: %s", exc)
            return None
        if entry is None:
            request._page_cache_slot = (slot, current, request.resolver_match.view_name, topics)  # type: ignore[attr-defined]
            return None
        return self._serve(request, entry)

    @staticmethod
    def _kept_here(request: HttpRequest) -> dict[str, Any] | None:
        """A page this process keeps in memory, current, for this request: answered before the URL is
        resolved (the hot path; URL resolving was a tenth of a hit). Only a key that a resolved request
        of a cached page stored can be found, and a page with something read live never has this key
        (`LIVE` adds to it). The shared cache is read only after resolving, for the cached pages only."""
        if settings.BALAI_PAGE_CACHE_SECONDS <= 0 or not _cacheable_request(request):
            return None
        try:
            return LOCAL.current(_slot(request, ""))
        except Exception as exc:  # the generations cannot be read: the view answers
            logger.warning("page cache unavailable: %s", exc)
            return None

    @staticmethod
    def _store(slot: tuple[str, list[str], str, tuple[str, ...]], response: HttpResponse) -> None:
        key, current, route, topics = slot
        placeholder = "pagecache-" + secrets.token_hex(16)
        html = response.content.decode(response.charset)
        html = _CSRF_INPUT.sub(lambda m: m.group(1) + placeholder + m.group(2), html)
        headers = [(k, v) for k, v in response.headers.items() if k.lower() not in ("content-length", "vary")]
        entry = {"generations": current, "topics": topics, "route": route, "html": html, "headers": headers,
                 "token": placeholder}
        try:
            with on_primary():
                _cache().set(key, entry, settings.BALAI_PAGE_CACHE_SECONDS)
        except Exception as exc:  # the page was answered; it is just not kept
            logger.warning("page cache unavailable: %s", exc)
            return
        LOCAL.put(key, entry)

    @staticmethod
    def _serve(request: HttpRequest, entry: dict[str, Any]) -> HttpResponse:
        html = entry["html"]
        if entry["token"] in html:
            html = html.replace(entry["token"], csrf_token(request))  # a fresh mask, this visitor's secret
        response = HttpResponse(html)
        for name, value in entry["headers"]:
            response[name] = value
        response[HEADER] = "hit"
        response._page_cache_hit = True  # type: ignore[attr-defined]
        request.route_name = entry.get("route")  # type: ignore[attr-defined] # the request log's route
        return response


# --- invalidation --------------------------------------------------------------------------------------


def _on_save(sender: type[Model], instance: Any, created: bool = False, raw: bool = False, **kwargs: Any) -> None:
    _changed(sender, instance, created=created)


def _on_delete(sender: type[Model], instance: Any, **kwargs: Any) -> None:
    _changed(sender, instance, created=False, deleted=True)


def _changed(sender: type[Model], instance: Any, *, created: bool, deleted: bool = False) -> None:
    app = sender._meta.app_label
    model = (app, sender._meta.model_name)
    if model in UNSHOWN_MODELS:
        return
    if created and model in STAMPED_INSERTS:
        forget_after_commit()  # a citizen's proposal, support, vote or comment: the stamps read it
        return
    topic = APP_TOPICS.get(app)
    if topic is not None:
        bump(topic)  # a staff or admin edit (never part of a submission)
    elif app == "cases" and deleted and sender._meta.model_name in ("case", "event"):
        bump(CASES)  # a removed case or event lowers no MAX(id): a token (admin only, never a submission)
    else:
        forget_after_commit()  # the stamps read these rows: no write, this process just reads them again


_WATCHED_APPS = {*APP_TOPICS, *STAMPED_APPS}


def _receiver(handler: Callable[..., None]) -> Callable[..., None]:
    def receive(sender: type, **kwargs: Any) -> None:
        meta = getattr(sender, "_meta", None)
        if meta is not None and meta.app_label in _WATCHED_APPS:
            handler(sender, **kwargs)
    return receive


def _on_m2m(sender: type, instance: Any, action: str = "", **kwargs: Any) -> None:
    if action.startswith("post_"):  # a service's categories or life events
        _changed(sender, instance, created=False)


_save_receiver = _receiver(_on_save)
_delete_receiver = _receiver(_on_delete)
_m2m_receiver = _receiver(_on_m2m)


def connect() -> None:
    """Called once at start-up (balai.ops.apps): follow the models whose changes the cached pages show."""
    post_save.connect(_save_receiver, dispatch_uid="balai.pagecache.save")
    post_delete.connect(_delete_receiver, dispatch_uid="balai.pagecache.delete")
    m2m_changed.connect(_m2m_receiver, dispatch_uid="balai.pagecache.m2m")
