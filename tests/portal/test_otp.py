"""One-time codes: hashed at rest, expiring, limited tries, rate limits that say when to try again, and
responses that never reveal whether a case or a contact exists (balai.portal.services.otp)."""

from __future__ import annotations

import re
import time

import pytest
from django.core.cache import cache

from balai.cases.tracking import new_tracking_code
from balai.notify.models import Message
from balai.portal.models import OneTimeCode
from balai.portal.services import otp
from tests.portal.flows_b_data import build_world, last_otp, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def test_code_is_stored_only_as_a_keyed_hash():
    cache.clear()
    issued = otp.issue_code(purpose="case", target="KT-AAAA-AAAA", ip="10.0.0.1")
    assert re.fullmatch(r"\d{6}", issued.code)
    row = OneTimeCode.objects.filter(key=otp._key("code", "case", "KT-AAAA-AAAA")).values("key", "code_hash").first()
    assert row is not None
    entry = {"hash": row["code_hash"]}
    assert issued.code not in repr(row)
    assert entry["hash"] == otp._code_hash("case", "KT-AAAA-AAAA", issued.code)
    # the same code for another target hashes differently (no reuse across cases)
    assert entry["hash"] != otp._code_hash("case", "KT-BBBB-BBBB", issued.code)


def test_correct_code_works_once():
    cache.clear()
    issued = otp.issue_code(purpose="case", target="T1", ip="10.0.0.2")
    assert otp.check_code(purpose="case", target="T1", code=issued.code, ip="10.0.0.2").ok
    again = otp.check_code(purpose="case", target="T1", code=issued.code, ip="10.0.0.2")
    assert not again.ok and again.reason == "expired"


def test_code_expires_after_ten_minutes():
    cache.clear()
    start = time.time()
    issued = otp.issue_code(purpose="case", target="T2", ip="10.0.0.3", now=start)
    late = otp.check_code(purpose="case", target="T2", code=issued.code, ip="10.0.0.3",
                          now=start + otp.CODE_TTL_SECONDS + 1)
    assert not late.ok and late.reason == "expired"


def test_code_still_valid_just_before_expiry():
    cache.clear()
    start = time.time()
    issued = otp.issue_code(purpose="case", target="T3", ip="10.0.0.4", now=start)
    assert otp.check_code(purpose="case", target="T3", code=issued.code, ip="10.0.0.4",
                          now=start + otp.CODE_TTL_SECONDS - 5).ok


def test_wrong_tries_are_limited_then_even_the_right_code_fails():
    cache.clear()
    issued = otp.issue_code(purpose="case", target="T4", ip="10.0.0.5")
    wrong = "000000" if issued.code != "000000" else "111111"
    results = [otp.check_code(purpose="case", target="T4", code=wrong, ip="10.0.0.5")
               for _ in range(otp.MAX_ATTEMPTS)]
    assert [r.attempts_left for r in results[:-1]] == list(range(otp.MAX_ATTEMPTS - 1, 0, -1))
    assert results[-1].reason == "too_many"
    final = otp.check_code(purpose="case", target="T4", code=issued.code, ip="10.0.0.5")
    assert not final.ok and final.reason == "too_many"


def test_sending_is_rate_limited_per_target_with_the_time_to_wait():
    cache.clear()
    limit, window = otp.TARGET_LIMIT
    start = time.time()
    for i in range(limit):
        assert not otp.issue_code(purpose="case", target="T5", ip=f"10.1.0.{i}", now=start).limited
    refused = otp.issue_code(purpose="case", target="T5", ip="10.1.0.99", now=start + 60)
    assert refused.limited and refused.retry_after == window - 60
    assert not otp.issue_code(purpose="case", target="T5", ip="10.1.0.99", now=start + window + 1).limited


def test_sending_is_rate_limited_per_ip():
    cache.clear()
    limit, _window = otp.IP_LIMIT
    for i in range(limit):
        assert not otp.issue_code(purpose="case", target=f"T6-{i}", ip="10.2.0.1").limited
    assert otp.issue_code(purpose="case", target="T6-new", ip="10.2.0.1").limited
    assert not otp.issue_code(purpose="case", target="T6-new", ip="10.2.0.2").limited


def test_verifying_is_rate_limited_per_ip_across_targets():
    cache.clear()
    limit, _window = otp.VERIFY_IP_LIMIT
    for i in range(limit):
        otp.check_code(purpose="case", target=f"T7-{i}", code="123456", ip="10.3.0.1")
    assert otp.check_code(purpose="case", target="T7-x", code="123456", ip="10.3.0.1").reason == "limited"


