"""The client's address behind a trusted proxy (balai/net.py, ADR 0017) and every per-address limit using it.

Without `BALAI_TRUSTED_PROXIES` every request counts against REMOTE_ADDR, as before. With it, a request
from a trusted proxy counts against the right-most untrusted address of X-Forwarded-For; a request from
anywhere else cannot choose its address by sending that header. IPv6 clients are limited per /64.
"""

from __future__ import annotations

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from balai.net import client_ip, lockout_address, parse_address, rate_limit_key
from balai.portal import submit_limits

PROXY = "10.0.0.1"
ALICE = "203.0.113.10"
BOB = "198.51.100.20"
STRANGER = "192.0.2.99"  # talks to Balai directly, not through the proxy
V6_A = "2001:db8:1:2::aaaa"
V6_A_NEIGHBOUR = "2001:db8:1:2:ffff:ffff:ffff:1"  # same /64
V6_B = "2001:db8:1:3::aaaa"  # the next /64


def via_proxy(client: str, *, proxy: str = PROXY, before: str = "") -> dict[str, str]:
    """Request META as the proxy sends it: the client's own header (if any), then what the proxy appends."""
    forwarded = f"{before}, {client}" if before else client
    return {"REMOTE_ADDR": proxy, "HTTP_X_FORWARDED_FOR": forwarded}


def request(**meta: str):
    return RequestFactory().get("/", **meta)


@pytest.fixture
def behind_proxy(settings):
    settings.BALAI_TRUSTED_PROXIES = [PROXY, "10.1.0.0/16", "fd00::/8"]
    return settings


# --- parsing -----------------------------------------------------------------------------------------

def test_without_the_setting_remote_addr_is_the_client_and_the_header_is_ignored(settings):
    settings.BALAI_TRUSTED_PROXIES = []
    assert client_ip(request(**via_proxy(ALICE))) == PROXY


def test_the_client_behind_a_trusted_proxy(behind_proxy):
    assert client_ip(request(**via_proxy(ALICE))) == ALICE


def test_a_spoofed_header_from_an_untrusted_peer_is_ignored(behind_proxy):
    spoofed = {"REMOTE_ADDR": STRANGER, "HTTP_X_FORWARDED_FOR": ALICE}
    assert client_ip(request(**spoofed)) == STRANGER


def test_a_spoofed_entry_before_the_proxy_is_ignored(behind_proxy):
    # The client wrote "X-Forwarded-For: 198.51.100.20"; the proxy appended the address it saw.
    assert client_ip(request(**via_proxy(ALICE, before=BOB))) == ALICE
    # A client pretending to be a trusted proxy gains nothing either: the proxy still appends its peer.
    assert client_ip(request(**via_proxy(ALICE, before=f"{BOB}, {PROXY}"))) == ALICE


def test_several_proxies(behind_proxy):
    # client -> edge proxy 10.1.0.5 -> internal proxy 10.1.0.6 -> Balai (REMOTE_ADDR 10.0.0.1)
    meta = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"{BOB}, {ALICE}, 10.1.0.5, 10.1.0.6"}
    assert client_ip(request(**meta)) == ALICE


def test_only_trusted_hops_give_the_furthest_one(behind_proxy):
    meta = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "10.1.0.5, 10.1.0.6"}
    assert client_ip(request(**meta)) == "10.1.0.5"
    assert client_ip(request(REMOTE_ADDR=PROXY)) == PROXY  # no header at all


def test_garbage_next_to_a_trusted_proxy_gives_the_proxy(behind_proxy):
    meta = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"{ALICE}, unknown, 10.1.0.5"}
    assert client_ip(request(**meta)) == "10.1.0.5"
    assert client_ip(request(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="<script>")) == PROXY


def test_ports_brackets_and_mapped_addresses(behind_proxy):
    assert client_ip(request(**via_proxy(f"{ALICE}:51234"))) == ALICE
    assert client_ip(request(**via_proxy(f"[{V6_A}]:443"))) == "2001:db8:1:2::aaaa"
    assert client_ip(request(**via_proxy(V6_A.upper()))) == "2001:db8:1:2::aaaa"
    assert client_ip(request(REMOTE_ADDR=f"::ffff:{ALICE}")) == ALICE
    assert client_ip(request(**via_proxy(ALICE, proxy="fd00::1"))) == ALICE


def test_no_address_at_all():
    assert client_ip(request(REMOTE_ADDR="")) == "unknown"
    assert rate_limit_key("unknown") == "unknown"
    assert parse_address("not an address") is None


def test_ipv6_is_limited_per_64_and_ipv4_per_address():
    assert rate_limit_key(V6_A) == rate_limit_key(V6_A_NEIGHBOUR) == "2001:db8:1:2::/64"
    assert rate_limit_key(V6_B) != rate_limit_key(V6_A)
    assert rate_limit_key(ALICE) == ALICE
    assert rate_limit_key("203.0.113.11") != rate_limit_key(ALICE)


def test_lockout_address_is_an_address(behind_proxy):
    assert lockout_address(request(**via_proxy(V6_A_NEIGHBOUR))) == "2001:db8:1:2::"
    assert lockout_address(request(**via_proxy(ALICE))) == ALICE
    assert lockout_address(request(REMOTE_ADDR="")) is None


def test_a_bad_setting_refuses_to_start():
    from balai.net import parse_networks

    assert [str(n) for n in parse_networks(["127.0.0.1", " 10.0.0.0/8 ", "fd00::/8"])] == [
        "127.0.0.1/32", "10.0.0.0/8", "fd00::/8"]
    with pytest.raises(ValueError, match="proxy.example"):
        parse_networks(["proxy.example"])


