"""`manage.py restore ARCHIVE`: restore a backup into an EMPTY instance and verify it (ADR 0025)."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from balai.ops.backup.crypto import BackupCorrupt, BackupKeyError, load_key
from balai.ops.backup.restore import RestoreRefused, restore_backup


class Command(BaseCommand):
    help = ("Restore a backup into an empty instance (database and attachment store), then verify row counts, "
            "the audit chain and every attachment's checksum. Exits 1 when anything does not match.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument("--force", action="store_true",
                            help="overwrite an instance that already holds data (it is lost)")
        parser.add_argument("--workdir", type=Path, help="folder for the temporary plain files (default: system temp)")
        parser.add_argument("--database", default="default")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args, archive: Path, force: bool, workdir: Path | None, database: str, json: bool,
               **options) -> None:
        try:
            report = restore_backup(path=archive, key=load_key(settings.BALAI_BACKUP_KEY), alias=database,
                                    force=force, workdir=workdir)
        except (BackupKeyError, BackupCorrupt, RestoreRefused, FileNotFoundError) as exc:
            raise CommandError(f"nothing restored: {exc}") from exc
        _record(report=report, archive=archive, force=force)
        if json:
            self.stdout.write(_json(report.as_dict()))
        else:
            for check in report.checks:
                self.stdout.write(f"{'OK  ' if check.ok else 'FAIL'} {check.name}: {check.detail}")
            for note in report.notes:
                self.stdout.write(f"NOTE {note}")
        if not report.ok:
            raise CommandError("restored, but the verification failed: see above")


def _json(value: dict) -> str:
    return json.dumps(value, indent=1)


def _record(*, report, archive: Path, force: bool) -> None:
    """The restore itself is written to the (restored) audit chain, after it was verified."""
    from balai.audit.services import audit_record

    with transaction.atomic():
        audit_record(action="ops.backup_restored", actor_label="manage.py restore",
                     data={"archive": archive.name, "backup_created_at": report.manifest.get("created_at"),
                           "verified": report.ok, "forced": force})
