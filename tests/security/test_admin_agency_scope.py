"""Agency rights in the admin reach only the agencies one administers (a rogue administrator of agency A cannot
rename or switch off agency B or its units, nor edit B's participation processes); switching an agency or a
unit off or on, and deleting a service, complaint category, unit or process, is in the audit chain; forwarded
requests to other governments are superusers' only; catalog rights without the administrator role list
nothing and say why (ADR 0015)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from balai.agencies.models import Agency, Unit
from balai.audit.models import AuditRecord
from balai.catalog.models import ComplaintCategory, ExternalRequest, ExternalService, Service
from balai.participation.models import Comment, Draft, DraftSection, Process, Proposal
from tests.factories import (
    ComplaintCategoryFactory,
    MembershipFactory,
    RegionFactory,
    ServiceFactory,
    StaffFactory,
    UnitFactory,
)
from tests.otp import verified_login
from tests.security.helpers import agency_admin, superuser

pytestmark = pytest.mark.django_db


def _refused(response) -> bool:
    """Django admin answers an object outside the viewer's list with a redirect to its index."""
    if response.status_code == 302:
        return response["Location"] == reverse("admin:index")
    return response.status_code in (403, 404)


def _unit_data(unit, **overrides) -> dict:
    data = {"agency": unit.agency_id, "parent": unit.parent_id or "", "slug": unit.slug, "kind": unit.kind,
            "name_id": unit.name_id, "name_en": unit.name_en, "region": unit.region_id or "",
            **({"is_active": "on"} if unit.is_active else {})}
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def _process(agency, slug: str) -> Process:
    return Process.objects.create(slug=slug, kind="proposals", title_id=f"Proses {slug}", decides_id="x",
                                  deciders_id="x", input_use_id="x", agency=agency,
                                  region=RegionFactory(code=f"64.{Process.objects.count() + 71}"))


@pytest.fixture
def world():
    unit_a, unit_b = UnitFactory(), UnitFactory()
    admin = agency_admin(unit_a)
    admin.user_permissions.add(*Permission.objects.filter(content_type__app_label="participation"))
    return {"unit_a": unit_a, "unit_b": unit_b, "admin": admin}


def test_agency_admin_sees_and_edits_only_their_own_agencies_and_units(client, world):
    unit_a, unit_b = world["unit_a"], world["unit_b"]
    verified_login(client, world["admin"])
    listing = client.get(reverse("admin:agencies_agency_changelist")).content.decode()
    assert unit_a.agency.short_name in listing and unit_b.agency.short_name not in listing
    listing = client.get(reverse("admin:agencies_unit_changelist")).content.decode()
    assert unit_a.name_id in listing and unit_b.name_id not in listing
    assert _refused(client.get(reverse("admin:agencies_agency_change", args=[unit_b.agency_id])))
    assert _refused(client.get(reverse("admin:agencies_unit_change", args=[unit_b.pk])))
    response = client.post(reverse("admin:agencies_unit_change", args=[unit_b.pk]),
                           _unit_data(unit_b, name_id="Diambil alih", is_active=None))
    assert _refused(response)
    unit_b.refresh_from_db()
    assert (unit_b.name_id, unit_b.is_active) != ("Diambil alih", False) and unit_b.is_active
    assert client.get(reverse("admin:agencies_agency_add")).status_code == 403  # a new agency: superuser's
    # A new unit (or a unit's parent) only in their own agency.
    form = client.get(reverse("admin:agencies_unit_add")).context["adminform"].form
    assert set(form.fields["agency"].queryset.values_list("pk", flat=True)) == {unit_a.agency_id}
    client.post(reverse("admin:agencies_unit_add"), _unit_data(Unit(agency=unit_b.agency, slug="baru", kind="division",
                                                                     name_id="Unit baru", is_active=True)))
    assert not Unit.objects.filter(slug="baru").exists()
    # Nor through the service, whatever face asks.
    from balai.agencies.services import unit_admin_save

    unit_b.is_active = False
    with pytest.raises(PermissionDenied):
        unit_admin_save(actor=world["admin"], unit=unit_b, via="test")
    assert Unit.objects.get(pk=unit_b.pk).is_active


