"""Structured logs without personal data (ADR 0023).

One line per request (`balai.request`, written by `balai.ops.middleware`) and one per background job
(`balai.job`, `balai.ops.jobs`), each carrying the request id, as JSON (production) or readable text.

Personal data never reaches a log line (UU 27/2022 PDP arts. 16 and 35: process only what the purpose
needs, keep it confidential): our own lines carry route *names*, never paths or query strings; Django's
own request/server loggers (which print raw paths, where tracking codes live) are replaced by our line;
every message and exception text is passed through `scrub`, which masks e-mail addresses, long digit runs
(phone numbers, NIKs), tracking codes and free text in quotes. Tracebacks keep file, line and function
(enough to debug) and lose the values.
"""

from __future__ import annotations

import json
import logging
import re
import traceback
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

# --- the request id ---------------------------------------------------------------------------------

REQUEST_ID: ContextVar[str | None] = ContextVar("balai_request_id", default=None)
# What a proxy may hand us (nginx's $request_id is 32 hex digits; UUIDs have dashes). Anything else is
# replaced: a header is text an attacker controls, and it ends up in every line of the request.
_VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{7,63}")


def new_request_id() -> str:
    return uuid.uuid4().hex


def valid_request_id(value: str | None) -> bool:
    return bool(value) and _VALID_REQUEST_ID.fullmatch(value or "") is not None


def current_request_id() -> str | None:
    return REQUEST_ID.get()


@contextmanager
def request_id_context(request_id: str | None) -> Iterator[None]:
    """Everything logged (and every job enqueued) inside the block carries `request_id`."""
    token = REQUEST_ID.set(request_id)
    try:
        yield
    finally:
        REQUEST_ID.reset(token)


# --- scrubbing ----------------------------------------------------------------------------------------

