"""The SMS/WhatsApp HTTP gateway keeps its token to itself: no redirect is followed (urllib would repeat
the request with the Authorization header to wherever a 30x points), and production refuses a plain
http:// URL off this machine. Real HTTP servers on 127.0.0.1."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from balai.notify.gateways import HttpGateway, get_gateway
from balai.notify.gateways import http as http_gateway
from balai.notify.models import Message

pytestmark = pytest.mark.django_db

TOKEN = "rahasia-gateway-token"


@contextmanager
def server(status: int, location: str = "") -> Iterator[tuple[str, list[dict]]]:
    """An HTTP server on 127.0.0.1 answering every request with `status` (and `Location`); yields its
    URL and the list of requests it got (method, path, headers)."""
    seen: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(length)
            seen.append({"method": self.command, "path": self.path, "headers": dict(self.headers)})
            body = b'{"message_id": "gw-1"}'
            self.send_response(status)
            if location:
                self.send_header("Location", location)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_PUT = _answer  # noqa: N815 - http.server's naming

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", seen
    finally:
        httpd.shutdown()
        httpd.server_close()


def _message() -> Message:
    return Message.objects.create(event="otp", channel="sms", recipient="+6281234567890", body="Kode 123456")


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_is_not_followed_and_the_token_goes_nowhere_else(status):
    with server(200) as (elsewhere, stolen), server(status, location=f"{elsewhere}/collect") as (url, seen):
        gateway = HttpGateway({"url": f"{url}/send", "token": TOKEN}, channel="sms")
        result = gateway.send(_message())
    assert len(seen) == 1 and seen[0]["headers"]["Authorization"] == f"Bearer {TOKEN}"
    assert stolen == []  # the other server never heard of us, let alone of the token
    assert not result.accepted and result.permanent_error and not result.recipient_fault
    assert f"HTTP {status}" in result.error and "redirect" in result.error


def test_the_same_gateway_still_sends_when_there_is_no_redirect():
    with server(200) as (url, seen):
        result = HttpGateway({"url": f"{url}/send", "token": TOKEN}).send(_message())
    assert result.accepted and result.gateway_message_id == "gw-1" and len(seen) == 1


def test_production_refuses_plain_http_off_this_machine(settings, monkeypatch):
    settings.PRODUCTION = True
    settings.BALAI_SMS_GATEWAY = {"url": "http://sms.example.id/send", "token": TOKEN}

    def no_network(*args, **kwargs):
        raise AssertionError("nothing may be sent")

    monkeypatch.setattr(http_gateway._OPENER, "open", no_network)
    result = get_gateway("sms").send(_message())
    assert not result.accepted and result.permanent_error and not result.recipient_fault
    assert "plain http" in result.error


def test_production_allows_plain_http_to_a_gateway_on_this_machine(settings):
    settings.PRODUCTION = True
    with server(200) as (url, seen):
        settings.BALAI_SMS_GATEWAY = {"url": f"{url}/send", "token": TOKEN}
        assert get_gateway("sms").send(_message()).accepted
    assert len(seen) == 1


def test_development_allows_plain_http(settings):
    settings.PRODUCTION = False
    gateway = HttpGateway({"url": "http://sms.example.id/send"})
    request = gateway.build_request(_message())
    assert request.full_url == "http://sms.example.id/send"
