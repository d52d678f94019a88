"""Loading Kemendagri region codes (Kepmendagri 300.2.2-2138/2025) from the shipped CSV.

The CSV (`data/wilayah-64.csv`) is the Kalimantan Timur part of cahyadsn/wilayah (MIT licence, see
`data/LICENSE-wilayah`). Levels follow docs/regulations.md §6: regency codes 01–69, city codes 71–99;
in a village code the first of the last four digits is 1 for a kelurahan and 2 for a desa.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from balai.agencies.models import Region
from balai.audit.services import audit_change

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_FILE = DATA_DIR / "wilayah-64.csv"
BATCH_SIZE = 500
AUDIT_CODES = 200  # codes named in an import's audit record; the counts are always complete


@dataclass(frozen=True)
class RegionRow:
    code: str
    name: str
    level: str

    @property
    def parent_code(self) -> str | None:
        return self.code.rsplit(".", 1)[0] if "." in self.code else None

    @property
    def depth(self) -> int:
        return self.code.count(".")


def level_for(code: str) -> str:
    """The Region level of a dotted Kemendagri code (docs/regulations.md §6)."""
    parts = code.split(".")
    if len(parts) == 1:
        return Region.Level.PROVINCE
    if len(parts) == 2:
        return Region.Level.CITY if int(parts[1]) >= 71 else Region.Level.REGENCY
    if len(parts) == 3:
        return Region.Level.DISTRICT
    return Region.Level.URBAN_VILLAGE if parts[3].startswith("1") else Region.Level.VILLAGE


def read_rows(path: Path | str = DEFAULT_FILE, *, province: str = "64", max_depth: int = 3) -> list[RegionRow]:
    """The rows of `path` inside `province`, down to `max_depth` (0 province … 3 village), parents first."""
    rows: list[RegionRow] = []
    with open(path, encoding="utf-8", newline="") as handle:
        for record in csv.DictReader(handle):
            code = (record.get("kode") or "").strip()
            if code != province and not code.startswith(province + "."):
                continue
            row = RegionRow(code=code, name=(record.get("nama") or "").strip(), level=level_for(code))
            if row.depth <= max_depth:
                rows.append(row)
    rows.sort(key=lambda r: (r.depth, r.code))
    return rows


def _stored(codes: list[str]) -> dict[str, tuple[str, str, str | None]]:
    """(name, level, parent code) of the regions already stored among `codes`, read a batch at a time."""
    stored: dict[str, tuple[str, str, str | None]] = {}
    for start in range(0, len(codes), BATCH_SIZE):
        for code, name, level, parent in Region.objects.filter(code__in=codes[start:start + BATCH_SIZE]).values_list(
                "code", "name", "level", "parent__code"):
            stored[code] = (name, level, parent)
    return stored


def upsert_regions(rows: Iterable[RegionRow], *, via: str, source: str = "",
                   progress: Callable[[int, int], None] | None = None) -> int:
    """Insert or update `rows` (parents first) in batches, setting parent links; returns the row count.

    Idempotent: a bulk upsert on the unique code, so a second run changes nothing but names and levels.
    Regions are reference data every agency shares (ADR 0015): a run that adds or changes any is one
    "agencies.region.import" record in the audit chain, in the same transaction, with the counts, the
    codes changed (at most `AUDIT_CODES`) and `via` (the command that ran it); a run that changes nothing
    records nothing.
    """
    rows = list(rows)
    total = len(rows)
    done = 0
    with transaction.atomic():
        stored = _stored([r.code for r in rows])
        created = [r.code for r in rows if r.code not in stored]
        changed = [r.code for r in rows
                   if r.code in stored and stored[r.code] != (r.name, r.level, r.parent_code)]
        for depth in sorted({r.depth for r in rows}):
            level_rows = [r for r in rows if r.depth == depth]
            parent_codes = {r.parent_code for r in level_rows if r.parent_code}
            parent_ids = dict(Region.objects.filter(code__in=parent_codes).values_list("code", "id"))
            for start in range(0, len(level_rows), BATCH_SIZE):
                batch = level_rows[start:start + BATCH_SIZE]
                objs = []
                for r in batch:
                    parent_id = parent_ids.get(r.parent_code) if r.parent_code else None
                    if r.parent_code and parent_id is None:
                        raise ValueError(f"Region {r.code}: parent {r.parent_code} is missing from the data.")
                    objs.append(Region(code=r.code, name=r.name, level=r.level, parent_id=parent_id))
                Region.objects.bulk_create(
                    objs, update_conflicts=True, unique_fields=["code"],
                    update_fields=["name", "level", "parent"],
                )
                done += len(batch)
                if progress:
                    progress(done, total)
        if created or changed:
            audit_change(action="agencies.region.import", actor=None, via=via, data={
                "source": source, "rows": total, "created": len(created), "changed": len(changed),
                "unchanged": total - len(created) - len(changed),
                "created_codes": created[:AUDIT_CODES], "changed_codes": changed[:AUDIT_CODES]})
    return total


def import_regions(*, via: str, province: str = "64", path: Path | str = DEFAULT_FILE, max_depth: int = 3,
                   progress: Callable[[int, int], None] | None = None) -> int:
    """Load a province and its regions down to `max_depth` (1 = regencies/cities only, 3 = villages), audited
    as run by `via` ("command:import_regions") with the file's name and SHA-256 (`upsert_regions`)."""
    path = Path(path)
    source = f"{path.name} sha256:{hashlib.sha256(path.read_bytes()).hexdigest()}"
    return upsert_regions(read_rows(path, province=province, max_depth=max_depth), via=via, source=source,
                          progress=progress)
