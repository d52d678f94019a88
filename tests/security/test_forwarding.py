"""Open311 forwarding to another government's endpoint is no way into our own network (ADR 0020).

A small GeoReport server runs on 127.0.0.1 inside the test; forwarding reaches it only when the test
allow-lists it, follows none of its redirects, never tells it who an anonymous citizen is, records every
attempt in the audit chain, and keeps its status notes from putting markup or control characters on our
public timeline.
"""

from __future__ import annotations

import json
import socket
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ValidationError

from balai.api.open311.models import ForwardedCase, RemoteEndpoint
from balai.api.open311.services.forwarding import clean_remote_text, forward_case, poll_forward
from balai.audit.models import AuditRecord
from balai.audit.services import verify_chain
from balai.cases.models import Event
from balai.cases.visibility import case_view
from balai.outbound import ForbiddenTarget, is_public_address, vetted_addresses
from tests.security.data_world import NIK, data_world_fixture, submit_with_nik  # noqa: F401

pytestmark = pytest.mark.django_db


class FakeOpen311:
    """A GeoReport v2 endpoint on 127.0.0.1 that remembers what it was sent."""

    def __init__(self) -> None:
        self.posts: list[dict[str, list[str]]] = []
        self.paths: list[str] = []
        self.status = {"status": "open", "status_notes": "Diterima"}
        self.redirect_to = ""
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep the test output quiet
                pass

            def _answer(self, body: object, code: int = 200, headers: dict | None = None) -> None:
                data = json.dumps(body).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                fake.paths.append(self.path)
                if fake.redirect_to and not self.path.startswith("/inside"):
                    self._answer([], 307, {"Location": fake.redirect_to})
                    return
                length = int(self.headers.get("Content-Length") or 0)
                fake.posts.append(urllib.parse.parse_qs(self.rfile.read(length).decode()))
                self._answer([{"service_request_id": "KK-1<b>23</b>", "token": "tok-1"}])

            def do_GET(self) -> None:  # noqa: N802
                fake.paths.append(self.path)
                self._answer([{"service_request_id": "KK-123", **fake.status}])

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/open311/v2/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeOpen311:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def remote():
    with FakeOpen311() as fake:
        yield fake


@pytest.fixture
def admin():
    from tests.factories import StaffFactory

    return StaffFactory(is_superuser=True, full_name="Admin Provinsi")


def endpoint_for(url: str) -> RemoteEndpoint:
    return RemoteEndpoint.objects.create(name="Balai Kukar", base_url=url, api_key="k",
                                         service_codes={"*": "layanan-kukar"})


def test_loopback_target_is_refused_unless_allow_listed_and_the_refusal_is_audited(settings, remote, admin,
                                                                                    data_world):
    settings.BALAI_FORWARD_ALLOWED_HOSTS = []
    case = submit_with_nik(data_world)
    with pytest.raises(ValidationError) as info:
        forward_case(case=case, endpoint=endpoint_for(remote.url), actor=admin)
    assert "BALAI_FORWARD_ALLOWED_HOSTS" in str(info.value)
    assert remote.paths == [] and not ForwardedCase.objects.exists()
    refused = AuditRecord.objects.get(action="case.open311_forward_refused")
    assert refused.target_id == str(case.pk) and refused.data["host"] == "127.0.0.1"

    settings.BALAI_FORWARD_ALLOWED_HOSTS = ["127.0.0.1"]
    forward = forward_case(case=case, endpoint=endpoint_for(remote.url), actor=admin)
    assert len(remote.posts) == 1 and forward.remote_id == "KK-123"  # the remote's markup stripped
    record = AuditRecord.objects.get(action="case.open311_forward")
    assert record.data["identity_sent"] is True and "first_name" in record.data["fields"]
    assert verify_chain().ok


def test_a_name_is_checked_by_every_address_it_resolves_to(settings, monkeypatch):
    settings.BALAI_FORWARD_ALLOWED_HOSTS = []
    answers = {"mixed.example.id": ["1.1.1.1", "10.0.0.5"], "meta.example.id": ["169.254.169.254"],
               "v6.example.id": ["fe80::1"], "mapped.example.id": ["::ffff:127.0.0.1"],
               "public.example.id": ["8.8.8.8", "2606:4700:4700::1111"]}

    def fake_getaddrinfo(host, port, *args, **kwargs):
        return [(socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
                for a in answers[host]]

    monkeypatch.setattr(socket, "getaddrinfo", fake_getaddrinfo)
    for host in ("mixed.example.id", "meta.example.id", "v6.example.id", "mapped.example.id"):
        with pytest.raises(ForbiddenTarget):
            vetted_addresses(host, 443, [])
    assert [s[0] for _f, s in vetted_addresses("public.example.id", 443, [])] == ["8.8.8.8", "2606:4700:4700::1111"]
    # allow-listed by network, or by name
    assert vetted_addresses("mixed.example.id", 443, ["10.0.0.0/8"])
    assert vetted_addresses("meta.example.id", 443, ["meta.example.id"])


@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
                                     "100.64.0.1", "0.0.0.0", "224.0.0.1", "::1", "fe80::1", "fc00::1",
                                     "::ffff:10.0.0.1", "2002:7f00:1::1", "64:ff9b::a00:1"])
