"""Catalog rights in the admin are no back door to other agencies' cases or to citizens' data: a staff member
other than a superuser sees, edits and routes only the services and complaint categories of agencies they
administer, cannot add or change a service of another government (where it sends citizens), and every
change of where cases or requests go is in the audit chain; django-axes' lockouts are superusers' only
(ADR 0015)."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from balai.audit.models import AuditRecord
from balai.catalog.models import ExternalService, Service
from tests.factories import (
    ComplaintCategoryFactory,
    MembershipFactory,
    RegionFactory,
    ServiceFactory,
    UnitFactory,
)
from tests.otp import verified_login
from tests.security.helpers import agency_admin, superuser

pytestmark = pytest.mark.django_db


def _routable(agency=None):
    """A unit where someone can take every step of a case (balai.cases.actors)."""
    unit = UnitFactory(**({"agency": agency} if agency else {}))
    MembershipFactory(unit=unit, role="verifier")
    return unit


def _service_data(service, **overrides) -> dict:
    data = {
        "code": service.code, "kind": service.kind, "agency": service.agency_id, "unit": service.unit_id or "",
        "is_published": "on", "name_id": service.name_id, "name_en": service.name_en, "summary_id": "",
        "summary_en": "", "description_id": "", "description_en": "", "fee": "0", "fee_note_id": "",
        "fee_note_en": "", "deadline_working_days": "5", "channels": ["web"], "standard": "{}",
        "requirements": "[]", "form_definition": "[]",
    }
    data.update(overrides)
    return data


def _category_data(category, routes=(), **overrides) -> dict:
    data = {
        "slug": category.slug, "keyword": category.keyword, "name_id": category.name_id,
        "name_en": category.name_en, "description_id": "", "description_en": "", "agency": category.agency_id,
        "unit": category.unit_id or "", "completion_working_days": "60", "order": "0", "is_active": "on",
        "routes-TOTAL_FORMS": str(len(routes)), "routes-INITIAL_FORMS": "0", "routes-MIN_NUM_FORMS": "0",
        "routes-MAX_NUM_FORMS": "1000",
    }
    for number, route in enumerate(routes):
        data.update({f"routes-{number}-{key}": value for key, value in route.items()})
    data.update(overrides)
    return data


def _external(**fields) -> ExternalService:
    values = {"code": "paspor", "name_id": "Paspor", "provider_id": "Kantor Imigrasi Samarinda",
              "url": "https://imigrasi.example.go.id/", "open311_url": "https://imigrasi.example.go.id/open311/v2/",
              "open311_service_code": "paspor", "open311_api_key": "kunci-rahasia"}
    values.update(fields)
    return ExternalService.objects.create(**values)


def _external_data(service, **overrides) -> dict:
    data = {key: getattr(service, key) for key in (
        "code", "name_id", "name_en", "provider_id", "provider_en", "summary_id", "summary_en", "url", "keywords",
        "open311_url", "open311_service_code", "open311_api_key", "open311_jurisdiction_id")}
    data["is_published"] = "on"
    data.update(overrides)
    return data


@pytest.fixture
def world():
    """Agency A with its administrator (the demo's model permissions) and two routable units; agency B."""
    unit_a = _routable()
    other_a = _routable(unit_a.agency)
    unit_b = _routable()
    return {"unit_a": unit_a, "other_a": other_a, "unit_b": unit_b, "admin": agency_admin(unit_a)}


def _save_as(actor, entry) -> None:
    """The service every face saves through (imported here so that each test fails on its own without it)."""
    from balai.agencies.services import shared_entry_save
    from balai.catalog.services import catalog_entry_save

    if isinstance(entry, ExternalService):  # of no agency: shared reference data
        shared_entry_save(actor=actor, entry=entry, via="test")
    else:
        catalog_entry_save(actor=actor, entry=entry, via="test")


def _refused(response) -> bool:
    """Django admin answers an object outside the viewer's list with a redirect to its index."""
    if response.status_code == 302:
        return response["Location"] == reverse("admin:index")
    return response.status_code in (403, 404)


def test_agency_admin_cannot_open_or_change_another_agencys_service_or_category(client, world):
    verified_login(client, world["admin"])
    service = ServiceFactory(agency=world["unit_b"].agency, unit=world["unit_b"])
    category = ComplaintCategoryFactory(agency=world["unit_b"].agency, unit=world["unit_b"])
    own = ServiceFactory(agency=world["unit_a"].agency, unit=world["unit_a"])
    listing = client.get(reverse("admin:catalog_service_changelist")).content.decode()
    assert own.name_id in listing and service.name_id not in listing
    assert _refused(client.get(reverse("admin:catalog_service_change", args=[service.pk])))
    assert _refused(client.get(reverse("admin:catalog_complaintcategory_change", args=[category.pk])))
    unit_a = world["unit_a"]
    response = client.post(reverse("admin:catalog_service_change", args=[service.pk]),
                           _service_data(service, agency=unit_a.agency_id, unit=unit_a.pk))
    assert _refused(response)
    response = client.post(reverse("admin:catalog_complaintcategory_change", args=[category.pk]),
                           _category_data(category, agency=unit_a.agency_id, unit=unit_a.pk))
    assert _refused(response)
    service.refresh_from_db()
    category.refresh_from_db()
    assert (service.agency_id, service.unit_id) == (world["unit_b"].agency_id, world["unit_b"].pk)
    assert (category.agency_id, category.unit_id) == (world["unit_b"].agency_id, world["unit_b"].pk)
    # Nor through the service layer, whatever face asks.
    service.unit, service.agency = unit_a, unit_a.agency
    with pytest.raises(PermissionDenied):
        _save_as(world["admin"], service)
    assert Service.objects.get(pk=service.pk).unit_id == world["unit_b"].pk


def test_agency_admin_cannot_route_their_own_entries_to_another_agency(client, world):
    verified_login(client, world["admin"])
    unit_a, unit_b = world["unit_a"], world["unit_b"]
    service = ServiceFactory(agency=unit_a.agency, unit=unit_a)
    page = client.get(reverse("admin:catalog_service_change", args=[service.pk])).content.decode()
    assert f'value="{unit_a.pk}"' in page and f'value="{unit_b.pk}"' not in page  # choices: their agency only
    for change in ({"agency": unit_b.agency_id, "unit": unit_b.pk}, {"unit": unit_b.pk}):
        response = client.post(reverse("admin:catalog_service_change", args=[service.pk]),
                               _service_data(service, **change))
        assert response.status_code == 200
        assert set(change) & set(response.context["adminform"].form.errors)
    service.refresh_from_db()
    assert (service.agency_id, service.unit_id) == (unit_a.agency_id, unit_a.pk)
    # A new service cannot be routed there either, nor a regional route of their category.
    added = client.post(reverse("admin:catalog_service_add"),
                        _service_data(ServiceFactory.build(agency=unit_b.agency, unit=unit_b)))
    assert added.status_code == 200 and not Service.objects.filter(agency=unit_b.agency).exists()
    category = ComplaintCategoryFactory(agency=unit_a.agency, unit=unit_a)
    region = RegionFactory(code="64.72", name="Samarinda", level="regency")
    response = client.post(reverse("admin:catalog_complaintcategory_change", args=[category.pk]), _category_data(
        category, routes=[{"region": region.pk, "agency": unit_b.agency_id, "unit": unit_b.pk}]))
    assert response.status_code == 200
    assert not category.routes.exists()


def test_agency_admin_cannot_add_or_repoint_a_service_of_another_government(client, world):
    verified_login(client, world["admin"])
    external = _external()
    assert client.get(reverse("admin:catalog_externalservice_add")).status_code == 403
    page = client.get(reverse("admin:catalog_externalservice_change", args=[external.pk])).content.decode()
    assert "kunci-rahasia" not in page  # the API key is not shown either
    response = client.post(reverse("admin:catalog_externalservice_change", args=[external.pk]), _external_data(
        external, name_id="Paspor RI", url="https://evil.example.com/", open311_url="https://evil.example.com/v2/",
        open311_service_code="x", open311_api_key=""))
    assert response.status_code == 403  # every agency shares it: a superuser's (ADR 0015)
    external.refresh_from_db()
    assert external.name_id == "Paspor"
    assert external.url == "https://imigrasi.example.go.id/"
    assert (external.open311_url, external.open311_service_code, external.open311_api_key) == (
        "https://imigrasi.example.go.id/open311/v2/", "paspor", "kunci-rahasia")
    external.open311_url = "https://evil.example.com/v2/"
    with pytest.raises(PermissionDenied):
        _save_as(world["admin"], external)
    assert not AuditRecord.objects.filter(action="catalog.externalservice.save").exists()


def test_superuser_routes_anywhere_and_sets_endpoints(client, world):
    root = superuser()
    verified_login(client, root)
    service = ServiceFactory(agency=world["unit_b"].agency, unit=world["unit_b"])
    unit_a = world["unit_a"]
    response = client.post(reverse("admin:catalog_service_change", args=[service.pk]),
                           _service_data(service, agency=unit_a.agency_id, unit=unit_a.pk))
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    service.refresh_from_db()
    assert service.unit_id == unit_a.pk
    record = AuditRecord.objects.get(action="catalog.service.route", target_id=str(service.pk))  # whoever it is
    assert record.actor_id == root.pk and record.data["after"]["unit"] == unit_a.pk
    external = _external()
    response = client.post(reverse("admin:catalog_externalservice_change", args=[external.pk]), _external_data(
        external, open311_url="https://kutai.example.go.id/open311/v2/"))
    assert response.status_code == 302
    external.refresh_from_db()
    assert external.open311_url == "https://kutai.example.go.id/open311/v2/"
    assert client.get(reverse("admin:catalog_externalservice_add")).status_code == 200


def test_every_routing_change_is_in_the_audit_chain(client, world):
    unit_a, other_a = world["unit_a"], world["other_a"]
    verified_login(client, world["admin"])
    service = ServiceFactory(agency=unit_a.agency, unit=unit_a)
    client.post(reverse("admin:catalog_service_change", args=[service.pk]),
                _service_data(service, name_id="Nama baru"))
    assert not AuditRecord.objects.filter(action="catalog.service.route").exists()  # texts are not routing
    response = client.post(reverse("admin:catalog_service_change", args=[service.pk]),
                           _service_data(service, unit=other_a.pk))
    assert response.status_code == 302
    record = AuditRecord.objects.get(action="catalog.service.route", target_id=str(service.pk))
    assert record.actor_id == world["admin"].pk
    assert record.data["before"] == {"agency": unit_a.agency_id, "unit": unit_a.pk}
    assert record.data["after"] == {"agency": unit_a.agency_id, "unit": other_a.pk}
    assert record.data["via"] == "admin"
    category = ComplaintCategoryFactory(agency=unit_a.agency, unit=unit_a)
    region = RegionFactory(code="64.72", name="Samarinda", level="regency")
    response = client.post(reverse("admin:catalog_complaintcategory_change", args=[category.pk]), _category_data(
        category, unit=other_a.pk, routes=[{"region": region.pk, "agency": unit_a.agency_id, "unit": unit_a.pk}]))
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert AuditRecord.objects.filter(action="catalog.complaintcategory.route", target_id=str(category.pk)).exists()
    route = category.routes.get()
    assert AuditRecord.objects.get(action="catalog.complaintroute.route", target_id=str(route.pk)).data["after"] == {
        "agency": unit_a.agency_id, "unit": unit_a.pk, "category": category.pk, "region": region.pk}
    root = superuser()
    verified_login(client, root)
    external = _external()
    client.post(reverse("admin:catalog_externalservice_change", args=[external.pk]), _external_data(
        external, open311_api_key="kunci-baru"))
    record = AuditRecord.objects.get(action="catalog.externalservice.save", target_id=str(external.pk))
    assert record.actor_id == root.pk
    assert record.data["after"] == {"open311_api_key": True}  # changed, recorded only as being set
    assert "kunci-baru" not in str(record.data) and "kunci-rahasia" not in str(record.data)


def test_sign_in_lockouts_are_superusers_only(client, world):
    staff = world["admin"]
    staff.user_permissions.add(*Permission.objects.filter(content_type__app_label="axes"))
    attempt = AccessAttempt.objects.create(username="user:1", ip_address="127.0.0.1", user_agent="t",
                                           failures_since_start=5, attempt_time=timezone.now(), get_data="",
                                           post_data="", http_accept="", path_info="/kantor/masuk/")
    verified_login(client, staff)
    assert "/admin/axes/" not in client.get(reverse("admin:index")).content.decode()
    for name in ("accessattempt", "accesslog", "accessfailurelog"):
        assert client.get(reverse(f"admin:axes_{name}_changelist")).status_code == 403
    assert client.get(reverse("admin:axes_accessattempt_change", args=[attempt.pk])).status_code in (302, 403)
    response = client.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})
    assert response.status_code in (302, 403)
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()  # still locked
    verified_login(client, superuser())
    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 200
    assert client.get(reverse("admin:axes_accessattempt_add")).status_code == 403  # axes never adds rows
