"""Django's database sessions (`SESSION_ENGINE`), read and saved with one plain statement each.

The same `django_session` table, rows, signing and routing as `django.contrib.sessions.backends.db`: a
session written by either is read by the other. Every portal page reads its session, and every request
that has one saves it (`SESSION_SAVE_EVERY_REQUEST`: the idle timeout restarts on each page), so on a
portal step the ORM's building of that SELECT and that UPDATE (and its save signals, which nothing here
follows) cost more than the statements. Creating, deleting and clearing sessions stay Django's.
docs/adr/0049-database-sessions-read-and-saved-with-plain-statements.md.
"""

from __future__ import annotations

from functools import cache

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import UpdateError
from django.db import connections, router
from django.utils import timezone


@cache
def _statements(alias: str) -> tuple[str, str]:
    """(SELECT of a live session's data, UPDATE of its data and expiry) with the table's quoted names."""
    from django.contrib.sessions.models import Session

    quote = connections[alias].ops.quote_name
    table = quote(Session._meta.db_table)
    key, data, expires = (quote(f) for f in ("session_key", "session_data", "expire_date"))  # no db_column
    # Model names and placeholders only (nosec).
    return (f"SELECT {data} FROM {table} WHERE {key} = %s AND {expires} > %s",  # noqa: S608 # nosec B608
            f"UPDATE {table} SET {data} = %s, {expires} = %s WHERE {key} = %s")  # noqa: S608 # nosec B608


class SessionStore(db.SessionStore):
    """Named as Django's (the signing salt is made from the class name): existing sessions stay valid."""

    def load(self) -> dict:
        key = self.session_key
        if key is None:
            return {}
        using = router.db_for_read(self.model)
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(_statements(using)[0], [key, connection.ops.adapt_datetimefield_value(timezone.now())])
            row = cursor.fetchone()
        if row is None:  # unknown or expired: the visitor gets a new session, as with Django's
            self._session_key = None
            return {}
        return self.decode(row[0])

    def save(self, must_create: bool = False) -> None:
        if self.session_key is None or must_create:
            super().save(must_create=must_create)  # a new session: Django's INSERT (CreateError on a clash)
            return
        data = self._get_session(no_load=False)  # type: ignore[attr-defined]  # as Django's save
        using = router.db_for_write(self.model)
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(_statements(using)[1], [self.encode(data), connection.ops.adapt_datetimefield_value(
                self.get_expiry_date()), self.session_key])
            if cursor.rowcount != 1:  # deleted meanwhile (e.g. a logout elsewhere): as Django's forced update
                raise UpdateError
