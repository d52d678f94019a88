"""`manage.py verify_audit`: walk the audit chain and report the first broken or missing link."""

from __future__ import annotations

import sys
import time

from django.core.management.base import BaseCommand

from balai.audit.selectors import chain_head
from balai.audit.services import verify_chain


class Command(BaseCommand):
    help = "Verify the hash chain of the audit trail; exits with status 1 when it is broken."

    def add_arguments(self, parser):
        parser.add_argument("--chunk-size", type=int, default=5000)
        parser.add_argument(
            "--progress-every", type=int, default=100_000, help="print progress every N records (0: never)"
        )

    def handle(self, *args, chunk_size: int, progress_every: int, **options):
        total, _head = chain_head()
        started = time.monotonic()

        def progress(done: int) -> None:
            rate = done / max(time.monotonic() - started, 1e-9)
            self.stderr.write(f"  {done:,}/{total:,} records checked ({rate:,.0f}/s)")

        show = progress if progress_every and total > progress_every else None
        report = verify_chain(chunk_size=chunk_size, progress=show, progress_every=progress_every or 1)
        if report.ok:
            self.stdout.write(f"OK: {report.checked} records, head {report.head}")
            return
        self.stdout.write(f"BROKEN at record #{report.first_bad_id}: {report.reason}")
        sys.exit(1)
