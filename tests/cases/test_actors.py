"""Every case reaches someone who can act (ADR 0040): routes, memberships, the demo's accounts."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from balai.agencies.models import Agency, Unit
from balai.cases import workflows
from balai.cases.actors import actors_for_step, routes, staff_of, unroutable
from balai.catalog.models import ComplaintCategory, ComplaintRoute, Service
from balai.people.models import Membership, User
from balai.people.permissions import has_permission
from balai.people.services import membership_grant, membership_revoke

pytestmark = pytest.mark.django_db

DEMO_DOMAIN = "@demo.balai.id"


@pytest.fixture
def demo(settings):
    settings.DEMO_MODE = True
    call_command("load_demo", "--only", "regions", "agencies", "people", "catalog", stdout=StringIO())


def test_every_workflow_and_route_of_the_demo_has_an_actor_for_every_step(demo):
    found = routes()
    kinds = {r.kind for r in found}
    assert kinds == set(workflows.WORKFLOWS)  # every workflow is routed somewhere
    assert unroutable() == []
    people = {}
    for route in found:
        gov = route.agency.government_id
        people.setdefault(gov, staff_of(gov))
        for step in workflows.CLOSURE_STEPS[route.kind]:
            actors = actors_for_step(kind=route.kind, step=step, unit=route.unit, users=people[gov])
            assert any(u.email.endswith(DEMO_DOMAIN) for u in actors), (route.label, step)


def _demo(login: str) -> User:
    return User.objects.get(email=f"{login}{DEMO_DOMAIN}")


class _Case:
    def __init__(self, unit: Unit) -> None:
        self.unit = unit

    def permission_scope(self):
        return (self.unit.agency.government_id, self.unit.agency_id, self.unit.pk)


def test_documented_roles_can_act_where_their_work_lands(demo):
    web = ComplaintCategory.objects.get(slug="tik-website")
    ict = _demo("ict_agent")
    for step in workflows.CLOSURE_STEPS["complaint"]:  # "Tidak ada tindakan untuk Anda" no more
        assert has_permission(ict, f"case.complaint.{step}", _Case(web.unit)), step
    head = _demo("head")
    for unit in Unit.objects.filter(agency__slug="dpmptsp"):  # the head of the agency sees all its units
        assert has_permission(head, "case.complaint.verify", _Case(unit)), unit.slug
    licence = ComplaintCategory.objects.get(slug="perizinan")
    for login in ("verifier", "head"):
        assert has_permission(_demo(login), "case.complaint.close", _Case(licence.unit))
    corruption = ComplaintCategory.objects.get(slug="korupsi")
    assert has_permission(_demo("inspector"), "case.complaint.answer", _Case(corruption.unit))
    ppid = _demo("ppid")
    ppid_unit = Unit.objects.get(agency__slug="diskominfo", kind="ppid")
    assert has_permission(ppid, "case.information_request.answer", _Case(ppid_unit))
    _intake_queue_is_seen_by_every_verifier_and_head_of_the_agency()


def _intake_queue_is_seen_by_every_verifier_and_head_of_the_agency() -> None:
    loket = Unit.objects.get(agency__slug="dpmptsp", slug="loket")  # DPMPTSP's intake (service desk)
    from balai.people.permissions import units_for

    assert loket in units_for(_demo("verifier"))
    assert loket in units_for(_demo("head"))
    assert loket not in units_for(_demo("operator"))
    assert has_permission(_demo("verifier"), "case.complaint.verify", _Case(loket))


def test_a_route_to_a_unit_without_actors_is_refused_with_a_clear_message(demo):
    empty = Unit.objects.create(agency=Agency.objects.get(slug="dlh"), slug="baru", name_id="Bidang Baru",
                                parent=None)
    category = ComplaintCategory.objects.get(slug="lingkungan")
    category.unit = empty
    with pytest.raises(ValidationError) as info:
        category.full_clean()
    message = " ".join(info.value.message_dict["unit"])
    assert "Bidang Baru" in message and "Verif" in message
    route = ComplaintRoute(category=category, region=ComplaintRoute.objects.first().region,
                           agency=empty.agency, unit=empty)
    with pytest.raises(ValidationError):
        route.full_clean()
    service = Service.objects.filter(kind="service").first()
    service.unit, service.agency = empty, empty.agency
    with pytest.raises(ValidationError) as info:
        service.full_clean()
    assert "unit" in info.value.message_dict
    # Someone with the roles arrives: the route is accepted.
    user = User.objects.create_user(email="baru@example.id", full_name="Petugas Baru", is_staff=True)
    membership_grant(user=user, unit=empty, role="verifier")
    category.full_clean()
    # A unit cases are routed to cannot be deactivated.
    from balai.cases.units import unit_set_active

    aptika = Unit.objects.get(agency__slug="diskominfo", slug="aptika")
    with pytest.raises(ValidationError) as info:
        unit_set_active(actor=_demo("admin"), unit=aptika, active=False)
    assert "category tik-website" in " ".join(info.value.messages)
    _revoking_the_last_actor_of_a_route_is_refused()


def _revoking_the_last_actor_of_a_route_is_refused() -> None:
    ppid = _demo("ppid")
    membership = Membership.objects.get(user=ppid, role="ppid")
    with pytest.raises(ValidationError) as info:
        membership_revoke(membership=membership)
    assert "PPID Utama" in " ".join(info.value.messages)
    membership.refresh_from_db()
    assert membership.is_active
    # Another PPID officer there: now this one's role may go.
    other = User.objects.create_user(email="ppid2@example.id", full_name="PPID Dua", is_staff=True)
    membership_grant(user=other, unit=membership.unit, role="ppid")
    membership_revoke(membership=membership)
    membership.refresh_from_db()
    assert not membership.is_active


def test_deactivating_the_last_actors_account_is_refused_unless_forced_on_the_server(demo):
    """Switching a staff account off is checked like revoking its roles (ADR 0040)."""
    from django.core.management.base import CommandError

    from balai.audit.models import AuditRecord
    from balai.people.services import check_user_deactivate, user_set_access

    ppid = _demo("ppid")
    with pytest.raises(ValidationError) as info:
        user_set_access(actor=None, user=ppid, is_active=False)
    message = " ".join(info.value.messages)
    assert "belum dapat dinonaktifkan" in message and "PPID" in message
    assert ppid.is_active and User.objects.get(pk=ppid.pk).is_active
    with pytest.raises(ValidationError):
        check_user_deactivate(ppid)  # what the admin's form asks before saving; nothing changed
    assert User.objects.get(pk=ppid.pk).is_active
    with pytest.raises(CommandError, match="even-without-actor"):
        call_command("user_access", ppid.email, "--no-active", stdout=StringIO())
    assert User.objects.get(pk=ppid.pk).is_active
    # A compromised account is shut at once from the server; the gap is in the audit record.
    call_command("user_access", ppid.email, "--no-active", "--even-without-actor", stdout=StringIO())
    assert not User.objects.get(pk=ppid.pk).is_active
    record = AuditRecord.objects.filter(action="user.deactivate").latest("pk")
    assert "PPID" in record.data["left_without_actor"]
    # An account whose work others also carry is switched off without a word.
    operator = _demo("operator")
    assert user_set_access(actor=None, user=operator, is_active=False) == ["user.deactivate"]


def test_moving_the_last_actor_to_another_unit_is_refused_and_changes_nothing(demo):
    from balai.audit.models import AuditRecord
    from balai.people.services import membership_move

    head = _demo("head")  # DPMPTSP's head at Pimpinan: with the verifier, the one who sees its intake desk
    membership = Membership.objects.get(user=head, role="head", unit__slug="pimpinan")
    elsewhere = Unit.objects.get(agency__slug="dpmptsp", slug="perizinan")
    with pytest.raises(ValidationError) as info:
        membership_move(membership=membership, unit=elsewhere)
    assert "belum dapat dipindahkan" in " ".join(info.value.messages)
    membership.refresh_from_db()
    assert membership.is_active
    assert not Membership.objects.filter(user=head, unit=elsewhere, role="head").exists()
    # Someone else heads the agency: now the move goes through, audited.
    other = User.objects.create_user(email="kepala2@example.id", full_name="Kepala Dua", is_staff=True)
    membership_grant(user=other, unit=membership.unit, role="head")
    moved = membership_move(membership=membership, unit=elsewhere)
    membership.refresh_from_db()
    assert moved.unit == elsewhere and moved.is_active and not membership.is_active
    assert AuditRecord.objects.filter(action="membership.move", data__to_unit=elsewhere.pk).exists()


def test_the_members_page_refuses_a_move_in_the_officers_language(demo, client):
    """/kantor/instansi/anggota/: the administrator moves a member; refused in Indonesian with the reason."""
    from django.urls import reverse

    from tests.office.conftest import office_login

    admin = _demo("admin")
    membership = Membership.objects.get(user=_demo("head"), role="head", unit__slug="pimpinan")
    membership_grant(user=admin, unit=membership.unit, role="admin")  # DPMPTSP's members, for this test
    elsewhere = Unit.objects.get(agency__slug="dpmptsp", slug="perizinan")
    office_login(client, admin)
    url = reverse("office:agency_members") + f"?instansi={membership.unit.agency_id}"
    page = client.get(url).content.decode()
    assert f'id="pindah-{membership.pk}"' in page and "Pindahkan ke unit" in page
    response = client.post(url, {"op": "move", "membership": membership.pk, "unit": elsewhere.pk})
    assert response.status_code == 400
    assert "Anggota ini belum dapat dipindahkan" in response.content.decode()
    membership.refresh_from_db()
    assert membership.is_active


def test_the_admins_user_form_refuses_to_switch_off_the_last_actor(demo):
    """/admin/'s user page asks before saving (the form's error, not a 500 from the service)."""
    from django.forms.models import model_to_dict

    from balai.people.admin import UserChangeForm

    ppid = _demo("ppid")
    data = {k: v for k, v in model_to_dict(ppid).items() if v is not None and k not in ("groups", "user_permissions")}
    data["is_active"] = False
    form = UserChangeForm(data=data, instance=ppid)
    assert not form.is_valid()
    assert "belum dapat dinonaktifkan" in " ".join(form.non_field_errors())
    assert User.objects.get(pk=ppid.pk).is_active
