"""Every catalog is complete: no untranslated and no fuzzy Indonesian or English string."""

from __future__ import annotations

import polib
import pytest

from balai.ops.management.commands.compile_translations import catalogs


@pytest.mark.parametrize("po_path", catalogs(), ids=lambda p: str(p.relative_to(p.parents[4])))
def test_catalog_is_complete(po_path):
    po = polib.pofile(str(po_path))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    if po_path.parts[-3] == "en":
        # English msgids: an empty msgstr falls back to the msgid itself, which is correct English.
        untranslated = []
    assert not untranslated, f"untranslated in {po_path}: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy in {po_path}: {fuzzy[:10]}"
