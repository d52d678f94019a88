"""Test data for the portal's ways in (apply, complain, ask for information): used by client and browser tests."""

from __future__ import annotations

from balai.agencies.models import Region, Unit
from tests.factories import (
    AgencyFactory,
    ComplaintCategoryFactory,
    RegionFactory,
    ServiceFactory,
    UnitFactory,
)

# A minimal valid PDF and PNG (the engine sniffs content, not names, and decodes images to re-encode them).
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>"
       b"endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x03\x00\x08\xfc\x02\xfe\xa7\x9a\xa0\xa0\x00\x00\x00\x00IEND\xaeB`\x82")

FORM_DEFINITION = [
    {"name": "nama_usaha", "type": "text", "label": {"id": "Nama usaha", "en": "Business name"}, "required": True,
     "step": 1},
    {"name": "jenis_usaha", "type": "choice", "label": {"id": "Jenis usaha", "en": "Kind of business"},
     "required": True, "step": 1,
     "choices": [{"value": "dagang", "label": {"id": "Perdagangan", "en": "Trade"}},
                 {"value": "jasa", "label": {"id": "Jasa", "en": "Services"}}]},
    {"name": "jumlah_pekerja", "type": "number", "label": {"id": "Jumlah pekerja", "en": "Number of workers"},
     "required": False, "min": 0, "max": 500, "step": 1},
    {"name": "ktp", "type": "file", "label": {"id": "Foto KTP", "en": "Photo of your ID card"}, "required": True,
     "step": 2},
    {"name": "setuju", "type": "boolean", "label": {"id": "Data usaha benar", "en": "The business data is correct"},
     "required": True, "step": 2},
]


def build_regions() -> dict:
    province = RegionFactory(code="64", name="Kalimantan Timur", level=Region.Level.PROVINCE)
    city = RegionFactory(code="64.72", name="Kota Samarinda", level=Region.Level.CITY, parent=province)
    regency = RegionFactory(code="64.02", name="Kutai Kartanegara", level=Region.Level.REGENCY, parent=province)
    district = RegionFactory(code="64.72.01", name="Palaran", level=Region.Level.DISTRICT, parent=city)
    RegionFactory(code="64.72.02", name="Samarinda Ilir", level=Region.Level.DISTRICT, parent=city)
    village = RegionFactory(code="64.72.01.1001", name="Rawa Makmur", level=Region.Level.URBAN_VILLAGE,
                            parent=district)
    RegionFactory(code="64.72.01.1002", name="Bukuan", level=Region.Level.URBAN_VILLAGE, parent=district)
    loa = RegionFactory(code="64.02.05", name="Loa Janan", level=Region.Level.DISTRICT, parent=regency)
    return {"city": city, "district": district, "village": village, "loa_janan": loa}


def build_flow_data() -> dict:
    """A service with a two-page form, a complaint category, an agency with a PPID, and some regions."""
    data = {"regions": build_regions()}
    agency = AgencyFactory(slug="dpmptsp-uji", short_name="DPMPTSP", name_id="Dinas Penanaman Modal Uji",
                           name_en="Investment Office Test")
    desk = UnitFactory(agency=agency, slug="loket", kind=Unit.Kind.DESK)
    UnitFactory(agency=agency, slug="ppid", kind=Unit.Kind.PPID)
    service = ServiceFactory(code="izin-usaha-uji", agency=agency, unit=desk, name_id="Izin usaha uji",
                             name_en="Test business permit", form_definition=FORM_DEFINITION,
                             channels=["web", "counter"], accommodations=["sign_language", "wheelchair"],
                             deadline_working_days=5)
    category = ComplaintCategoryFactory(slug="jalan-berlubang", keyword="lubang", name_id="Jalan berlubang",
                                        name_en="Potholes", agency=agency)
    data.update(agency=agency, service=service, category=category)
    return data
