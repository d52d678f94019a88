"""Staff sign-in: password + mandatory second factor, enrolment, backup codes, lockout, inactivity."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from balai.office import auth
from balai.office.rules import MARKER_COOKIE, SEEN_KEY
from tests.factories import MembershipFactory, StaffFactory, UserFactory
from tests.office.conftest import office_login, totp_device, totp_token

pytestmark = pytest.mark.django_db
PASSWORD = "rahasia-demo-123"  # tests/factories.py


@pytest.fixture
def officer():
    user = StaffFactory(full_name="Petugas Uji")
    MembershipFactory(user=user, role="operator")
    return user


def _password(client, user, password=PASSWORD):
    return client.post(reverse("office:login"), {"username": user.email, "password": password})


def test_every_workspace_page_needs_sign_in(client):
    for name in ("office:queue", "office:my_queue"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("office:login"))


def test_password_alone_is_not_enough(client, officer):
    totp_device(officer)
    response = _password(client, officer)
    assert response.status_code == 302 and response["Location"].startswith(reverse("office:otp"))
    # Signed in with the password only: the queue still sends the officer to the code page.
    response = client.get(reverse("office:queue"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("office:otp"))


def test_code_completes_sign_in(client, officer):
    device = totp_device(officer)
    _password(client, officer)
    response = client.post(reverse("office:otp"), {"token": totp_token(device)})
    assert response.status_code == 302 and response["Location"] == reverse("office:queue")
    assert client.get(reverse("office:queue")).status_code == 200
    assert response.cookies[MARKER_COOKIE].value == "1"


def test_wrong_code_is_refused_with_a_message(client, officer):
    device = totp_device(officer)
    _password(client, officer)
    wrong = "000000" if totp_token(device) != "000000" else "111111"
    response = client.post(reverse("office:otp"), {"token": wrong})
    assert response.status_code == 200
    assert "Kode ini tidak benar" in response.content.decode()
    assert client.get(reverse("office:queue")).status_code == 302


def test_wrong_password_message(client, officer):
    response = _password(client, officer, "salah-sekali-123")
    assert response.status_code == 200
    assert "tidak cocok" in response.content.decode()


def test_citizen_or_staff_without_membership_cannot_enter(client):
    citizen = UserFactory()
    response = _password(client, citizen)
    assert response.status_code == 200
    assert "tidak punya akses" in response.content.decode()
    loner = StaffFactory()
    response = _password(client, loner)
    assert "tidak punya akses" in response.content.decode()
    # Even a verified session of a non-member gets no page.
    office_login(client, loner)
    assert client.get(reverse("office:queue")).status_code == 403


def test_enrolment_shows_qr_and_secret_then_backup_codes_once(client, officer):
    response = _password(client, officer)
    assert response["Location"].startswith(reverse("office:otp_enrol"))
    page = client.get(reverse("office:otp_enrol"))
    html = page.content.decode()
    assert "<svg" in html and "otpauth" not in html  # the QR code is inline SVG, not a link
    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    secret = auth.base32_secret(device)
    assert auth.grouped(secret) in html
    # A reload shows the same key (one pending device).
    client.get(reverse("office:otp_enrol"))
    assert TOTPDevice.objects.filter(user=officer).count() == 1
    response = client.post(reverse("office:otp_enrol"), {"token": totp_token(device)})
    assert response.status_code == 302 and response["Location"] == reverse("office:backup_codes")
    device.refresh_from_db()
    assert device.confirmed
    codes_page = client.get(reverse("office:backup_codes")).content.decode()
    codes = list(StaticToken.objects.filter(device__user=officer).values_list("token", flat=True))
    assert len(codes) == auth.BACKUP_CODE_COUNT
    assert all(code in codes_page for code in codes)
    # Shown once: the next visit shows only how many are left.
    again = client.get(reverse("office:backup_codes")).content.decode()
    assert not any(code in again for code in codes)
    assert client.get(reverse("office:queue")).status_code == 200


def test_enrolment_with_a_wrong_code_keeps_the_device_unconfirmed(client, officer):
    _password(client, officer)
    client.get(reverse("office:otp_enrol"))
    device = TOTPDevice.objects.get(user=officer)
    wrong = "000000" if totp_token(device) != "000000" else "111111"
    response = client.post(reverse("office:otp_enrol"), {"token": wrong})
    assert response.status_code == 200
    device.refresh_from_db()
    assert not device.confirmed


def test_backup_code_signs_in_once(client, officer):
    totp_device(officer)
    codes = auth.new_backup_codes(officer)
    _password(client, officer)
    response = client.post(reverse("office:otp"), {"token": codes[0].upper()})
    assert response.status_code == 302 and response["Location"] == reverse("office:queue")
    assert StaticToken.objects.filter(device__user=officer).count() == auth.BACKUP_CODE_COUNT - 1
    client.post(reverse("office:logout"))
    _password(client, officer)
    response = client.post(reverse("office:otp"), {"token": codes[0]})
    assert response.status_code == 200  # used up


def test_lockout_after_repeated_failures(client, officer, settings):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        assert _password(client, officer, "salah-sekali-123").status_code == 200
    response = _password(client, officer, "salah-sekali-123")
    assert response.status_code == 429
    html = response.content.decode()
    assert "diblokir" in html and "blocked" in html  # both languages
    assert "15 menit" in html and "15 minutes" in html
    # The right password does not help while locked out.
    assert _password(client, officer).status_code == 429


def test_inactivity_signs_out_with_a_message(client, officer, settings):
    office_login(client, officer)
    assert client.get(reverse("office:queue")).status_code == 200
    session = client.session
    session[SEEN_KEY] = int(time.time()) - settings.SESSION_COOKIE_AGE - 5
    session.save()
    response = client.get(reverse("office:queue"))
    assert response.status_code == 302 and "reason=timeout" in response["Location"]
    page = client.get(response["Location"]).content.decode()
    minutes = settings.SESSION_COOKIE_AGE // 60
    assert f"{minutes} menit" in page and "tidak aktif" in page
    assert client.get(reverse("office:queue")).status_code == 302  # signed out for real


def test_expired_session_cookie_still_explains_why(client):
    client.cookies[MARKER_COOKIE] = "1"
    page = client.get(reverse("office:login")).content.decode()
    assert "tidak aktif" in page


def test_logout_needs_post_and_forgets_the_marker(client, officer):
    office_login(client, officer)
    assert client.get(reverse("office:logout")).status_code == 405
    response = client.post(reverse("office:logout"))
    assert response.status_code == 302
    assert client.get(reverse("office:queue")).status_code == 302
    assert "tidak aktif" not in client.get(reverse("office:login")).content.decode()


def test_next_is_kept_and_only_within_the_workspace(client, officer):
    device = totp_device(officer)
    client.post(reverse("office:login") + "?next=/kantor/saya/", {"username": officer.email, "password": PASSWORD})
    response = client.post(reverse("office:otp") + "?next=/kantor/saya/", {"token": totp_token(device)})
    assert response["Location"] == "/kantor/saya/"
    client.post(reverse("office:logout"))
    client.post(reverse("office:login"), {"username": officer.email, "password": PASSWORD})
    response = client.post(reverse("office:otp") + "?next=https://evil.example/", {"token": totp_token(device, offset=1)})
    assert response["Location"] == reverse("office:queue")


def test_demo_step_gives_demo_staff_the_documented_secrets(settings, client):
    import base64

    from django_otp.oath import totp

    from balai.ops.demo import office as demo_office

    settings.DEMO_MODE = True
    user = StaffFactory(email="operator@demo.balai.id")
    MembershipFactory(user=user, role="operator")
    demo_office.load(log=lambda _msg: None)
    demo_office.load(log=lambda _msg: None)  # idempotent
    device = TOTPDevice.objects.get(user=user)
    secret = demo_office.TOTP_SECRETS["operator"]
    assert base64.b32encode(device.bin_key).decode() == secret
    readme = (settings.BASE_DIR / "README.md").read_text()
    assert all(s in readme for s in demo_office.TOTP_SECRETS.values())
    # A code computed from the README's secret signs in.
    code = f"{totp(base64.b32decode(secret)):06d}"
    _password(client, user)
    assert client.post(reverse("office:otp"), {"token": code})["Location"] == reverse("office:queue")


def test_demo_step_does_nothing_outside_demo_mode(settings):
    from balai.ops.demo import office as demo_office

    settings.DEMO_MODE = False
    user = StaffFactory(email="head@demo.balai.id")
    demo_office.load(log=lambda _msg: None)
    assert not TOTPDevice.objects.filter(user=user).exists()
