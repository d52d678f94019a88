"""Region import from the shipped Kemendagri CSV (docs/regulations.md §6)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from balai.agencies.models import Government, Region
from balai.agencies.regions import DEFAULT_FILE, import_regions, level_for
from balai.agencies.selectors import default_government, region_ancestors

pytestmark = pytest.mark.django_db


def test_level_rules():
    assert level_for("64") == "province"
    assert level_for("64.09") == "regency"
    assert level_for("64.71") == "city"
    assert level_for("64.72.01") == "district"
    assert level_for("64.72.01.1001") == "urban_village"
    assert level_for("64.01.01.2001") == "village"


def test_shipped_file_and_licence_travel_together():
    assert DEFAULT_FILE.is_file()
    licence = DEFAULT_FILE.parent / "LICENSE-wilayah"
    assert "MIT License" in licence.read_text()
    assert "Cahya DSN" in licence.read_text()


def test_import_command_loads_all_of_kaltim_and_is_idempotent():
    out = StringIO()
    call_command("import_regions", "--province", "64", stdout=out)
    assert "1154/1154" in out.getvalue()  # progress output
    assert Region.objects.count() == 1154
    assert Region.objects.filter(level="province").count() == 1
    assert Region.objects.filter(level__in=["regency", "city"]).count() == 10
    assert set(Region.objects.filter(level="city").values_list("code", flat=True)) == {"64.71", "64.72", "64.74"}
    assert Region.objects.filter(level="district").count() == 105
    assert Region.objects.filter(level__in=["village", "urban_village"]).count() == 1038
    samarinda_ulu = Region.objects.get(code="64.72.01")
    assert samarinda_ulu.parent.code == "64.72"
    assert samarinda_ulu.parent.parent.code == "64"
    assert not Region.objects.exclude(level="province").filter(parent__isnull=True).exists()
    ids_before = dict(Region.objects.values_list("code", "id"))

    call_command("import_regions", stdout=StringIO())
    assert Region.objects.count() == 1154
    assert dict(Region.objects.values_list("code", "id")) == ids_before


def test_import_updates_renamed_rows():
    import_regions(max_depth=1, via="test")
    assert Region.objects.count() == 11
    Region.objects.filter(code="64.72").update(name="Salah")
    import_regions(max_depth=1, via="test")
    assert Region.objects.get(code="64.72").name == "Kota Samarinda"


def test_import_command_rejects_bad_arguments(tmp_path):
    with pytest.raises(CommandError, match="two-digit"):
        call_command("import_regions", "--province", "6x", stdout=StringIO())
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_regions", "--file", str(tmp_path / "missing.csv"), stdout=StringIO())
    with pytest.raises(CommandError, match="No rows"):
        call_command("import_regions", "--province", "99", stdout=StringIO())


def test_default_government_and_ancestors(settings):
    import_regions(max_depth=3, via="test")
    region = Region.objects.get(code="64")
    government = Government.objects.create(name="Pemerintah Provinsi Kalimantan Timur", region=region)
    settings.BALAI_GOVERNMENT_CODE = "64"
    assert default_government() == government
    village = Region.objects.filter(level="urban_village", code__startswith="64.72.").first()
    assert [r.level for r in region_ancestors(village)] == ["urban_village", "district", "city", "province"]
