"""Commands that write reference data every agency shares leave a record in the audit chain, in the same
transaction as the change (ADR 0015): `import_regions` writes one summary record per run with the counts,
the codes added and changed, and the file it read; a run that changes nothing records nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from balai.agencies import regions
from balai.agencies.models import Region
from balai.audit.models import AuditRecord
from balai.audit.services import verify_chain

pytestmark = pytest.mark.django_db
ROWS = ("kode,nama,tingkat\n64,Kalimantan Timur,1\n64.72,Kota Samarinda,2\n"
        "64.72.01,Samarinda Ulu,3\n64.72.01.1001,Air Hitam,4\n")


def _csv(tmp_path):
    path = tmp_path / "wilayah.csv"
    path.write_text(ROWS, encoding="utf-8")
    return path


def _run(path) -> None:
    call_command("import_regions", "--file", str(path), "--verbosity", "0", stdout=StringIO())


def test_a_region_import_is_one_audit_record_with_its_counts(tmp_path):
    path = _csv(tmp_path)
    _run(path)
    assert Region.objects.count() == 4
    record = AuditRecord.objects.get(action="agencies.region.import")
    assert record.actor is None and record.actor_label == "system:command:import_regions"
    assert record.data["via"] == "command:import_regions" and record.data["source"].startswith("wilayah.csv sha256:")
    assert (record.data["rows"], record.data["created"], record.data["changed"]) == (4, 4, 0)
    assert record.data["created_codes"] == ["64", "64.72", "64.72.01", "64.72.01.1001"]

    Region.objects.filter(code="64.72").update(name="Salah")
    _run(path)
    renamed = AuditRecord.objects.filter(action="agencies.region.import").latest("id")
    assert renamed.pk != record.pk and Region.objects.get(code="64.72").name == "Kota Samarinda"
    assert (renamed.data["created"], renamed.data["changed"], renamed.data["unchanged"]) == (0, 1, 3)
    assert renamed.data["changed_codes"] == ["64.72"]

    _run(path)  # nothing changed, nothing recorded
    assert AuditRecord.objects.filter(action="agencies.region.import").count() == 2
    assert verify_chain().ok


def test_regions_are_not_written_when_their_record_is_not(tmp_path, monkeypatch):
    def refuse(**kwargs):
        raise RuntimeError("the audit chain is unavailable")

    monkeypatch.setattr(regions, "audit_change", refuse)
    with pytest.raises(RuntimeError):
        _run(_csv(tmp_path))
    assert not Region.objects.exists()
