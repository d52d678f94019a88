"""`manage.py verify_backup ARCHIVE`: decrypt an archive and check every checksum, without restoring."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from balai.ops.backup.archive import read_archive
from balai.ops.backup.crypto import BackupCorrupt, BackupKeyError, load_key


class Command(BaseCommand):
    help = "Check that a backup archive decrypts with BALAI_BACKUP_KEY and matches its manifest (exit 1 if not)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive", type=Path)

    def handle(self, *args, archive: Path, **options) -> None:
        try:
            contents = read_archive(path=archive, key=load_key(settings.BALAI_BACKUP_KEY))
        except (BackupKeyError, BackupCorrupt, FileNotFoundError) as exc:
            raise CommandError(f"{archive}: {exc}") from exc
        m = contents.manifest
        self.stdout.write(
            f"OK: {archive} made {m['created_at']} by Balai {m['versions']['balai']} on {m['versions']['database']}; "
            f"{sum(m['row_counts'].values()):,} rows, {len(m['files'])} files, audit chain "
            f"{m['audit']['records']} records ending {m['audit']['head'][:16]}…; every checksum matches")
        for problem in m.get("problems", []):
            self.stdout.write(f"noted when it was made: {problem}")
