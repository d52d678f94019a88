"""Compile the .po catalogs to .mo with polib, so a machine without GNU gettext can run Balai."""

from __future__ import annotations

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


def catalogs() -> list[Path]:
    """Every .po file: the project's (LOCALE_PATHS) and each Balai app's own `locale/` folder."""
    roots = [Path(p) for p in settings.LOCALE_PATHS]
    roots += sorted((Path(settings.BASE_DIR) / "balai").glob("*/locale"))
    return [po for root in roots for po in sorted(root.glob("*/LC_MESSAGES/*.po"))]


class Command(BaseCommand):
    help = "Compile balai/locale/*/LC_MESSAGES/*.po into .mo files (pure Python, no gettext needed)."

    def handle(self, *args, **options) -> None:
        count = 0
        for po_path in catalogs():
                polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
                count += 1
        self.stdout.write(f"Compiled {count} catalog(s).")