_EMAIL = re.compile(r"[\w.+%-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# Tracking codes (ADR 0006): a letter prefix and two groups of four, as written (any case, with dashes) or
# compact (upper case, from the code alphabet).
_TRACKING = re.compile(r"\b[A-Za-z]{1,6}-[A-Za-z0-9]{4}-[A-Za-z0-9]{4}\b|\b[A-Z]{1,6}[2-9ACDEFHJKMPRTWXY]{8}\b")
# Phone numbers and NIKs: 8 or more digits, possibly with a leading + and spaces, dots or dashes inside.
_DIGITS = re.compile(r"(?<![\w.])\+?\d(?:[\s.\-()]?\d){7,}(?![\w])")
# PostgreSQL repeats the offending values: `Key (phone)=(+62812...) already exists`.
_KEY_VALUE = re.compile(r"=\((.*?)\)(?=\s|$|\.)")
# Quoted text may be anything a citizen typed; identifier-like words (lowercase, no spaces) stay readable.
_QUOTED = re.compile(r"'([^'\n]{0,300})'|\"([^\"\n]{0,300})\"")
_IDENTIFIER = re.compile(r"[a-z0-9_.:/\-\[\]]{0,60}")  # incl. our own [email] / [number] marks
MAX_MESSAGE = 2000


def _quoted(match: re.Match[str]) -> str:
    text = match.group(1) if match.group(1) is not None else match.group(2)
    if _IDENTIFIER.fullmatch(text):
        return match.group(0)
    return "'…'"


def scrub(text: str) -> str:
    """`text` with e-mail addresses, phone numbers / NIKs, tracking codes and quoted free text masked."""
    if not text:
        return text
    text = _EMAIL.sub("[email]", text)
    text = _KEY_VALUE.sub("=(…)", text)
    text = _QUOTED.sub(_quoted, text)
    text = _TRACKING.sub("[code]", text)
    text = _DIGITS.sub("[number]", text)
    if len(text) > MAX_MESSAGE:
        text = text[:MAX_MESSAGE] + "…"
    return text


def describe_exception(exc_info) -> dict[str, object]:
    """Type, scrubbed message and a value-free traceback of an exception (and of its causes)."""
    _type, value, tb = exc_info
    if value is None:
        return {}
    frames = []
    for frame in traceback.extract_tb(tb):
        frames.append(f"{frame.filename}:{frame.lineno} in {frame.name}")
    chain: list[str] = []
    cause = value.__cause__ or value.__context__
    while cause is not None and len(chain) < 5:
        chain.append(f"{type(cause).__module__}.{type(cause).__qualname__}: {scrub(str(cause))}")
        cause = cause.__cause__ or cause.__context__
    described: dict[str, object] = {
        "exc_type": f"{type(value).__module__}.{type(value).__qualname__}",
        "exc_message": scrub(str(value)),
        "traceback": frames[-30:],
    }
    if chain:
        described["caused_by"] = chain
    return described


# --- filters --------------------------------------------------------------------------------------

class ContextFilter(logging.Filter):
    """Adds the current request id to every record (the job's, inside a background job)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = REQUEST_ID.get()
        return True


# Loggers whose records our own request line replaces: they print the raw path (tracking codes) and,
# for runserver, the query string.
_REPLACED = {"django.server"}
_OWN_LINES = {"balai.request", "balai.job"}


class PrivacyFilter(logging.Filter):
    """Drops or rewrites records that would carry personal data; scrubs every message."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name in _REPLACED:
            return False
        if record.name == "django.request":
            # "Not Found: /lacak/KT-7M4Q-2X9P/": our request line already says 404 for the route. Keep
            # server errors, without the path, so the traceback is still seen.
            if record.levelno < logging.ERROR:
                return False
            status = getattr(record, "status_code", "")
            record.msg, record.args = "server error %s", (status,)
            record.request = None  # the HttpRequest (headers, cookies, body) must not be formatted
        elif record.name.startswith("django.db.backends") and getattr(record, "sql", None):
            # Query logging (DEBUG only): the statement with placeholders, never its parameters.
            record.msg, record.args = "(%.3f) %s", (getattr(record, "duration", 0.0) or 0.0, record.sql)
        if getattr(record, "balai_scrubbed", False) or (record.name in _OWN_LINES and not record.args):
            return True  # already scrubbed, or our own request/job line: a fixed message, fields we chose
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string must not lose the record
            message = str(record.msg)
        record.msg, record.args = scrub(message), ()
        record.balai_scrubbed = True
        return True


# --- formatters -------------------------------------------------------------------------------------

def _timestamp(record: logging.LogRecord) -> str:
    return datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds").replace(
        "+00:00", "Z")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id, the record's `fields`
    (structured data our own lines pass as `extra={"fields": {...}}`) and a scrubbed exception."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": _timestamp(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            for key, value in fields.items():
                line.setdefault(key, value)
        if record.exc_info:
            line.update(describe_exception(record.exc_info))
        return json.dumps(line, ensure_ascii=False, default=str, separators=(",", ":"))


class TextFormatter(logging.Formatter):
    """A readable line for a terminal: time level logger [request id] message key=value…"""

    def format(self, record: logging.LogRecord) -> str:
        parts = [_timestamp(record), record.levelname, record.name]
        request_id = getattr(record, "request_id", None)
        if request_id:
            parts.append(f"[{request_id}]")
        parts.append(record.getMessage())
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            parts.extend(f"{key}={value}" for key, value in fields.items())
        text = " ".join(str(part) for part in parts)
        if record.exc_info:
            described = describe_exception(record.exc_info)
            text += f"\n  {described.get('exc_type')}: {described.get('exc_message')}"
            for cause in described.get("caused_by", []) or []:
                text += f"\n  caused by {cause}"
            text += "".join(f"\n    {frame}" for frame in described.get("traceback", []) or [])
        return text


# --- configuration -------------------------------------------------------------------------------

LEVELS = {"CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG"}


def parse_levels(value: str) -> dict[str, str]:
    """`LOG_LEVELS="django.db.backends=DEBUG,balai.notify=WARNING"` → {logger: level}."""
    levels: dict[str, str] = {}
    for item in (value or "").split(","):
        name, sep, level = item.strip().partition("=")
        if not sep:
            continue
        level = level.strip().upper()
        if level not in LEVELS or not name.strip():
            raise ValueError(f"LOG_LEVELS: {item.strip()!r} is not logger=LEVEL")
        levels[name.strip()] = level
    return levels


def default_format(*, production: bool) -> str:
    """JSON for machines in production (journald, Loki, any collector); readable text elsewhere."""
    return "json" if production else "text"


def logging_config(*, level: str, fmt: str, overrides: dict[str, str] | None = None) -> dict:
    """The `LOGGING` dict: one stream handler on the root logger, with the privacy filter and the
    chosen formatter; per-logger levels from `overrides`."""
    level = level.upper()
    if level not in LEVELS:
        raise ValueError(f"LOG_LEVEL must be one of {sorted(LEVELS)}")
    if fmt not in ("json", "text"):
        raise ValueError("LOG_FORMAT must be json or text")
    loggers: dict[str, dict] = {
        # Our request line replaces these (see PrivacyFilter); they must still reach the handler for
        # server errors, so they propagate to the root handler instead of Django's own console handler.
        "django": {"level": level, "handlers": [], "propagate": True},
        "django.server": {"level": "CRITICAL", "handlers": [], "propagate": False},
        # The request and job lines are INFO: an operator who sets WARNING still wants them.
        "balai.request": {"level": "INFO"},
        "balai.job": {"level": "INFO"},
    }
    for name, name_level in (overrides or {}).items():
        loggers.setdefault(name, {})["level"] = name_level
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "context": {"()": "balai.ops.logs.ContextFilter"},
            "privacy": {"()": "balai.ops.logs.PrivacyFilter"},
        },
        "formatters": {
            "json": {"()": "balai.ops.logs.JsonFormatter"},
            "text": {"()": "balai.ops.logs.TextFormatter"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": fmt,
                "filters": ["context", "privacy"],
            },
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": loggers,
    }


def make_handler(stream, *, fmt: str = "json") -> logging.Handler:
    """A handler exactly like the configured console one, writing to `stream` (tests capture with it)."""
    handler = logging.StreamHandler(stream)
    handler.addFilter(ContextFilter())
    handler.addFilter(PrivacyFilter())
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    return handler