# --- every per-address limit -----------------------------------------------------------------------


@pytest.mark.django_db
def test_one_time_code_sending_is_limited_per_client_behind_the_proxy(client, behind_proxy):
    cache.clear()
    behind_proxy.BALAI_OTP_LIMITS = {"ip": (2, 3600)}
    codes = iter(f"KT-AAAA-AAA{c}" for c in "BCDEFGHJ")
    post = lambda meta: client.post(f"/lacak/{next(codes)}/kode/", **meta)  # noqa: E731
    assert [post(via_proxy(ALICE)).status_code for _ in range(3)] == [302, 302, 429]
    assert post(via_proxy(BOB)).status_code == 302  # another citizen behind the same proxy


@pytest.mark.django_db
def test_one_time_code_sending_ignores_a_spoofed_header(client, behind_proxy):
    cache.clear()
    behind_proxy.BALAI_OTP_LIMITS = {"ip": (2, 3600)}
    statuses = [client.post(f"/lacak/KT-AAAA-AAA{c}/kode/", REMOTE_ADDR=STRANGER,
                            HTTP_X_FORWARDED_FOR=f"203.0.113.{i}").status_code for i, c in enumerate("BCD")]
    assert statuses == [302, 302, 429]


@pytest.mark.django_db
def test_one_time_code_checking_is_limited_per_client_and_per_64(client, behind_proxy):
    cache.clear()
    behind_proxy.BALAI_OTP_LIMITS = {"verify_ip": (2, 900)}
    url = "/lacak/KT-AAAA-AAAB/verifikasi/"
    assert [client.post(url, {"kode_otp": "123456"}, **via_proxy(V6_A)).status_code for _ in range(2)] == [400, 400]
    assert client.post(url, {"kode_otp": "123456"}, **via_proxy(V6_A_NEIGHBOUR)).status_code == 429
    assert client.post(url, {"kode_otp": "123456"}, **via_proxy(V6_B)).status_code == 400


@pytest.mark.django_db
def test_tracking_look_ups_are_limited_per_client_behind_the_proxy(client, behind_proxy, monkeypatch):
    from balai.portal.views import track

    cache.clear()
    monkeypatch.setattr(track, "LOOKUP_LIMIT", (2, 600))
    look = lambda meta: client.get("/lacak/", {"kode": "KT-AAAA-AAAB"}, **meta).status_code  # noqa: E731
    assert look(via_proxy(ALICE)) != 429 and look(via_proxy(ALICE)) != 429
    assert look(via_proxy(ALICE)) == 429
    assert look(via_proxy(BOB)) != 429


def _submit_request(meta: dict[str, str]):
    req = RequestFactory().post("/lapor/periksa/", **meta)
    req.session = SessionStore()
    return req


@pytest.mark.django_db
def test_portal_submissions_are_limited_per_client_behind_the_proxy(behind_proxy):
    cache.clear()
    behind_proxy.BALAI_SUBMIT_LIMITS = {"ip": (1, 3600), "session": (100, 600)}
    submit_limits.count_submit(_submit_request(via_proxy(ALICE)))
    assert not submit_limits.check_submit(_submit_request(via_proxy(ALICE))).allowed  # a new session, same person
    assert submit_limits.check_submit(_submit_request(via_proxy(BOB))).allowed


@pytest.mark.django_db
def test_portal_submissions_count_an_ipv6_64_as_one_client(behind_proxy):
    cache.clear()
    behind_proxy.BALAI_SUBMIT_LIMITS = {"ip": (1, 3600), "session": (100, 600)}
    submit_limits.count_submit(_submit_request(via_proxy(V6_A)))
    assert not submit_limits.check_submit(_submit_request(via_proxy(V6_A_NEIGHBOUR))).allowed
    assert submit_limits.check_submit(_submit_request(via_proxy(V6_B))).allowed


@pytest.mark.django_db
def test_api_throttling_per_client_behind_the_proxy(client, behind_proxy):
    cache.clear()
    behind_proxy.BALAI_API_ANON_RATE = 2
    get = lambda meta: client.get("/api/v1/agencies/", **meta).status_code  # noqa: E731
    assert [get(via_proxy(ALICE)) for _ in range(3)] == [200, 200, 429]
    assert get(via_proxy(BOB)) == 200
    assert [get(via_proxy(V6_A)), get(via_proxy(V6_A_NEIGHBOUR)), get(via_proxy(V6_A))] == [200, 200, 429]


@pytest.mark.django_db
def test_api_throttling_ignores_a_spoofed_header(client, behind_proxy):
    cache.clear()
    behind_proxy.BALAI_API_ANON_RATE = 2
    statuses = [client.get("/api/v1/agencies/", REMOTE_ADDR=STRANGER, HTTP_X_FORWARDED_FOR=f"203.0.113.{i}")
                .status_code for i in range(3)]
    assert statuses == [200, 200, 429]


@pytest.mark.django_db
def test_sign_in_lockout_records_the_client_behind_the_proxy(client, behind_proxy):
    from axes.helpers import get_client_ip_address
    from axes.models import AccessAttempt

    from tests.factories import StaffFactory

    assert get_client_ip_address(request(**via_proxy(ALICE))) == ALICE
    assert get_client_ip_address(request(**via_proxy(V6_A))) == "2001:db8:1:2::"
    user = StaffFactory()
    client.post(reverse("office:login"), {"username": user.email, "password": "wrong-password-1"},
                **via_proxy(ALICE))
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ALICE}