def test_private_loopback_link_local_and_their_ipv6_forms_are_not_public(address):
    assert not is_public_address(address)


def test_the_connection_goes_to_the_address_that_was_checked(settings, monkeypatch, remote, admin, data_world):
    """No second look-up between the check and the connect: a rebinding name gains nothing."""
    settings.BALAI_FORWARD_ALLOWED_HOSTS = ["127.0.0.0/8"]
    real = socket.getaddrinfo
    calls = []

    def resolver(host, port, *args, **kwargs):
        calls.append(host)
        if host == "kukar.example.id":
            return real("127.0.0.1", port, *args, **kwargs)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    case = submit_with_nik(data_world)
    forward_case(case=case, endpoint=endpoint_for(f"http://kukar.example.id:{remote.port}/open311/v2/"), actor=admin)
    assert len(remote.posts) == 1 and calls.count("kukar.example.id") == 1


def test_redirects_are_not_followed(settings, remote, admin, data_world):
    settings.BALAI_FORWARD_ALLOWED_HOSTS = ["127.0.0.1"]
    remote.redirect_to = f"http://127.0.0.1:{remote.port}/inside/secret"
    case = submit_with_nik(data_world)
    with pytest.raises(ValidationError) as info:
        forward_case(case=case, endpoint=endpoint_for(remote.url), actor=admin)
    assert "redirect" in str(info.value)
    assert not any(p.startswith("/inside") for p in remote.paths) and remote.posts == []
    assert AuditRecord.objects.filter(action="case.open311_forward_refused").exists()


def test_an_anonymous_citizen_is_never_named_to_the_remote(settings, remote, admin, data_world):
    settings.BALAI_FORWARD_ALLOWED_HOSTS = ["127.0.0.1"]
    case = submit_with_nik(data_world, confidentiality="anonymous", contact_email="siti@contoh.id",
                           description="Saya Siti, hubungi 0812-3456-7890 atau siti@contoh.id. NIK 6472015508900001")
    forward_case(case=case, endpoint=endpoint_for(remote.url), actor=admin)
    sent = json.dumps(remote.posts[0])
    for secret in ("Siti Rahmawati", "3456", "7890", "siti@contoh.id", NIK, "nik_encrypted"):
        assert secret not in sent, secret
    assert "first_name" not in remote.posts[0] and "phone" not in remote.posts[0] and "email" not in remote.posts[0]
    assert remote.posts[0]["attribute[keperluan]"] == ["Melamar kerja"]
    assert AuditRecord.objects.get(action="case.open311_forward").data["identity_sent"] is False


def test_a_named_citizen_is_sent_as_the_remote_needs_with_the_nik_decrypted(settings, remote, admin, data_world):
    settings.BALAI_FORWARD_ALLOWED_HOSTS = ["127.0.0.1"]
    case = submit_with_nik(data_world)
    forward_case(case=case, endpoint=endpoint_for(remote.url), actor=admin)
    post = remote.posts[0]
    assert post["first_name"] == ["Siti Rahmawati"] and post["attribute[nomor_induk]"] == [NIK]
    assert "nik_encrypted" not in json.dumps(post)


def test_remote_status_notes_reach_the_public_timeline_only_as_short_plain_text(settings, remote, admin,
                                                                                 data_world):
    settings.BALAI_FORWARD_ALLOWED_HOSTS = ["127.0.0.1"]
    case = submit_with_nik(data_world)
    forward = forward_case(case=case, endpoint=endpoint_for(remote.url), actor=admin)
    remote.status = {"status": "<i>closed</i>",
                     "status_notes": "<script>alert(1)</script>&lt;img src=x onerror=alert(2)&gt;Selesai\x00\x1b[31m"
                                     "\u202etxt.exe\n" + "x" * 5000}
    assert poll_forward(forward) is True
    event = Event.objects.filter(case=case, action="open311_status").latest("id")
    for text in (event.body, event.data["status_notes"]):
        assert "<" not in text and ">" not in text and "\x00" not in text and "\x1b" not in text
        assert "\u202e" not in text and "\n" not in text
    assert len(event.data["status_notes"]) <= 500 and event.data["status"] == "open"
    public = case_view(case=case, viewer=None)
    assert all("<" not in (entry.body or "") for entry in public.timeline)


def test_clean_remote_text():
    assert clean_remote_text("<b>Selesai</b>  dikerjakan\r\n", limit=50) == "Selesai dikerjakan"
    assert clean_remote_text("&lt;script&gt;x&lt;/script&gt;ok", limit=50) == "xok"
    assert clean_remote_text("a" * 20, limit=10) == "a" * 9 + "…"
    assert clean_remote_text(None, limit=10) == ""