def test_code_page_is_rate_limited_with_a_message_saying_when(client, world):
    case = submit(world)
    url = f"/lacak/{case.tracking_code}/kode/"
    for _ in range(otp.TARGET_LIMIT[0]):
        assert client.post(url).status_code == 302
    response = client.post(url)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Coba lagi dalam 15 menit" in response.content.decode()
    assert Message.objects.filter(event="otp").count() == otp.TARGET_LIMIT[0]


def test_code_goes_to_the_case_contact_through_the_outbox(client, world):
    case = submit(world, contact_phone="0812-3456-7890", contact_channel="whatsapp")
    client.post(f"/lacak/{case.tracking_code}/kode/")
    message = Message.objects.get(event="otp")
    assert message.recipient == "+6281234567890" and message.channel == "whatsapp"
    assert message.subject_id is None
    assert re.search(r"\d{6}", message.body)


def _normalise(html: str, *codes: str) -> str:
    for code in codes:
        html = html.replace(code, "KODE")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_no_enumeration_existing_unknown_and_contactless_codes_look_the_same(client, world):
    real = submit(world)
    contactless = submit(world, contact_phone="", contact_name="", contact_channel="none")
    unknown = new_tracking_code()
    pages = []
    for code in (real.tracking_code, contactless.tracking_code, unknown):
        response = client.post(f"/lacak/{code}/kode/")
        assert response.status_code == 302
        assert response["Location"] == f"/lacak/{code}/verifikasi/?terkirim=1"
        page = client.get(response["Location"])
        assert page.status_code == 200
        pages.append(_normalise(page.content.decode(), code))
        wrong = client.post(f"/lacak/{code}/verifikasi/", {"kode_otp": "000000"})
        assert wrong.status_code == 400
        pages.append(_normalise(wrong.content.decode(), code))
    assert pages[0] == pages[2] == pages[4]  # the "we sent" page
    assert pages[1] == pages[3] == pages[5]  # the wrong-code page
    assert "Jika kasus KODE ada" in pages[0]
    assert Message.objects.filter(event="otp").count() == 1  # only the real contact got a message


def test_proof_lets_the_citizen_see_details(client, world):
    case = submit(world, description="Rincian rahasia permohonan")
    assert "Rincian rahasia" not in client.get(f"/lacak/{case.tracking_code}/").content.decode()
    client.post(f"/lacak/{case.tracking_code}/kode/")
    response = client.post(f"/lacak/{case.tracking_code}/verifikasi/", {"kode_otp": last_otp("+6281234567890")})
    assert response.status_code == 302 and response["Location"] == f"/lacak/{case.tracking_code}/"
    assert "Rincian rahasia" in client.get(f"/lacak/{case.tracking_code}/").content.decode()


def test_proof_for_one_case_does_not_open_another(client, world):
    first = submit(world)
    second = submit(world, description="Kasus kedua rahasia")
    client.post(f"/lacak/{first.tracking_code}/kode/")
    client.post(f"/lacak/{first.tracking_code}/verifikasi/", {"kode_otp": last_otp("+6281234567890")})
    assert "Kasus kedua rahasia" not in client.get(f"/lacak/{second.tracking_code}/").content.decode()
    assert client.get(f"/lacak/{second.tracking_code}/tanggapi/").status_code == 403


def test_a_code_for_one_case_does_not_prove_another(client, world):
    first = submit(world)
    second = submit(world)
    client.post(f"/lacak/{first.tracking_code}/kode/")
    response = client.post(f"/lacak/{second.tracking_code}/verifikasi/", {"kode_otp": last_otp("+6281234567890")})
    assert response.status_code == 400


def test_wrong_code_message_counts_down_and_expired_message(client, world):
    case = submit(world)
    client.post(f"/lacak/{case.tracking_code}/kode/")
    code = last_otp("+6281234567890")
    wrong = "000000" if code != "000000" else "111111"
    response = client.post(f"/lacak/{case.tracking_code}/verifikasi/", {"kode_otp": wrong})
    assert "4 kali" in response.content.decode()
    empty = client.post(f"/lacak/{case.tracking_code}/verifikasi/", {"kode_otp": ""})
    assert empty.status_code == 400 and 'href="#id_kode_otp"' in empty.content.decode()


def test_expired_codes_and_counters_are_forgotten():
    from balai.portal.models import RateCounter

    start = time.time()
    otp.issue_code(purpose="case", target="T-OLD", ip="10.8.0.1", now=start)
    assert OneTimeCode.objects.exists() and RateCounter.objects.exists()
    assert otp.forget_expired(now=start + 60) == 0  # nothing is over yet
    assert otp.forget_expired(now=start + 2 * 60 * 60) >= 3  # the code and both counters
    assert not OneTimeCode.objects.exists() and not RateCounter.objects.exists()
