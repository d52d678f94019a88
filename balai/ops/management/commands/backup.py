"""`manage.py backup`: an encrypted, checksummed archive of the database and the attachment store."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from balai.ops.backup.archive import create_backup
from balai.ops.backup.crypto import BackupKeyError, generate_key, load_key

SUFFIX = ".balai-backup"


class Command(BaseCommand):
    help = ("Write an encrypted backup (database + attachments + manifest with checksums) to BALAI_BACKUP_DIR "
            "or --output; key from BALAI_BACKUP_KEY. Exits 1 when attachments were missing or changed.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--output", type=Path, help="archive path (default: BALAI_BACKUP_DIR/balai-<time>.balai-backup)")
        parser.add_argument("--keep", type=int, default=0,
                            help="afterwards keep only this many newest archives in the output's folder (0: all)")
        parser.add_argument("--workdir", type=Path, help="folder for the temporary plain dump (default: system temp)")
        parser.add_argument("--database", default="default")
        parser.add_argument("--generate-key", action="store_true", dest="make_key", help="print a new key for BALAI_BACKUP_KEY and stop")

    def handle(self, *args, output: Path | None, keep: int, workdir: Path | None, database: str,
               make_key: bool, **options) -> None:
        if make_key:
            self.stdout.write(generate_key())
            return
        try:
            key = load_key(settings.BALAI_BACKUP_KEY)
        except BackupKeyError as exc:
            raise CommandError(str(exc)) from exc
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        path = output or Path(settings.BALAI_BACKUP_DIR) / f"balai-{stamp}{SUFFIX}"
        result = create_backup(output=path, key=key, alias=database, workdir=workdir)
        manifest = result.manifest
        self.stdout.write(
            f"{path}: {path.stat().st_size:,} bytes; {sum(manifest['row_counts'].values()):,} rows in "
            f"{len(manifest['row_counts'])} tables, {len(manifest['files'])} files, audit chain "
            f"{manifest['audit']['records']} records")
        if keep > 0:
            archives = sorted(path.parent.glob(f"*{SUFFIX}"), key=lambda p: p.stat().st_mtime, reverse=True)
            for old in archives[keep:]:
                old.unlink()
                self.stdout.write(f"removed {old}")
        if result.problems:
            for problem in result.problems:
                self.stderr.write(f"PROBLEM: {problem}")
            raise CommandError(f"backup written, but with {len(result.problems)} problem(s): see above")