def test_switching_an_agency_or_unit_off_and_on_is_in_the_audit_chain(client, world):
    # A second unit of agency A: the first receives the agency's intake and may not be switched off (ADR 0040).
    unit_a = UnitFactory(agency=world["unit_a"].agency)
    verified_login(client, world["admin"])
    response = client.post(reverse("admin:agencies_unit_change", args=[unit_a.pk]),
                           _unit_data(unit_a, name_id="Nama baru"))
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    assert not AuditRecord.objects.filter(action__in=["unit.deactivate", "unit.activate"]).exists()
    response = client.post(reverse("admin:agencies_unit_change", args=[unit_a.pk]),
                           _unit_data(unit_a, name_id="Nama baru", is_active=None))
    assert response.status_code == 302, response.context["adminform"].form.errors
    record = AuditRecord.objects.get(action="unit.deactivate", target_id=str(unit_a.pk))
    assert record.actor_id == world["admin"].pk and record.data["via"] == "admin"
    root = superuser()
    verified_login(client, root)
    agency = unit_a.agency
    from balai.agencies.services import agency_admin_save

    agency.is_active = False
    agency_admin_save(actor=root, agency=agency, via="admin")
    assert AuditRecord.objects.get(action="agency.deactivate", target_id=str(agency.pk)).actor_id == root.pk
    agency.is_active = True
    agency_admin_save(actor=root, agency=agency, via="admin")
    assert AuditRecord.objects.filter(action="agency.activate", target_id=str(agency.pk)).exists()
    # An administrator may not switch another agency off through the service either.
    other = Agency.objects.get(pk=world["unit_b"].agency_id)
    other.is_active = False
    with pytest.raises(PermissionDenied):
        agency_admin_save(actor=world["admin"], agency=other, via="test")
    assert Agency.objects.get(pk=other.pk).is_active


def test_process_admin_is_scoped_to_administered_agencies(client, world):
    unit_a, unit_b = world["unit_a"], world["unit_b"]
    own, foreign = _process(unit_a.agency, "milik-a"), _process(unit_b.agency, "milik-b")
    verified_login(client, world["admin"])
    listing = client.get(reverse("admin:participation_process_changelist")).content.decode()
    assert own.title_id in listing and foreign.title_id not in listing
    assert _refused(client.get(reverse("admin:participation_process_change", args=[foreign.pk])))
    form = client.get(reverse("admin:participation_process_change", args=[own.pk])).context["adminform"].form
    assert set(form.fields["agency"].queryset.values_list("pk", flat=True)) == {unit_a.agency_id}
    from balai.participation.services import process_admin_save

    own.agency = unit_b.agency  # hand their process to another agency
    with pytest.raises(PermissionDenied):
        process_admin_save(actor=world["admin"], process=own, via="test")
    foreign.title_id = "Diubah"
    with pytest.raises(PermissionDenied):
        process_admin_save(actor=world["admin"], process=foreign, via="test")
    assert Process.objects.get(pk=own.pk).agency_id == unit_a.agency_id
    assert Process.objects.get(pk=foreign.pk).title_id == "Proses milik-b"


def test_admin_deletions_are_in_the_audit_chain(client, world):
    unit_a = world["unit_a"]
    verified_login(client, world["admin"])
    service = ServiceFactory(agency=unit_a.agency, unit=unit_a)
    category = ComplaintCategoryFactory(agency=unit_a.agency, unit=unit_a)
    process = _process(unit_a.agency, "dihapus")
    spare = UnitFactory(agency=unit_a.agency)
    for name, obj in (("catalog_service", service), ("catalog_complaintcategory", category),
                      ("participation_process", process), ("agencies_unit", spare)):
        response = client.post(reverse(f"admin:{name}_delete", args=[obj.pk]), {"post": "yes"})
        assert response.status_code == 302, name
        action = f"{obj._meta.app_label}.{obj._meta.model_name}.delete"
        record = AuditRecord.objects.get(action=action, target_id=str(obj.pk))
        assert record.actor_id == world["admin"].pk and record.data["via"] == "admin"
    assert not Service.objects.filter(pk=service.pk).exists()
    assert not ComplaintCategory.objects.filter(pk=category.pk).exists()
    assert not Unit.objects.filter(pk=spare.pk).exists()
    # Another agency's entries cannot be deleted at all.
    foreign = ServiceFactory(agency=world["unit_b"].agency, unit=world["unit_b"])
    assert _refused(client.post(reverse("admin:catalog_service_delete", args=[foreign.pk]), {"post": "yes"}))
    assert Service.objects.filter(pk=foreign.pk).exists()


