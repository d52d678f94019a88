"""Fixtures for the channel tests: an agency with staff, complaint categories, signed webhook posts."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

import pytest

from balai.agencies.models import Unit
from balai.channels import signing
from tests.factories import (
    AgencyFactory,
    ComplaintCategoryFactory,
    GovernmentFactory,
    MembershipFactory,
    StaffFactory,
    UnitFactory,
)

PHONE = "+6281234567890"
OTHER_PHONE = "+6281399998888"
# Each channel's own webhook secret: outside demo mode a channel without one refuses every request.
SECRETS = {"sms": "test-sms-inbound-secret-0123456789abcdef", "whatsapp": "test-wa-inbound-secret-0123456789abcdef",
           "email": "test-email-inbound-secret-0123456789abcdef"}


def sms_config(**config: Any) -> dict[str, Any]:
    """A BALAI_SMS_GATEWAY value with the test secret (tests that change the gateway keep it)."""
    return {"inbound_secret": SECRETS["sms"], **config}


def set_inbound_secrets(settings) -> None:
    settings.BALAI_SMS_GATEWAY = sms_config()
    settings.BALAI_WHATSAPP_GATEWAY = {"inbound_secret": SECRETS["whatsapp"]}
    settings.BALAI_EMAIL_INBOUND = {"inbound_secret": SECRETS["email"]}


@pytest.fixture(autouse=True)
def inbound_secrets(settings):
    set_inbound_secrets(settings)


@dataclass
class Place:
    agency: Any
    unit: Any
    roads: Any  # keyword JALAN
    services: Any  # keyword LAYANAN (the e-mail default)
    staff: dict[str, Any]


@pytest.fixture
def place(db) -> Place:
    return build_place()


def build_place() -> Place:
    """An agency (PUPR) with a roads unit and its staff, categories JALAN and LAYANAN (the e-mail default)."""
    gov = GovernmentFactory()
    agency = AgencyFactory(government=gov, short_name="Dinas PUPR", slug="pupr")
    unit = UnitFactory(agency=agency, slug="jalan", kind=Unit.Kind.DIVISION)
    roads = ComplaintCategoryFactory(agency=agency, unit=unit, keyword="jalan", slug="infrastruktur-jalan",
                                     order=1)
    services = ComplaintCategoryFactory(agency=agency, unit=unit, keyword="layanan", slug="kualitas-pelayanan",
                                        order=2)
    staff = {}
    for role in ("operator", "verifier", "head"):
        user = StaffFactory(full_name=f"Petugas {role}")
        MembershipFactory(user=user, unit=unit, role=role)
        staff[role] = user
    return Place(agency, unit, roads, services, staff)


def signed_post(client, path: str, body: bytes, *, channel: str, content_type: str = "application/json",
                timestamp: int | None = None, headers: dict | None = None):
    sent = signing.signed_headers(channel, body, timestamp=timestamp)
    sent.update(headers or {})
    return client.post(path, data=body, content_type=content_type,
                       headers=sent)


@pytest.fixture
def sms(client):
    """Send one SMS to /kanal/sms/ (signed); returns the JSON answer (and asserts 200)."""
    counter = {"n": 0}

    def send(text: str, *, sender: str = PHONE, message_id: str | None = None, channel: str = "sms") -> dict:
        counter["n"] += 1
        mid = message_id or f"gw-in-{counter['n']}-{time.monotonic_ns()}"
        body = json.dumps({"message_id": mid, "from": sender, "text": text}).encode()
        path = "/kanal/sms/" if channel == "sms" else "/kanal/wa/"
        response = signed_post(client, path, body, channel=channel)
        assert response.status_code == 200, response.content
        return response.json()

    return send
