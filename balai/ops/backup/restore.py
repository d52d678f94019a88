"""Bringing an archive back into an EMPTY instance, and proving it came back whole (ADR 0025).

Order: check the whole archive first (decrypt, every checksum against the manifest) before anything is
touched; refuse an instance that already holds data (unless forced); restore the database, then the
files; then verify: row counts as in the manifest, the audit chain intact and ending at the manifest's
head (`balai.audit.services.verify_chain`), every attachment's file present with its recorded SHA-256.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.db import connections
from django.db.migrations.loader import MigrationLoader

from balai.ops.backup import database
from balai.ops.backup.archive import FILES, read_archive, storage_files


class RestoreRefused(RuntimeError):
    """The instance is not empty, or the archive does not fit this code; nothing was changed."""


@dataclass
class Check:
    name: str
    ok: bool
    detail: str = ""


@dataclass
class RestoreReport:
    manifest: dict
    checks: list[Check] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)

    def as_dict(self) -> dict:
        return {"ok": self.ok, "backup_created_at": self.manifest.get("created_at"),
                "checks": [{"name": c.name, "ok": c.ok, "detail": c.detail} for c in self.checks],
                "notes": self.notes}


def instance_contents(*, alias: str = "default", storage: Storage = default_storage) -> list[str]:
    """What this instance already holds that a restore would overwrite ([] = empty). A freshly migrated
    database with no cases, people, messages or audit records counts as empty."""
    from balai.audit.models import AuditRecord
    from balai.cases.models import Case
    from balai.notify.models import Message
    from balai.people.models import User

    found = []
    connection = connections[alias]
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
    for model in (User, Case, AuditRecord, Message):
        if model._meta.db_table in tables and model.objects.using(alias).exists():
            found.append(f"table {model._meta.db_table} has rows")
    first_file = next(iter(storage_files(storage)), None)
    if first_file is not None:
        found.append("the attachment store has files")
    return found


def _unknown_migrations(applied: list[str]) -> list[str]:
    known = {f"{app}.{name}" for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations}
    return sorted(set(applied) - known)


def _missing_migrations(applied: list[str]) -> list[str]:
    known = {f"{app}.{name}" for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations}
    return sorted(known - set(applied))


def _sha256_of(storage: Storage, name: str) -> tuple[int, str]:
    sha, size = hashlib.sha256(), 0
    with storage.open(name, "rb") as handle:
        while chunk := handle.read(1 << 20):
            sha.update(chunk)
            size += len(chunk)
    return size, sha.hexdigest()


def restore_backup(*, path: Path, key: bytes, alias: str = "default", force: bool = False,
                   workdir: Path | None = None, storage: Storage = default_storage) -> RestoreReport:
    private = Path(tempfile.mkdtemp(prefix="balai-restore-", dir=workdir))
    try:
        contents = read_archive(path=path, key=key, extract_to=private)  # raises before anything changes
        manifest = contents.manifest
        report = RestoreReport(manifest=manifest)
        report.checks.append(Check("archive", True, f"decrypted; {len(contents.members)} members match the "
                                                    f"manifest of {manifest['created_at']}"))
        unknown = _unknown_migrations(manifest["migrations"])
        if unknown and not force:
            raise RestoreRefused("the backup was made by newer code (migrations unknown here: "
                                 f"{', '.join(unknown[:5])}); deploy that version first, or --force")
        existing = instance_contents(alias=alias, storage=storage)
        if existing and not force:
            raise RestoreRefused("this instance is not empty (" + "; ".join(existing)
                                 + "): restore into an empty database and attachment store, or --force")

        database.restore(alias=alias, vendor=manifest["database"]["vendor"],
                         path=private / manifest["database"]["member"])
        connections.close_all()
        for entry in manifest["files"]:
            name = entry["name"]
            if storage.exists(name):
                storage.delete(name)  # only with --force: an empty store has none
            with open(private / (FILES + name), "rb") as handle:
                saved = storage.save(name, File(handle, name=name))
            if saved != name:
                report.checks.append(Check("files", False, f"stored as {saved} instead of {name}"))
        _verify(report, alias=alias, storage=storage)
        missing = _missing_migrations(manifest["migrations"])
        if missing:
            report.notes.append(f"{len(missing)} migration(s) of this code are not applied yet: "
                                "run manage.py migrate")
        return report
    finally:
        shutil.rmtree(private, ignore_errors=True)


def _cache_tables() -> set[str]:
    from django.conf import settings

    return {str(conf.get("LOCATION")) for conf in settings.CACHES.values()
            if conf.get("BACKEND", "").endswith("DatabaseCache")}


def _verify(report: RestoreReport, *, alias: str, storage: Storage) -> None:
    from balai.audit.services import verify_chain
    from balai.cases.models import Attachment

    manifest = report.manifest
    counts = database.live_row_counts(alias=alias)
    volatile = _cache_tables()  # anything running against the instance may write its cache
    differing = {t: (n, counts.get(t)) for t, n in manifest["row_counts"].items()
                 if counts.get(t) != n and t not in volatile}
    report.checks.append(Check("row counts", not differing,
                               f"{len(manifest['row_counts'])} tables as in the backup" if not differing
                               else f"differ (backup, restored): {dict(list(differing.items())[:5])}"))

    chain = verify_chain()
    expected = manifest["audit"]
    chain_ok = chain.ok and chain.checked == expected["records"] and (
        chain.head == expected["head"] or expected["records"] == 0)
    detail = (f"{chain.checked} records intact, head {chain.head[:16]}… as in the backup" if chain_ok else
              f"broken at #{chain.first_bad_id}: {chain.reason}" if not chain.ok else
              f"{chain.checked} records ending at {chain.head[:16]}…, the backup had {expected['records']} "
              f"ending at {expected['head'][:16]}…")
    report.checks.append(Check("audit chain", chain_ok, detail))

    bad, checked = [], 0
    for name, size, sha in Attachment.objects.using(alias).values_list("storage_name", "size", "sha256").iterator():
        checked += 1
        try:
            got = _sha256_of(storage, name)
        except FileNotFoundError:
            bad.append(f"{name} missing")
            continue
        if got != (size, sha):
            bad.append(f"{name} differs from its recorded SHA-256")
    report.checks.append(Check("attachments", not bad, f"{checked} files with their recorded SHA-256"
                               if not bad else f"{len(bad)} of {checked} bad: {bad[:5]}"))

    files_bad = []
    for entry in manifest["files"]:
        try:
            if _sha256_of(storage, entry["name"]) != (entry["size"], entry["sha256"]):
                files_bad.append(entry["name"])
        except FileNotFoundError:
            files_bad.append(entry["name"])
    report.checks.append(Check("files", not files_bad, f"{len(manifest['files'])} files as in the manifest"
                               if not files_bad else f"{len(files_bad)} differ: {files_bad[:5]}"))
