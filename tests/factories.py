"""factory_boy factories shared by every test module. Add factories for new models here."""

from __future__ import annotations

import factory
from django.utils import timezone

from balai.agencies.models import Agency, Government, Region, Unit
from balai.catalog.models import ComplaintCategory, Service
from balai.people.models import Membership, User


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "64"
    name = "Kalimantan Timur"
    level = Region.Level.PROVINCE


class GovernmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Government
        django_get_or_create = ("region",)

    name = "Pemerintah Provinsi Kalimantan Timur"
    short_name = "Pemprov Kaltim"
    region = factory.SubFactory(RegionFactory)


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    government = factory.SubFactory(GovernmentFactory)
    slug = factory.Sequence(lambda n: f"dinas-{n}")
    short_name = factory.Sequence(lambda n: f"Dinas {n}")
    name_id = factory.LazyAttribute(lambda o: f"{o.short_name} Provinsi Kalimantan Timur")
    name_en = factory.LazyAttribute(lambda o: f"{o.short_name} of East Kalimantan")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    agency = factory.SubFactory(AgencyFactory)
    slug = factory.Sequence(lambda n: f"bidang-{n}")
    name_id = factory.Sequence(lambda n: f"Bidang {n}")
    name_en = factory.Sequence(lambda n: f"Division {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.go.id")
    full_name = factory.Sequence(lambda n: f"Pengguna {n}")
    password = factory.PostGenerationMethodCall("set_password", "rahasia-demo-123")


class StaffFactory(UserFactory):
    is_staff = True


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(StaffFactory)
    unit = factory.SubFactory(UnitFactory)
    role = "operator"


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    code = factory.Sequence(lambda n: f"layanan-{n}")
    agency = factory.SubFactory(AgencyFactory)
    unit = factory.LazyAttribute(lambda o: UnitFactory(agency=o.agency))
    name_id = factory.Sequence(lambda n: f"Layanan {n}")
    name_en = factory.Sequence(lambda n: f"Service {n}")
    deadline_working_days = 5
    channels = ["web", "counter"]
    form_definition = factory.LazyFunction(list)


class ComplaintCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ComplaintCategory

    slug = factory.Sequence(lambda n: f"kategori-{n}")
    keyword = factory.Sequence(lambda n: f"kat{n}")
    name_id = factory.Sequence(lambda n: f"Kategori {n}")
    name_en = factory.Sequence(lambda n: f"Category {n}")
    agency = factory.SubFactory(AgencyFactory)


def now():
    return timezone.now()
