from __future__ import annotations

import pytest

from tests.notify.fake_gateway import FakeGateway


@pytest.fixture
def fake_gateway(settings):
    """A running fake provider; SMS and WhatsApp go to it through the real HTTP adapter."""
    with FakeGateway() as gw:
        settings.BALAI_SMS_GATEWAY = gw.config()
        settings.BALAI_WHATSAPP_GATEWAY = gw.config()
        yield gw
