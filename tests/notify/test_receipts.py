from __future__ import annotations

import pytest

from balai.notify.gateways import DevGateway, EmailGateway, HttpGateway, get_gateway, parse_receipt
from balai.notify.gateways.base import UnconfiguredGateway


def test_parse_receipt_default_and_custom_formats():
    r = parse_receipt({}, {"message_id": "gw-1", "status": "DELIVRD"})
    assert (r.gateway_message_id, r.status) == ("gw-1", "delivered")
    custom = {"receipt_format": {"id_field": "data.ref", "status_field": "data.state", "time_field": "data.at",
                                 "error_field": "data.reason", "failed_values": ["BOUNCED"]}}
    r = parse_receipt(custom, {"data": {"ref": 42, "state": "bounced", "at": "2025-03-14T08:00:00+08:00",
                                        "reason": "absent subscriber"}})
    assert r.status == "failed" and r.gateway_message_id == "42" and r.error == "absent subscriber"
    assert r.at.isoformat() == "2025-03-14T08:00:00+08:00"
    assert parse_receipt({}, {"message_id": "gw-1", "status": "ENROUTE"}) is None  # not final
    assert parse_receipt({}, {"status": "delivered"}) is None


def test_gateway_selection(settings):
    settings.BALAI_SMS_GATEWAY = {"url": "http://127.0.0.1:9/send"}
    settings.BALAI_WHATSAPP_GATEWAY = None
    settings.BALAI_EMAIL_GATEWAY = "django"
    assert isinstance(get_gateway("sms"), HttpGateway)
    assert isinstance(get_gateway("whatsapp"), DevGateway)
    assert isinstance(get_gateway("email"), EmailGateway)
    settings.PRODUCTION = True
    assert isinstance(get_gateway("whatsapp"), UnconfiguredGateway)
    settings.BALAI_EMAIL_GATEWAY = "dev"
    assert isinstance(get_gateway("email"), EmailGateway)  # never the dev mailbox in production


def test_http_gateway_refuses_non_http_urls():
    with pytest.raises(ValueError):
        HttpGateway({"url": "file:///etc/passwd"})
