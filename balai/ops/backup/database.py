"""The database part of a backup: a consistent copy, what it contains, and putting it back.

PostgreSQL: a REPEATABLE READ transaction exports its snapshot; `pg_dump --snapshot` dumps exactly that
snapshot while the same transaction counts the rows and lists the attachments, so the manifest describes
the dump and the files copied are those the dump refers to. SQLite: the online backup API copies the
database into a new file while the site keeps running; the copy is then read for the same facts.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess  # nosec B404 # pg_dump/pg_restore, fixed argument lists, no shell
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connections, transaction


class DatabaseToolMissing(RuntimeError):
    pass


@dataclass
class Snapshot:
    """What the copied database holds."""

    vendor: str
    server_version: str
    member: str  # name of the dump inside the archive
    path: Path
    row_counts: dict[str, int] = field(default_factory=dict)
    attachments: dict[str, tuple[int, str]] = field(default_factory=dict)  # storage name → (size, sha256)
    audit_records: int = 0
    audit_head: str = ""
    migrations: list[str] = field(default_factory=list)  # "app.name" of every applied migration
    tool_version: str = ""


def _pg_env(settings_dict: dict) -> dict[str, str]:
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD"),
                     ("NAME", "PGDATABASE")):
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    options = settings_dict.get("OPTIONS") or {}
    if options.get("sslmode"):
        env["PGSSLMODE"] = str(options["sslmode"])
    return env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise DatabaseToolMissing(f"{name} is not installed (Debian: postgresql-client)")
    return found


def _facts(cursor, table_names: list[str], quote) -> tuple[dict, dict, int, str, list[str]]:
    """Row counts, attachments, audit chain head and migrations, read through `cursor` (DB-API)."""
    counts = {}
    for table in sorted(table_names):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 # nosec B608 # names from the catalogue
        counts[table] = int(cursor.fetchone()[0])
    attachments: dict[str, tuple[int, str]] = {}
    if "cases_attachment" in table_names:
        cursor.execute("SELECT storage_name, size, sha256 FROM cases_attachment")
        attachments = {name: (int(size), sha) for name, size, sha in cursor.fetchall()}
    records, head = 0, ""
    if "audit_auditrecord" in table_names:
        cursor.execute("SELECT hash FROM audit_auditrecord ORDER BY id DESC LIMIT 1")
        row = cursor.fetchone()
        records, head = counts["audit_auditrecord"], (row[0] if row else "")
    migrations = []
    if "django_migrations" in table_names:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        migrations = [f"{app}.{name}" for app, name in cursor.fetchall()]
    return counts, attachments, records, head, migrations


# --- SQLite --------------------------------------------------------------------------------------------

def _sqlite_tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    return [name for (name,) in rows]


def _sqlite_quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sqlite_facts(path: Path, snapshot: Snapshot) -> None:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        cursor = conn.cursor()
        counts, attachments, records, head, migrations = _facts(cursor, _sqlite_tables(conn), _sqlite_quote)
    finally:
        conn.close()
    snapshot.row_counts, snapshot.attachments = counts, attachments
    snapshot.audit_records, snapshot.audit_head, snapshot.migrations = records, head, migrations


def _dump_sqlite(alias: str, workdir: Path) -> Snapshot:
    connection = connections[alias]
    connection.ensure_connection()
    target = workdir / "balai.sqlite3"
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)  # a consistent copy while others keep writing (WAL)
    finally:
        copy.close()
    snapshot = Snapshot(vendor="sqlite", server_version=f"SQLite {sqlite3.sqlite_version}",
                        member="database/balai.sqlite3", path=target)
    _sqlite_facts(target, snapshot)
    return snapshot


# --- PostgreSQL -----------------------------------------------------------------------------------------

def _dump_postgresql(alias: str, workdir: Path) -> Snapshot:
    connection = connections[alias]
    pg_dump = _tool("pg_dump")
    target = workdir / "balai.pgdump"
    version = subprocess.run([pg_dump, "--version"], capture_output=True, text=True,  # noqa: S603 # nosec B603 # no shell
                             check=True).stdout.strip()
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
        snapshot_id, server_version = cursor.fetchone()
        done = subprocess.run(  # noqa: S603 # nosec B603 # fixed arguments, no shell
            [pg_dump, "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot_id}",
             f"--file={target}"],
            env=_pg_env(connection.settings_dict), capture_output=True, text=True,
        )
        if done.returncode != 0:
            raise RuntimeError(f"pg_dump failed: {done.stderr.strip()[:500]}")
        tables = connection.introspection.table_names(cursor)
        counts, attachments, records, head, migrations = _facts(cursor, tables, connection.ops.quote_name)
    return Snapshot(vendor="postgresql", server_version=f"PostgreSQL {server_version}",
                    member="database/balai.pgdump", path=target, row_counts=counts, attachments=attachments,
                    audit_records=records, audit_head=head, migrations=migrations, tool_version=version)


def dump(*, alias: str, workdir: Path) -> Snapshot:
    vendor = connections[alias].vendor
    if vendor == "sqlite":
        return _dump_sqlite(alias, workdir)
    if vendor == "postgresql":
        return _dump_postgresql(alias, workdir)
    raise RuntimeError(f"backups of {vendor} databases are not supported")


# --- restoring ---------------------------------------------------------------------------------------------

def restore(*, alias: str, vendor: str, path: Path) -> None:
    """Replace the database of `alias` with the dump at `path` (same vendor only)."""
    connection = connections[alias]
    if connection.vendor != vendor:
        raise RuntimeError(f"the backup holds a {vendor} database; this instance uses {connection.vendor}")
    connections.close_all()
    if vendor == "sqlite":
        name = str(connection.settings_dict["NAME"])
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        target = sqlite3.connect(name)
        try:
            source.backup(target)  # overwrites every page of the target: nothing of before survives
        finally:
            source.close()
            target.close()
        return
    done = subprocess.run(  # noqa: S603 # nosec B603 # fixed arguments, no shell
        [_tool("pg_restore"), "--no-owner", "--no-privileges", "--clean", "--if-exists", "--single-transaction",
         "--exit-on-error", f"--dbname={connection.settings_dict['NAME']}", str(path)],
        env=_pg_env(connection.settings_dict), capture_output=True, text=True,
    )
    if done.returncode != 0:
        raise RuntimeError(f"pg_restore failed: {done.stderr.strip()[:500]}")


def live_row_counts(*, alias: str) -> dict[str, int]:
    connection = connections[alias]
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        return _facts(cursor, tables, connection.ops.quote_name)[0]

