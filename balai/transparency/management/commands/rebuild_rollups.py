"""`manage.py rebuild_rollups`: recompute every transparency roll-up from the cases (ADR 0010)."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from balai.transparency.rollup import rebuild


class Command(BaseCommand):
    help = "Rebuild the transparency roll-ups from scratch."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--chunk-size", type=int, default=5000)

    def handle(self, *args, chunk_size: int = 5000, verbosity: int = 1, **options) -> None:
        progress = (lambda line: self.stdout.write(line)) if verbosity > 1 else None
        report = rebuild(chunk_size=chunk_size, progress=progress)
        self.stdout.write(_("Rebuilt %(cases)d cases into %(cells)d cells (events up to #%(event)d).")
                          % {"cases": report.cases, "cells": report.cells, "event": report.last_event_id})
