"""Downloads and lists that leave the server (docs/security.md, V8 and V14): each goes through the
visibility rule of its kind, holds nothing of unpublished items, and is not kept by a cache when it holds
personal data. The other surfaces of the inventory are proved where they live (tests/cases/test_attachments.py,
tests/portal/test_receipt.py, tests/opendata/test_privacy.py, tests/security/test_public_lists.py)."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from balai.cases.models import Case
from balai.people.models import Membership
from balai.people.services import membership_move, membership_revoke
from tests.api.conftest import staff_key
from tests.factories import AgencyFactory, UnitFactory
from tests.office.conftest import office_login, submit, world  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

TITLE = "Pungutan liar oleh Kepala Seksi"


def _assigned_case(world, submit, officer) -> Case:  # noqa: F811
    case = submit("complaint", title=TITLE, confidentiality="confidential")
    Case.objects.filter(pk=case.pk).update(assignee=officer)
    return case


def _my_queue_api(client, user) -> tuple[str, str]:
    response = client.get("/api/v1/staff/queue/?mine=true&state=all",
                          HTTP_AUTHORIZATION=f"Bearer {staff_key(user)}")
    assert response.status_code == 200
    return response.content.decode(), response.get("Cache-Control", "")


@pytest.mark.parametrize("leave", ["revoked", "moved"])
def test_my_queue_forgets_a_case_when_its_officer_leaves_the_agency(client, world, submit, leave):  # noqa: F811
    """An assignment outlives the role: an officer moved to another agency (or whose role ended) must not
    go on reading the old agency's confidential case titles in 'my cases', in the workspace or the API."""
    officer = world.staff["operator"]
    case = _assigned_case(world, submit, officer)
    office_login(client, officer)
    assert case.tracking_code in client.get(reverse("office:my_queue")).content.decode()
    body, _cache = _my_queue_api(client, officer)
    assert TITLE in body

    membership = Membership.objects.get(user=officer, unit=world.unit)
    elsewhere = UnitFactory(agency=AgencyFactory(government=world.government))
    if leave == "moved":
        membership_move(membership=membership, unit=elsewhere)
    else:
        Membership.objects.create(user=officer, unit=elsewhere, role="operator")  # still staff somewhere
        membership_revoke(membership=membership)

    page = client.get(reverse("office:my_queue")).content.decode()
    assert case.tracking_code not in page and TITLE not in page
    body, _cache = _my_queue_api(client, officer)
    assert case.tracking_code not in body and TITLE not in body
    # The case page refused them already: the list now agrees with it.
    assert client.get(reverse("office:case", args=[case.tracking_code])).status_code in (403, 404)


def test_the_daily_digest_forgets_it_too(world, submit):  # noqa: F811
    """The digest e-mail lists the officer's late cases by tracking code: not those of an agency they left."""
    from balai.office.digest import assigned_cases
    from tests.office.test_digest import MONDAY, _late

    officer = world.staff["operator"]
    case = _late(submit("complaint"), assignee=officer)
    assert set(assigned_cases(user=officer, now=MONDAY)) == {case}
    elsewhere = UnitFactory(agency=AgencyFactory(government=world.government))
    membership_move(membership=Membership.objects.get(user=officer, unit=world.unit), unit=elsewhere)
    assert not assigned_cases(user=officer, now=MONDAY).exists()


def test_my_queue_still_lists_what_the_officer_may_see(client, world, submit):  # noqa: F811
    officer = world.staff["operator"]
    case = _assigned_case(world, submit, officer)
    office_login(client, officer)
    assert case.tracking_code in client.get(reverse("office:my_queue")).content.decode()
    body, _cache = _my_queue_api(client, officer)
    assert case.tracking_code in body


def test_the_staff_api_queue_is_not_kept_by_a_cache(client, world, submit):  # noqa: F811
    """The queue holds case titles and tracking codes (a capability): `private, no-store` like the case."""
    _assigned_case(world, submit, world.staff["operator"])
    _body, cache = _my_queue_api(client, world.staff["operator"])
    assert cache == "private, no-store"
    response = client.get("/api/v1/staff/queue/", HTTP_AUTHORIZATION=f"Bearer {staff_key(world.staff['head'])}")
    assert response.status_code == 200 and TITLE in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"


def _dataset_rows(client, slug: str) -> list[dict]:
    response = client.get(f"/data/{slug}.csv")
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_open_data_counts_nothing_of_an_unpublished_process(client):
    """Participation counts (/data/partisipasi-inklusi, /partisipasi/inklusi/) come from published
    processes only: a process in preparation or withdrawn is not the public's, not even as counts."""
    from balai.participation import selectors, services
    from tests.participation.world import budget_process

    proc, _projects = budget_process()
    for i in range(12):  # above the suppression threshold (10), so a count would show
        services.ballot_cast(process=proc, nik=f"647201410190{i + 1:04d}", codes=["AAAAA"], channel="web",
                             gender="woman")
    cells = {c.value: c.count for c in selectors.inclusion_figures()["ballots_gender"]}
    assert cells == {"woman": 12}
    rows = [r for r in _dataset_rows(client, "partisipasi-inklusi") if r["figure"] == "ballots_gender"]
    assert [(r["value"], r["count"]) for r in rows] == [("woman", "12")]

    type(proc).objects.filter(pk=proc.pk).update(is_published=False)
    assert selectors.inclusion_figures()["ballots_gender"] == []
    assert [r for r in _dataset_rows(client, "partisipasi-inklusi") if r["figure"] == "ballots_gender"] == []
    assert ">12<" not in client.get("/partisipasi/inklusi/").content.decode()


def test_open_data_uptime_names_no_application_the_registry_hides(client):
    """/data/uptime-bulanan lists the applications of /data/aplikasi only: a planned one is not named."""
    from balai.ict.models import Application, DailyUptime

    owner = AgencyFactory()
    shown = Application.objects.create(slug="sipada", name="SIPADA", agency=owner, purpose="Layanan",
                                       spbe_code="RAB.03.02", status="live", users="public")
    hidden = Application.objects.create(slug="rahasia-baru", name="Rencana", agency=owner, purpose="Belum",
                                        spbe_code="RAB.03.02", status="planned", users="staff")
    today = timezone.localdate()
    for app in (shown, hidden):
        DailyUptime.objects.create(application=app, day=today, checks=10, up=10, total_ms=1000)
    assert {r["slug"] for r in _dataset_rows(client, "aplikasi")} == {"sipada"}
    assert {r["application"] for r in _dataset_rows(client, "uptime-bulanan")} == {"sipada"}
