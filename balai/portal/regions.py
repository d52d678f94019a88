"""The region picker of the portal: find a place by typing OR by choosing, without JavaScript.

Typing: `search_regions` looks up district and village names (and regencies/cities) inside the
instance's province on the server; the page lists the matches to choose from. Choosing: a cascade of
plain GET steps, regency/city → district → village (`regencies`, `districts`, `villages`). Villages are
offered where the region data has them (docs/regulations.md §6; `manage.py import_regions`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from balai.agencies import selectors
from balai.agencies.models import Region
from balai.catalog.form_definition import normalize_region_code

MAX_MATCHES = 12
# Words people type in front of a place name that are not part of the name.
_NOISE = re.compile(
    r"\b(desa|kelurahan|kel|kecamatan|kec|kabupaten|kab|kota|kampung|dusun|rt|rw)\b\.?", re.IGNORECASE
)


@dataclass(frozen=True)
class RegionChoice:
    code: str
    name: str
    level: str
    label: str  # the name with its level and the places above it, e.g. "Kelurahan X, Kec. Y, Kota Z"


def _province() -> str:
    return settings.BALAI_GOVERNMENT_CODE


def _level_word(level: str) -> str:
    return {
        Region.Level.VILLAGE: _("Village"),
        Region.Level.URBAN_VILLAGE: _("Urban village"),
        Region.Level.DISTRICT: _("District"),
        Region.Level.REGENCY: _("Regency"),
        Region.Level.CITY: _("City"),
    }.get(level, "")


def _ancestor_codes(code: str) -> list[str]:
    parts = code.split(".")
    return [".".join(parts[:i]) for i in range(len(parts) - 1, 1, -1)]


def _labels(regions: list[Region]) -> list[RegionChoice]:
    names = selectors.region_names({c for r in regions for c in _ancestor_codes(r.code)})
    out = []
    for region in regions:
        above = [names[c] for c in _ancestor_codes(region.code) if c in names]
        own = f"{region.name} ({_level_word(region.level).lower()})" if region.level != Region.Level.PROVINCE else region.name
        out.append(RegionChoice(region.code, region.name, region.level, ", ".join([own, *above])))
    return out


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


def clean_query(raw: str) -> str:
    text = _NOISE.sub(" ", (raw or "")[:100])
    return " ".join(re.sub(r"[^\w\s'-]", " ", text).split())


def search_regions(query: str, *, limit: int = MAX_MATCHES) -> list[RegionChoice]:
    """Regions of the province whose name contains every typed word; best matches first.

    Order: exact name, then names starting with the words, then the rest; smaller places (villages)
    before larger ones within each group, because people usually type the name of their village.
    """
    words = clean_query(query).split()
    if not words or sum(len(w) for w in words) < 3:
        return []
    candidates = selectors.regions_named(words, within=_province())
    typed = _fold(" ".join(words))

    def rank(region: Region) -> tuple:
        name = _fold(region.name)
        return (0 if name == typed else 1 if name.startswith(typed) else 2, -region.code.count("."), region.name)

    return _labels(sorted(candidates, key=rank)[:limit])


def regencies() -> list[RegionChoice]:
    return _labels(selectors.regencies(province_code=_province()))


def _children(parent_code: str, depth: int) -> list[RegionChoice]:
    if not parent_code or parent_code.count(".") != depth - 1 or not parent_code.startswith(_province() + "."):
        return []
    return [RegionChoice(r.code, r.name, r.level, r.name) for r in selectors.child_regions(parent_code)]


def districts(regency_code: str) -> list[RegionChoice]:
    return _children(regency_code, 2)


def villages(district_code: str) -> list[RegionChoice]:
    return _children(district_code, 3)


def region_by_code(code: str) -> Region | None:
    """A region of the province by its dotted (or undotted) code, or None."""
    code = normalize_region_code(code or "")
    if not code.startswith(_province() + "."):
        return None
    return selectors.region_by_code(code)


def region_label(region: Region | None) -> str:
    return _labels([region])[0].label if region is not None else ""
