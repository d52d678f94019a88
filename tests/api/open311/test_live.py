"""Over real HTTP (pytest-django live_server on 127.0.0.1): an external Open311 client, and forwarding a case
from "instance A" to "instance B" (here the same database; what matters is the HTTP round trip)."""

from __future__ import annotations

import pytest

from balai.api.open311.client import Open311Client
from balai.api.open311.models import ForwardedCase, RemoteEndpoint
from balai.api.open311.selectors import jurisdiction_id
from balai.api.open311.services.forwarding import forward_case, poll_due, poll_forward
from balai.cases.commands import CaseCommand
from balai.cases.models import Case, Event
from balai.cases.services import case_submit, case_transition
from balai.cases.submission import Submission
from tests.api.open311.conftest import validate
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _live_server_allowed(settings):
    """The live server listens on the loopback address, which forwarding refuses unless allow-listed."""
    settings.BALAI_FORWARD_ALLOWED_HOSTS = ["localhost", "127.0.0.1", "::1"]


def test_external_client_lists_submits_resolves_token_and_reads_status(live_server, api_world, o311_key):
    _app, key = o311_key
    client = Open311Client(live_server.url + "/open311/v2/", api_key=key, jurisdiction_id=jurisdiction_id())
    services = client.services()
    validate("services.json", services)
    code = next(s["service_code"] for s in services if s["metadata"])
    definition = client.service_definition(code)
    validate("service-definition.json", definition)
    attributes = {a["code"]: 3 for a in definition["attributes"] if a["datatype"] == "number"}
    answer = client.post_request(
        {"service_code": code, "lat": "-0.502", "long": "117.153", "description": "Surat sehat untuk kerja",
         "email": "warga@contoh.id", "lang": "en"},
        attributes=attributes,
    )
    validate("post-response.json", [answer])
    resolved = client.token(answer["token"])
    validate("tokens.json", [resolved])
    status = client.request(resolved["service_request_id"])
    validate("request.json", status)
    assert status["status"] == "open" and status["service_code"] == code and status["lang"] == "en"
    case = Case.objects.get(tracking_code=resolved["service_request_id"])
    assert case.answers["jumlah"] == 3 and case.channel == "api"


def test_forward_and_poll_status_back(live_server, api_world, o311_key):
    _app, key = o311_key
    admin = StaffFactory(is_superuser=True)
    case = case_submit(Submission(kind="complaint", channel="web", title="Jalan rusak di Tenggarong",
                       description="Lubang besar di jalan kabupaten", complaint_category=api_world.category,
                       contact_name="Rina", contact_phone="081250000003", location_text="Jl. Diponegoro",
                       language="en"))
    endpoint = RemoteEndpoint.objects.create(
        name="Balai Kukar", base_url=live_server.url + "/open311/v2/", api_key=key,
        jurisdiction_id=jurisdiction_id(), service_codes={"*": "cmp_kesehatan"},
    )
    forward = forward_case(case=case, endpoint=endpoint, actor=admin)
    assert forward.remote_id and forward.remote_token
    remote = Case.objects.get(tracking_code=forward.remote_id)
    assert remote.channel == "api" and remote.language == "en" and remote.pk != case.pk
    assert Event.objects.filter(case=case, kind="forwarding", action="open311_forward").exists()

    assert poll_forward(forward) is True  # first poll learns the remote status notes ("Submitted")
    assert poll_forward(forward) is False  # still open, nothing new
    case_transition(remote, CaseCommand(action="reject", actor=admin, reason="Bukan kewenangan kabupaten"))
    assert poll_due() == 0  # polled a moment ago: not due yet
    forward.refresh_from_db()
    assert poll_forward(forward) is True
    forward.refresh_from_db()
    assert forward.remote_status == "closed" and forward.is_final
    event = Event.objects.filter(case=case, action="open311_status").latest("id")
    assert event.data["status"] == "closed" and "Balai Kukar" in event.body
    assert ForwardedCase.objects.filter(is_final=False).count() == 0


def test_forward_refused_by_remote_is_a_validation_error(live_server, api_world):
    from django.core.exceptions import ValidationError

    admin = StaffFactory(is_superuser=True)
    case = case_submit(Submission(kind="complaint", channel="web", title="Sampah", complaint_category=api_world.category,
                       location_text="Samarinda"))
    endpoint = RemoteEndpoint.objects.create(name="Salah kunci", base_url=live_server.url + "/open311/v2/",
                                             api_key="blk_nope_nope", service_codes={"*": "cmp_kesehatan"})
    with pytest.raises(ValidationError) as info:
        forward_case(case=case, endpoint=endpoint, actor=admin)
    assert "403" in str(info.value)
    assert not ForwardedCase.objects.exists()
