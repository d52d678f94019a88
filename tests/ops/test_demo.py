"""`manage.py load_demo`: idempotent, complete, valid demo data ("Done when")."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command

from balai.agencies.models import Agency, Region, Unit
from balai.catalog.form_definition import validate_form_definition
from balai.catalog.models import ComplaintCategory, ComplaintRoute, LifeEvent, Service, ServiceCategory
from balai.catalog.selectors import route_complaint
from balai.catalog.standard import missing_components
from balai.ops.demo import STEPS, step_module
from balai.ops.demo.people import CITIZENS, STAFF, email_for, password_for
from balai.people.models import Membership, Role, User

pytestmark = pytest.mark.django_db

MODELS = ["agencies.Region", "agencies.Government", "agencies.Agency", "agencies.Unit", "catalog.Service",
          "catalog.ServiceCategory", "catalog.LifeEvent", "catalog.ComplaintCategory", "catalog.ComplaintRoute",
          "people.User", "people.Membership"]


def counts() -> dict[str, int]:
    return {label: apps.get_model(label).objects.count() for label in MODELS}


@pytest.fixture
def demo(settings):
    settings.DEMO_MODE = True  # load_demo refuses outside demo mode
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
    out = StringIO()
    call_command("load_demo", "--only", "regions", "agencies", "catalog", "people", stdout=out)
    return out.getvalue()


def test_demo_twice_creates_no_duplicates(demo):
    first = counts()
    assert "[regions]" in demo and "services 41/41" in demo  # progress output
    call_command("load_demo", "--only", "regions", "agencies", "catalog", "people", stdout=StringIO())
    assert counts() == first


def test_demo_sizes(demo):
    assert Region.objects.count() == 1154
    assert Agency.objects.count() >= 12
    assert Service.objects.count() >= 30
    assert ComplaintCategory.objects.count() >= 11
    assert ComplaintRoute.objects.exists()
    assert ServiceCategory.objects.count() == 13
    assert LifeEvent.objects.count() >= 7
    for agency in Agency.objects.all():
        assert agency.units.filter(kind="sekretariat").exists() or agency.slug == "biro-umum"
        assert agency.name_en and agency.description_en
    diskominfo = Agency.objects.get(slug="diskominfo")
    assert "Basuki Rahmat No. 41" in diskominfo.address
    assert Unit.objects.get(agency__slug="bapenda", slug="uptd-pprd-balikpapan").region.code == "64.71"


def test_every_service_is_complete_and_valid(demo):
    kinds_used = set()
    for service in Service.objects.all():
        service.full_clean()
        assert missing_components(service.standard) == [], service.code
        assert all(text["en"] for text in service.standard.values()), service.code
        assert service.name_en and service.description_id and service.description_en
        assert service.requirements and service.channels and service.categories.exists()
        assert service.unit.agency_id == service.agency_id
        assert 3 <= len(service.form_definition) <= 10, service.code
        assert validate_form_definition(service.form_definition) == []
        kinds_used |= {f["type"] for f in service.form_definition}
    assert {"text", "textarea", "number", "date", "choice", "boolean", "file", "nik", "phone", "region",
            "location"} <= kinds_used
    assert Service.objects.filter(kind="ict", agency__slug="diskominfo").count() >= 6
    assert Service.objects.filter(fee=0).count() > Service.objects.count() // 2
    assert Service.objects.filter(agency__slug="bapenda").exclude(fee_note_id="").exists()
    for slug in ("having-a-baby", "starting-a-business", "going-to-school", "owning-a-vehicle",
                 "facing-a-disaster", "looking-for-work", "getting-old"):
        assert LifeEvent.objects.get(slug=slug).services.exists(), slug


def test_complaint_categories_route_to_agencies(demo):
    corruption = ComplaintCategory.objects.get(keyword="KORUPSI")
    assert corruption.agency.slug == "inspektorat"
    roads = ComplaintCategory.objects.get(keyword="JALAN")
    village = Region.objects.filter(code__startswith="64.03.", level__in=["village", "urban_village"]).first()
    agency, unit = route_complaint(roads, village)
    assert (agency.slug, unit.slug) == ("pupr", "uptd-jalan-utara")
    agency, unit = route_complaint(roads, Region.objects.get(code="64.72"))
    assert unit.slug == "bina-marga"


def test_demo_users_can_log_in_with_documented_passwords(demo):
    for role, *_ in STAFF:
        user = User.objects.get(email=email_for(role))
        assert user.check_password(password_for(role)) and user.is_staff
        assert Membership.objects.filter(user=user, role=role).exists()
    assert {role for role, *_ in STAFF} == set(Role.values)
    assert User.objects.get(email="superadmin@demo.balai.id").is_superuser
    for login, *_ in CITIZENS:
        citizen = User.objects.get(email=email_for(login))
        assert not citizen.is_staff and citizen.check_password(password_for("warga"))
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    for role, *_ in STAFF:
        assert f"`{email_for(role)}`" in readme and f"`{password_for(role)}`" in readme


def test_steps_are_ordered_and_missing_ones_skipped():
    # people before catalog: a route is valid only when someone in its unit can act (balai.cases.actors)
    assert STEPS[:4] == ["regions", "agencies", "people", "catalog"]
    assert step_module("regions") is not None
    assert step_module("no_such_step") is None


def test_demo_keys_and_officers_are_in_the_audit_chain(demo):
    """The demo's published API keys and staff token, and the officers the demo's cases are handled by,
    are created through the audited services (ADR 0015): the demo's audit chain shows them, a second run
    adds nothing, and the published keys work."""
    import random

    from balai.api.auth import staff_token_for_key
    from balai.api.models import StaffToken
    from balai.audit.models import AuditRecord
    from balai.audit.services import verify_chain
    from balai.ops.demo.api import DEMO_CLIENT_KEY, DEMO_QUEUED_KEY, DEMO_STAFF_TOKEN
    from balai.ops.demo.cases import _Officers
    from balai.people.models import ClientApplication
    from balai.people.services import client_application_for_key

    call_command("load_demo", "--only", "api", stdout=StringIO())
    clients = {str(c.pk) for c in ClientApplication.objects.filter(key_prefix__in=["demo2026", "demoqueue"])}
    token = StaffToken.objects.get(key_prefix="demo2026")
    created = AuditRecord.objects.filter(action__in=["client.create", "staff_token.create"])
    assert {(r.action, r.target_id, r.actor_label) for r in created} == {
        *{("client.create", pk, "system:command:load_demo") for pk in clients},
        ("staff_token.create", str(token.pk), "system:command:load_demo")}
    assert client_application_for_key(DEMO_CLIENT_KEY) and client_application_for_key(DEMO_QUEUED_KEY)
    assert staff_token_for_key(DEMO_STAFF_TOKEN) == token
    before = AuditRecord.objects.count()
    call_command("load_demo", "--only", "api", stdout=StringIO())
    assert AuditRecord.objects.count() == before  # nothing changed, nothing recorded

    unit = Unit.objects.get(agency__slug="dpmptsp", slug="loket")
    officer = _Officers(random.Random(1)).get(unit, "ppid")
    assert officer.is_staff and not officer.has_usable_password()
    assert AuditRecord.objects.filter(action="user.create", target_id=str(officer.pk)).exists()
    assert AuditRecord.objects.filter(action="membership.grant", data__user=officer.pk, data__role="ppid").exists()
    operator = User.objects.get(email=email_for("operator"))  # the staff flag came with the audited grant
    assert AuditRecord.objects.filter(action="membership.grant", data__user=operator.pk, data__made_staff=True).exists()
    assert verify_chain().ok


def test_a_chosen_api_key_is_refused_outside_demo_mode(settings, db):
    """The services take the demo's published keys only in demo mode: a chosen key elsewhere is refused."""
    from balai.people.services import client_application_create

    settings.DEMO_MODE = False
    with pytest.raises(ValueError, match="demo mode"):
        client_application_create(name="Pilihan", key="blk_pilihan_kunci-yang-dipilih-sendiri", via="test")
