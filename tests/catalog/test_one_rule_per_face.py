# ruff: noqa: F811 - the fixtures imported from tests.api are parameters of the tests below
"""One selector per rule, and every face that uses the rule follows it (docs/architecture.md, ADR 0030).

- requestable services (`catalog.selectors.published_services` / `public_service` / `is_requestable`):
  published and of an active agency; the REST API, Open311, the portal and the engine agree;
- channel availability (`catalog.selectors.offered_on`): `Service.channels` is checked by the engine, so
  every channel that submits is covered, not only the portal's form;
- title from the description (`cases.titles.title_from_text`): one length everywhere;
- contact channels: one definition, `people.ContactChannel`.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from balai.cases.services import CONTACT_CHANNELS, case_submit
from balai.cases.submission import Submission
from balai.cases.titles import ELLIPSIS, TITLE_LENGTH, title_from_text
from balai.catalog.models import Service
from balai.catalog.selectors import is_requestable, offered_on, public_service, published_services
from balai.people.models import ContactChannel
from tests.api.conftest import _empty_cache, api, api_world, as_client, client_key, submission  # noqa: F401
from tests.api.open311.conftest import o311_key  # noqa: F401 - fixture
from tests.api.open311.test_server import BASE
from tests.api.open311.test_server import post as o311_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def deactivated(api_world):
    api_world.agency.is_active = False
    api_world.agency.save()
    return api_world


def _engine_submit(world, **overrides):
    fields = dict(kind="service_request", channel="web", title="Surat", service=world.service,
                  answers={"jumlah": 2}, contact_phone="081250000001", contact_channel="sms")
    fields.update(overrides)
    return case_submit(Submission(**fields))


# --- requestable services -----------------------------------------------------------------------------


def test_the_selector_refuses_a_service_of_a_deactivated_agency(deactivated):
    service = Service.objects.get(pk=deactivated.service.pk)
    assert public_service(service.code) is None
    assert service not in published_services()
    assert not is_requestable(service, kind=Service.Kind.SERVICE)


def test_the_engine_refuses_a_service_of_a_deactivated_agency(deactivated):
    with pytest.raises(ValidationError) as info:
        _engine_submit(deactivated, service=Service.objects.get(pk=deactivated.service.pk))
    assert "service" in info.value.message_dict


def test_rest_neither_lists_nor_accepts_a_service_of_a_deactivated_agency(api, client_key, deactivated):
    _app, key = client_key
    api = as_client(api, key)
    listed = api.get("/api/v1/catalog/services/").json()
    assert deactivated.service.code not in str(listed)
    assert api.get(f"/api/v1/catalog/services/{deactivated.service.code}/").status_code == 404
    response = api.post("/api/v1/cases/", submission(deactivated), format="json")
    assert response.status_code == 400 and "service" in str(response.json())


def test_open311_neither_lists_nor_accepts_a_service_of_a_deactivated_agency(client, o311_key, deactivated):
    _app, key = o311_key
    codes = [row["service_code"] for row in client.get(f"{BASE}services.json").json()]
    assert "svc_surat-sehat" not in codes
    assert client.get(f"{BASE}services/svc_surat-sehat.json").status_code == 404
    assert o311_post(client, key).status_code in (400, 404)


def test_portal_does_not_offer_a_service_of_a_deactivated_agency(client, deactivated):
    assert client.get(f"/layanan/{deactivated.service.code}/").status_code == 404
    assert client.get(f"/layanan/{deactivated.service.code}/ajukan/").status_code == 404


def test_every_face_accepts_a_requestable_service(api, client, client_key, o311_key, api_world):
    _app, key = client_key
    assert as_client(api, key).post("/api/v1/cases/", submission(api_world), format="json").status_code == 201
    assert o311_post(client, o311_key[1]).status_code == 201
    assert client.get(f"/layanan/{api_world.service.code}/").status_code == 200


# --- channel availability -----------------------------------------------------------------------------


def test_offered_on_reads_service_channels():
    web_only = Service(channels=["web"])
    assert offered_on(web_only, "web") and offered_on(web_only, "api")  # a client application is online
    assert offered_on(web_only, "counter")  # the counter always takes a request
    assert not offered_on(web_only, "sms") and not offered_on(web_only, "email")
    assert offered_on(Service(channels=[]), "sms")  # no list: every channel


def test_a_counter_only_service_is_refused_online_by_every_face(api, client, client_key, o311_key, api_world):
    api_world.service.channels = ["counter"]
    api_world.service.save()
    with pytest.raises(ValidationError):
        _engine_submit(api_world)
    _app, key = client_key
    assert as_client(api, key).post("/api/v1/cases/", submission(api_world), format="json").status_code == 400
    assert o311_post(client, o311_key[1]).status_code == 400
    assert _engine_submit(api_world, channel="counter").channel == "counter"


# --- title from the description -----------------------------------------------------------------------


def test_title_from_text_has_one_length():
    long = "Jalan di depan sekolah dasar negeri berlubang besar sejak bulan lalu dan membahayakan anak-anak " * 2
    title = title_from_text(long)
    assert len(title) <= TITLE_LENGTH and title.endswith(ELLIPSIS)
    assert long.startswith(title.removesuffix(ELLIPSIS))
    assert title_from_text("  Lampu   mati ") == "Lampu mati"
    assert title_from_text("", fallback="Surat keterangan") == "Surat keterangan"


def test_portal_sms_and_open311_titles_follow_the_rule(client, o311_key, api_world):
    from balai.cases.models import Case
    from balai.channels.services import handle_inbound
    from balai.portal.views.complain import derive_title
    from tests.factories import ComplaintCategoryFactory

    long = "Lampu jalan di Jl. Juanda mati sejak dua minggu dan jalan menjadi gelap sekali setiap malam hari ini"
    assert derive_title("", long) == title_from_text(long)  # portal complaint without a title
    assert derive_title(" Lampu mati ", long) == "Lampu mati"  # the citizen's own title wins
    assert o311_post(client, o311_key[1], description=long).status_code == 201
    assert Case.objects.get(channel="api").title == title_from_text(long)
    ComplaintCategoryFactory(agency=api_world.agency, unit=api_world.unit, keyword="LAMPU", slug="lampu")
    handle_inbound(channel="sms", gateway_message_id="t-1", sender="081250000009", text=f"LAPOR LAMPU {long}")
    assert Case.objects.get(channel="sms").title == title_from_text(long)


# --- contact channels ---------------------------------------------------------------------------------


def test_contact_channels_have_one_definition():
    from balai.api.serializers import CaseSubmitSerializer
    from balai.portal.forms.contact import CONTACT_CHANNELS as PORTAL

    assert CONTACT_CHANNELS == tuple(ContactChannel.values)
    assert [value for value, _label in PORTAL] == list(ContactChannel.values)
    assert list(CaseSubmitSerializer().fields["contact_channel"].choices) == list(ContactChannel.values)
