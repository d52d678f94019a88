"""Compile the .po catalogs to .mo with polib, so a machine without GNU gettext can run Balai."""

from __future__ import annotations

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile balai/locale/*/LC_MESSAGES/*.po into .mo files (pure Python, no gettext needed)."

    def handle(self, *args, **options) -> None:
        count = 0
        for locale_dir in settings.LOCALE_PATHS:
            for po_path in Path(locale_dir).glob("*/LC_MESSAGES/*.po"):
                polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
                count += 1
        self.stdout.write(f"Compiled {count} catalog(s).")
