"""`manage.py load_demo`: load (or refresh) the Kalimantan Timur demo data. Idempotent."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from balai.ops.demo import STEPS, run_steps


class Command(BaseCommand):
    help = ("Load the Kalimantan Timur demo data (regions, agencies, services, demo users, …) in Bahasa "
            "Indonesia and English. Safe to run again: nothing is duplicated. Demo passwords are public.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--only", nargs="+", choices=STEPS, metavar="STEP",
                            help=f"Run only these steps (of: {', '.join(STEPS)}).")

    def handle(self, *args, **options) -> None:
        from django.conf import settings

        if getattr(settings, "PRODUCTION", False):
            raise CommandError("Refusing to load demo data in production.")
        if not getattr(settings, "DEMO_MODE", False):
            # Demo accounts have public passwords: they belong to an instance that says it is a demo.
            raise CommandError("Demo data is loaded in demo mode only: run with BALAI_DEMO=1 (`make run` does).")
        verbosity = options["verbosity"]

        def log(message: str) -> None:
            if verbosity >= 1:
                self.stdout.write(message)

        with transaction.atomic():
            done = run_steps(log=log, only=options.get("only"))
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded ({', '.join(done)})."))
