"""The nine SKM elements of PermenPANRB 14/2017 (docs/regulations.md §1), keyed by NAME, never by position
(some copies of the regulation swap the last two)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Element:
    key: str
    label: Promise  # English msgid, Indonesian in the catalog
    name_id: str  # the regulation's own name


ELEMENTS: tuple[Element, ...] = (
    Element("persyaratan", _("Requirements"), "Persyaratan"),
    Element("prosedur", _("System, mechanism and procedure"), "Sistem, mekanisme dan prosedur"),
    Element("waktu", _("Time to complete"), "Waktu penyelesaian"),
    Element("biaya", _("Cost or fee"), "Biaya/tarif"),
    Element("produk", _("Product: specification of the service"), "Produk spesifikasi jenis pelayanan"),
    Element("kompetensi", _("Competence of the staff"), "Kompetensi pelaksana"),
    Element("perilaku", _("Behaviour of the staff"), "Perilaku pelaksana"),
    Element("sarana", _("Facilities and infrastructure"), "Sarana dan prasarana"),
    Element("pengaduan", _("Handling of complaints, suggestions and feedback"),
            "Penanganan pengaduan, saran dan masukan"),
)

ELEMENT_KEYS: tuple[str, ...] = tuple(e.key for e in ELEMENTS)
BY_KEY: dict[str, Element] = {e.key: e for e in ELEMENTS}

MIN_SCORE = 1
MAX_SCORE = 4

# The 1–4 answer scale (docs/regulations.md §1); for cost 1 = very expensive … 4 = free.
SCALE: dict[int, Promise] = {
    1: _("Not as expected"),
    2: _("Somewhat as expected"),
    3: _("As expected"),
    4: _("Fully as expected"),
}
COST_SCALE: dict[int, Promise] = {
    1: _("Very expensive"),
    2: _("Rather expensive"),
    3: _("Cheap"),
    4: _("Free"),
}