def test_forwarded_requests_are_superusers_only(client, world):
    service = ExternalService.objects.create(code="paspor", name_id="Paspor", provider_id="Imigrasi",
                                             url="https://imigrasi.example.go.id/")
    request = ExternalRequest.objects.create(service=service, reference="LR-AAAAA-BBBBB", remote_id="R1",
                                             remote_token="token-rahasia")
    verified_login(client, world["admin"])
    assert "externalrequest" not in client.get(reverse("admin:index")).content.decode()
    assert client.get(reverse("admin:catalog_externalrequest_changelist")).status_code == 403
    assert _refused(client.get(reverse("admin:catalog_externalrequest_change", args=[request.pk])))
    verified_login(client, superuser())
    assert client.get(reverse("admin:catalog_externalrequest_changelist")).status_code == 200


def test_catalog_rights_without_the_administrator_role_list_nothing_and_say_why(client, world):
    unit_a = world["unit_a"]
    editor = StaffFactory(full_name="Editor Katalog", email="editor@example.go.id")
    MembershipFactory(user=editor, unit=unit_a, role="operator")
    editor.user_permissions.set(Permission.objects.filter(content_type__app_label="catalog"))
    service = ServiceFactory(agency=unit_a.agency, unit=unit_a)
    verified_login(client, editor)
    response = client.get(reverse("admin:catalog_service_changelist"))
    assert response.status_code == 200
    page = response.content.decode()
    assert service.name_id not in page
    assert any("administrator" in str(m) for m in response.context["messages"])
    assert _refused(client.get(reverse("admin:catalog_service_change", args=[service.pk])))


def test_the_admin_switches_a_unit_off_only_under_kantors_rules(client, world):
    """Switching a unit off in the admin asks the same guards as /kantor/ (ADR 0040): refused, with the reason
    on the form, while a route still sends new cases there; nothing saved, nothing audited; a superuser too."""
    unit_a = world["unit_a"]
    ComplaintCategoryFactory(agency=unit_a.agency, unit=unit_a)
    for who in (world["admin"], superuser()):
        verified_login(client, who)
        response = client.post(reverse("admin:agencies_unit_change", args=[unit_a.pk]),
                               _unit_data(unit_a, is_active=None))
        assert response.status_code == 200
        assert "is_active" in response.context["adminform"].form.errors
        assert Unit.objects.get(pk=unit_a.pk).is_active
    assert not AuditRecord.objects.filter(action="unit.deactivate").exists()


def test_a_governments_office_hours_are_a_superusers(client, world):
    """Office hours count every agency's deadlines: an agency administrator cannot change them."""
    from balai.agencies.models import Government

    government = world["unit_a"].agency.government
    world["admin"].user_permissions.add(*Permission.objects.filter(content_type__app_label="agencies"))
    verified_login(client, world["admin"])
    page = reverse("admin:agencies_government_change", args=[government.pk])
    assert _refused(client.get(page))
    client.post(page, {"name": government.name, "short_name": government.short_name, "office_opens": "00:00",
                       "office_closes": "23:59", "is_active": "on"})
    assert Government.objects.get(pk=government.pk).office_opens == government.office_opens
    verified_login(client, superuser())
    assert client.get(page).status_code == 200


