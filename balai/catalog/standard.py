"""The 14 components of a Standar Pelayanan (UU 25/2009 art. 21; PermenPANRB 15/2014).

Six components concern service delivery and are published to citizens; eight concern the management of
the service (internal, also publishable). `Service.standard` is keyed by `Component.key`, each value a
{"id": ..., "en": ...} text.
"""

from __future__ import annotations

from dataclasses import dataclass

DELIVERY = "delivery"
MANAGEMENT = "management"


@dataclass(frozen=True)
class Component:
    key: str
    label: dict[str, str]
    group: str


COMPONENTS: tuple[Component, ...] = (
    # Service delivery (komponen pelayanan yang terkait dengan proses penyampaian pelayanan)
    Component("requirements", {"id": "Persyaratan", "en": "Requirements"}, DELIVERY),
    Component("procedure", {"id": "Sistem, mekanisme dan prosedur", "en": "System, mechanism and procedure"},
              DELIVERY),
    Component("time_limit", {"id": "Jangka waktu penyelesaian", "en": "Completion time"}, DELIVERY),
    Component("fee", {"id": "Biaya/tarif", "en": "Fee/tariff"}, DELIVERY),
    Component("product", {"id": "Produk pelayanan", "en": "Service product"}, DELIVERY),
    Component("complaints", {"id": "Penanganan pengaduan, saran dan masukan",
                             "en": "Handling of complaints, suggestions and feedback"}, DELIVERY),
    # Management (komponen pelayanan yang terkait dengan proses pengelolaan pelayanan)
    Component("legal_basis", {"id": "Dasar hukum", "en": "Legal basis"}, MANAGEMENT),
    Component("facilities", {"id": "Sarana, prasarana dan/atau fasilitas",
                             "en": "Facilities and infrastructure"}, MANAGEMENT),
    Component("competence", {"id": "Kompetensi pelaksana", "en": "Competence of the staff"}, MANAGEMENT),
    Component("internal_oversight", {"id": "Pengawasan internal", "en": "Internal oversight"}, MANAGEMENT),
    Component("staffing", {"id": "Jumlah pelaksana", "en": "Number of staff"}, MANAGEMENT),
    Component("service_guarantee", {"id": "Jaminan pelayanan", "en": "Service guarantee"}, MANAGEMENT),
    Component("security_safety", {"id": "Jaminan keamanan dan keselamatan pelayanan",
                                  "en": "Security and safety guarantee"}, MANAGEMENT),
    Component("performance_evaluation", {"id": "Evaluasi kinerja pelaksana",
                                         "en": "Evaluation of staff performance"}, MANAGEMENT),
)

COMPONENT_KEYS: tuple[str, ...] = tuple(c.key for c in COMPONENTS)
BY_KEY: dict[str, Component] = {c.key: c for c in COMPONENTS}


def components_in(group: str) -> tuple[Component, ...]:
    return tuple(c for c in COMPONENTS if c.group == group)


def missing_components(standard: dict | None) -> list[str]:
    """Keys of the components without an Indonesian text (a published standard needs all 14)."""
    standard = standard if isinstance(standard, dict) else {}
    return [k for k in COMPONENT_KEYS
            if not (isinstance(standard.get(k), dict) and str(standard[k].get("id") or "").strip())]
