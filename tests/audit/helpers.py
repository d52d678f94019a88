"""Test helpers: raw-SQL tampering with the audit table (the triggers must be lifted first, honestly)."""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection

TABLE = "audit_auditrecord"


@contextmanager
def triggers_lifted():
    """Lift the append-only triggers inside the test's transaction (rolled back with the test)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER audit_auditrecord_append_only")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS audit_auditrecord_no_update")
    yield


def raw_update(pk: int, **values) -> None:
    sets = ", ".join(f"{column} = %s" for column in values)
    with triggers_lifted(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET {sets} WHERE id = %s", [*values.values(), pk])


def raw_delete(pk: int) -> None:
    with triggers_lifted(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [pk])
