"""Fixed-window counters in `RateCounter` rows, one statement per read and per count (ADR 0047): the
portal's submit limits (`balai.portal.submit_limits`). Keys are the caller's (an HMAC: no client named)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from functools import cache

from django.db import connection

from balai.portal.models import RateCounter


def _names() -> tuple[str, str, str, str, str]:
    """The quoted table and columns of `RateCounter`: key, count, window start, expiry."""
    return _quoted(connection.vendor)


@cache
def _quoted(vendor: str) -> tuple[str, str, str, str, str]:
    quote = connection.ops.quote_name
    return (quote(RateCounter._meta.db_table), *(quote(RateCounter._meta.get_field(f).column)
                                                 for f in ("key", "count", "window_start", "expires_at")))


def counts(windows: dict[str, int]) -> dict[str, int]:
    """{key: count} in the window starting at `windows[key]` (Unix seconds); a count of an older window is 0."""
    table, key, count, start, _expires = _names()
    marks = ", ".join(["%s"] * len(windows))
    sql = f"SELECT {key}, {count}, {start} FROM {table} WHERE {key} IN ({marks})"  # noqa: S608 # nosec B608 # model names
    with connection.cursor() as cursor:  # on every "Send": plain SQL, no query to compile
        cursor.execute(sql, list(windows))
        rows = cursor.fetchall()
    return {k: c for k, c, s in rows if int(s) == windows[k]}


def count_hits(windows: Sequence[tuple[str, int, int]]) -> dict[str, int]:
    """One hit for each (key, window start, window seconds), in one statement: {key: its new count}.
    Call it in the caller's transaction; each row stays locked until it ends. Give the keys in a fixed
    order (sorted) so that two transactions never wait for each other's rows crosswise."""
    table, key, count, start, expires = _names()
    params: list[object] = []
    for k, begins, seconds in windows:
        params += [k, begins, connection.ops.adapt_datetimefield_value(
            datetime.fromtimestamp(begins + seconds + 60, tz=UTC))]
    returning = connection.features.can_return_rows_from_bulk_insert
    # A row of an older window starts again at 1. Model names and placeholders only (nosec).
    values = ", ".join(["(%s, 1, %s, %s)"] * len(windows))
    sql = f"INSERT INTO {table} ({key}, {count}, {start}, {expires}) VALUES {values}"  # noqa: S608 # nosec B608
    new_count = f"CASE WHEN {table}.{start} = EXCLUDED.{start} THEN {table}.{count} + 1 ELSE 1 END"
    update = f"{count} = {new_count}, {start} = EXCLUDED.{start}, {expires} = EXCLUDED.{expires}"
    sql += f" ON CONFLICT ({key}) DO UPDATE SET {update}"  # nosec B608
    sql += f" RETURNING {key}, {count}" if returning else ""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if returning:
            return dict(cursor.fetchall())
    return dict(RateCounter.objects.filter(key__in=[w[0] for w in windows]).values_list("key", "count"))
