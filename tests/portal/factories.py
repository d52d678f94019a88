"""Catalog data for the portal's tests: life events, categories and services with a full standard."""

from __future__ import annotations

import factory

from balai.catalog.models import LifeEvent, ServiceCategory
from balai.catalog.standard import COMPONENTS
from tests.factories import AgencyFactory, ServiceFactory


class LifeEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LifeEvent
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"peristiwa-{n}")
    name_id = factory.Sequence(lambda n: f"Peristiwa {n}")
    name_en = factory.Sequence(lambda n: f"Life event {n}")


class ServiceCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceCategory
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"kategori-layanan-{n}")
    name_id = factory.Sequence(lambda n: f"Kategori layanan {n}")
    name_en = factory.Sequence(lambda n: f"Service category {n}")


def full_standard(name: str) -> dict:
    """All 14 components, each with a recognisable text per language."""
    return {
        c.key: {"id": f"{c.label['id']} untuk {name}.", "en": f"{c.label['en']} for {name}."} for c in COMPONENTS
    }


def build_catalog() -> dict:
    """A small published catalog: two agencies, four services, a life event and a category.

    Returns the keys the page lists use to fill their paths: service, agency, event, category.
    """
    disdukcapil = AgencyFactory(slug="disdukcapil", short_name="Disdukcapil",
                                name_id="Dinas Kependudukan dan Pencatatan Sipil",
                                name_en="Population and Civil Registration Office",
                                address="Jl. Contoh No. 1, Samarinda", phone="+62541000000",
                                email="disdukcapil@example.go.id")
    dpmptsp = AgencyFactory(slug="dpmptsp", short_name="DPMPTSP",
                            name_id="Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
                            name_en="Investment and One-Stop Service Office")
    birth = LifeEventFactory(slug="kelahiran", name_id="Kelahiran anak", name_en="Having a baby")
    business = LifeEventFactory(slug="memulai-usaha", name_id="Memulai usaha", name_en="Starting a business")
    population = ServiceCategoryFactory(slug="kependudukan", name_id="Kependudukan", name_en="Population")
    licensing = ServiceCategoryFactory(slug="perizinan", name_id="Perizinan", name_en="Licensing")

    akta = ServiceFactory(
        code="akta-kelahiran", agency=disdukcapil, name_id="Akta kelahiran", name_en="Birth certificate",
        summary_id="Mendaftarkan kelahiran anak dan mendapatkan akta.",
        summary_en="Register a child's birth and get the certificate.",
        description_id="Untuk anak yang lahir di Kalimantan Timur.", description_en="For children born in East Kalimantan.",
        requirements=[{"id": "Surat keterangan lahir dari bidan atau rumah sakit", "en": "Birth letter from the midwife or hospital"},
                      {"id": "Kartu keluarga", "en": "Family card"}],
        standard=full_standard("akta kelahiran"), fee=0, deadline_working_days=3,
        channels=["web", "counter", "sms"], accommodations=["sign_language", "home_visit"], popularity=120,
    )
    akta.life_events.add(birth)
    akta.categories.add(population)
    kia = ServiceFactory(
        code="kartu-identitas-anak", agency=disdukcapil, name_id="Kartu identitas anak", name_en="Child identity card",
        summary_id="Kartu identitas untuk anak di bawah 17 tahun.", summary_en="An identity card for children under 17.",
        requirements=[{"id": "Akta kelahiran", "en": "Birth certificate"}], standard=full_standard("KIA"),
        popularity=80,
    )
    kia.life_events.add(birth)
    kia.categories.add(population)
    izin = ServiceFactory(
        code="izin-usaha-mikro", agency=dpmptsp, name_id="Izin usaha mikro", name_en="Micro business permit",
        summary_id="Izin untuk usaha kecil dan mikro.", summary_en="A permit for micro and small businesses.",
        requirements=[{"id": "KTP pemilik usaha", "en": "Owner's identity card"}],
        standard=full_standard("izin usaha"), fee=50000, fee_note_id="Dibayar di bank.", fee_note_en="Paid at the bank.",
        deadline_working_days=5, popularity=200,
    )
    izin.life_events.add(business)
    izin.categories.add(licensing)
    ServiceFactory(code="layanan-draf", agency=dpmptsp, name_id="Layanan draf", name_en="Draft service",
                   is_published=False)
    return {"service": akta.code, "agency": disdukcapil.slug, "event": birth.slug, "category": population.slug,
            "paid_service": izin.code}
