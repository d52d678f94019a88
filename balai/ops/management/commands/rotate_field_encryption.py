"""Rewrite every encrypted personal field under the newest key (ADR 0019); see `balai.ops.field_keys`."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from balai.ops.field_keys import rotate_field_encryption


class Command(BaseCommand):
    help = ("Re-encrypt every stored NIK (users, case answers, queued submissions) with FIELD_ENCRYPTION_KEY "
            "and recompute its look-up digest with FIELD_DIGEST_KEY. Run it after adding a new key; remove "
            "the old key from FIELD_ENCRYPTION_OLD_KEYS only after it finished without unreadable values.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Count what would be rewritten; change nothing.")

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        report = rotate_field_encryption(dry_run=dry_run)
        verb = "would rewrite" if dry_run else "rewrote"
        for table in sorted(report.checked):
            self.stdout.write(f"{table}: checked {report.checked[table]}, {verb} {report.rewritten.get(table, 0)}, "
                              f"unreadable {report.unreadable.get(table, 0)}")
        if not report.ok:
            raise CommandError("Some values could not be decrypted with the configured keys: keep the old keys "
                               "until they are found and rewritten.")
        self.stdout.write(self.style.SUCCESS("Every stored value is readable with the newest key."))
