"""`manage.py import_regions`: load a province's districts and villages from the shipped CSV."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from balai.agencies.regions import DEFAULT_FILE, import_regions


class Command(BaseCommand):
    help = "Load (or update) a province's regions from the Kemendagri CSV (idempotent bulk upsert)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--file", default=str(DEFAULT_FILE), help="CSV with kode,nama,tingkat columns.")
        parser.add_argument("--province", default="64", help="Two-digit province code (default 64).")
        parser.add_argument("--depth", type=int, default=3, choices=[0, 1, 2, 3],
                            help="0 province, 1 regencies/cities, 2 districts, 3 villages (default).")

    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        province = options["province"].strip()
        if not (province.isdigit() and len(province) == 2):
            raise CommandError("--province must be a two-digit code such as 64.")
        verbosity = options["verbosity"]

        def progress(done: int, total: int) -> None:
            if verbosity >= 1:
                self.stdout.write(f"  regions {done}/{total}")

        try:
            count = import_regions(province=province, path=path, max_depth=options["depth"], progress=progress,
                                   via="command:import_regions")
        except (ValueError, KeyError) as exc:
            raise CommandError(str(exc)) from exc
        if count == 0:
            raise CommandError(f"No rows for province {province} in {path}.")
        self.stdout.write(self.style.SUCCESS(f"Imported {count} regions for province {province}."))