@pytest.mark.parametrize("who", ["agency admin", "superuser"])
def test_nobody_deletes_a_process_or_draft_citizens_took_part_in(client, world, who):
    """Deleting a process takes its proposals, votes, forums and its draft's comments along: once citizens
    took part, it is unpublished, not deleted, by anyone (ADR 0015); one without them still may be."""
    unit_a = world["unit_a"]
    voted, commented, empty = (_process(unit_a.agency, slug) for slug in ("usulan", "rancangan", "kosong"))
    Proposal.objects.create(process=voted, code="AAAAA", title="Jalan desa", description="Perbaikan jalan",
                            region=voted.region)
    draft = Draft.objects.create(process=commented, title="Rancangan Perda")
    section = DraftSection.objects.create(draft=draft, number=1, heading="Retribusi", text="…")
    Comment.objects.create(draft=draft, section=section, stance="disagree", text="Terlalu mahal")
    verified_login(client, superuser() if who == "superuser" else world["admin"])
    for name, obj in (("participation_process", voted), ("participation_process", commented),
                      ("participation_draft", draft)):
        assert _refused(client.post(reverse(f"admin:{name}_delete", args=[obj.pk]), {"post": "yes"})), name
        client.post(reverse(f"admin:{name}_changelist"),
                    {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"})
        assert type(obj).objects.filter(pk=obj.pk).exists(), name
    page = client.get(reverse("admin:participation_draft_change", args=[draft.pk]))
    assert not page.context["inline_admin_formsets"][0].has_delete_permission  # no section deleted either
    assert Comment.objects.filter(draft=draft).exists() and Proposal.objects.filter(process=voted).exists()
    assert not AuditRecord.objects.filter(action="participation.process.delete").exists()
    assert client.post(reverse("admin:participation_process_delete", args=[empty.pk]),
                       {"post": "yes"}).status_code == 302
    assert AuditRecord.objects.filter(action="participation.process.delete", target_id=str(empty.pk)).exists()


def test_a_draft_and_its_sections_edited_in_the_admin_are_in_the_audit_chain(client, world):
    """What citizens comment on may not change unseen: the admin's draft page records the draft's fields and
    each section added, changed or deleted (ADR 0015), and edits only drafts of one's own agencies."""
    unit_a = world["unit_a"]
    draft = Draft.objects.create(process=_process(unit_a.agency, "rancangan"), title="Rancangan Perda")
    section = DraftSection.objects.create(draft=draft, number=1, heading="Retribusi", text="Rp 10.000")
    verified_login(client, world["admin"])
    response = client.post(reverse("admin:participation_draft_change", args=[draft.pk]), {
        "process": draft.process_id, "title": "Rancangan Perda Sampah", "introduction": "",
        "sections-TOTAL_FORMS": "2", "sections-INITIAL_FORMS": "1", "sections-MIN_NUM_FORMS": "0",
        "sections-MAX_NUM_FORMS": "1000",
        "sections-0-id": section.pk, "sections-0-draft": draft.pk, "sections-0-number": "1",
        "sections-0-heading": "Retribusi", "sections-0-text": "Rp 50.000",
        "sections-1-draft": draft.pk, "sections-1-number": "2", "sections-1-heading": "Sanksi",
        "sections-1-text": "Denda"})
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    assert DraftSection.objects.get(pk=section.pk).text == "Rp 50.000"
    edited = AuditRecord.objects.get(action="participation.draft_edit", target_id=str(draft.pk))
    assert edited.actor_id == world["admin"].pk and edited.data["changed"] == ["title"]
    rows = AuditRecord.objects.get(action="participation.draftsection_edit", target_id=str(draft.pk))
    assert rows.data["added"] == ["2. Sanksi"] and rows.data["changed"] == ["1. Retribusi"]
    assert rows.data["deleted"] == [] and rows.data["via"] == "admin"
    foreign = Draft.objects.create(process=_process(world["unit_b"].agency, "milik-b"), title="Milik B")
    from balai.participation.services import draft_admin_save

    foreign.title = "Diubah"
    with pytest.raises(PermissionDenied):
        draft_admin_save(actor=world["admin"], draft=foreign, via="test")
    draft.process = foreign.process  # hand their draft to another agency's process
    with pytest.raises(PermissionDenied):
        draft_admin_save(actor=world["admin"], draft=draft, via="test")
