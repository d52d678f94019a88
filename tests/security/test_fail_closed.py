"""Fail closed outside an explicit demo (ADR 0017).

- Without BALAI_ENV and BALAI_DEMO an instance is development WITHOUT demo mode: DEBUG off, a secret key
  of its own (never the published one), no demo data, no /dev/pesan/.
- A webhook channel without its own secret refuses every request outside demo mode: knowing SECRET_KEY
  no longer makes anyone a gateway.
- Production refuses to start without the webhook secret of an enabled channel, with a plain-http gateway,
  without an explicit BALAI_TRUSTED_PROXIES, and with a database that holds demo accounts or demo keys.
- /dev/pesan/ answers only in demo mode and only to a request straight from the loopback interface.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command

from balai.env import channel_problems, local_secret_key
from balai.net import insecure_url

ROOT = Path(__file__).resolve().parents[2]
PUBLISHED_KEY = "insecure-development-key-do-not-use-in-production-0123456789"  # the former default
SECRET = "p" * 40
PRINT_SETTINGS = ("import django, json; django.setup(); from django.conf import settings as s; "
                  "print(json.dumps({'demo': s.DEMO_MODE, 'debug': s.DEBUG, 'production': s.PRODUCTION, "
                  "'key': s.SECRET_KEY}))")


def run_python(code: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    """`python -c code` with a clean Balai environment (no .env values, nothing inherited but PATH)."""
    base = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "DJANGO_SETTINGS_MODULE": "balai.settings",
            "BALAI_VAR_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            # Empty values win over a developer's .env (load_dotenv never overrides the environment).
            "BALAI_ENV": "", "BALAI_DEMO": "", "SECRET_KEY": "", "DEBUG": "", "BALAI_TRUSTED_PROXIES": "",
            "BALAI_SMS_GATEWAY": "", "BALAI_WHATSAPP_GATEWAY": "", "BALAI_EMAIL_INBOUND": ""}
    return subprocess.run([sys.executable, "-c", code], env={**base, **env}, cwd=ROOT, capture_output=True,
                          text=True, check=False, timeout=120)


def production_env(**extra: str) -> dict[str, str]:
    from cryptography.fernet import Fernet

    # Field keys too: production requires keys of their own for stored NIKs (the NIK-encryption work).
    return {"BALAI_ENV": "production", "SECRET_KEY": "k" * 50, "BALAI_TRUSTED_PROXIES": "127.0.0.1",
            "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(), "FIELD_DIGEST_KEY": "d" * 50, **extra}


# --- no BALAI_ENV: development without demo ------------------------------------------------------

def test_without_balai_env_nothing_is_demo_and_the_key_is_our_own(tmp_path):
    first = run_python(PRINT_SETTINGS, tmp_path)
    assert first.returncode == 0, first.stderr
    values = json.loads(first.stdout)
    assert values["demo"] is False and values["debug"] is False and values["production"] is False
    assert values["key"] != PUBLISHED_KEY and len(values["key"]) >= 50
    # Every process of the installation (web, worker, commands) shares it, across restarts.
    again = json.loads(run_python(PRINT_SETTINGS, tmp_path).stdout)
    assert again["key"] == values["key"]
    key_file = tmp_path / "secret_key"
    assert key_file.read_text().strip() == values["key"]
    assert key_file.stat().st_mode & 0o077 == 0  # readable by its owner only


def test_demo_mode_only_when_asked_for(tmp_path):
    values = json.loads(run_python(PRINT_SETTINGS, tmp_path, BALAI_DEMO="1").stdout)
    assert values["demo"] is True and values["key"] != PUBLISHED_KEY


def test_make_run_asks_for_demo_mode():
    makefile = (ROOT / "Makefile").read_text()
    assert "setup run: export BALAI_DEMO ?= 1" in makefile


def test_local_secret_key_is_created_once(tmp_path):
    path = tmp_path / "sub" / "secret_key"
    key = local_secret_key(path)
    assert key == local_secret_key(path) and len(key) >= 50


def test_unknown_balai_env_refuses_to_start(tmp_path):
    result = run_python("import django; django.setup()", tmp_path, BALAI_ENV="prod")
    assert result.returncode != 0 and "BALAI_ENV must be development or production" in result.stderr


# --- webhook secrets ---------------------------------------------------------------------------------

REPORT = json.dumps({"message_id": "gw-1", "from": "081234567890", "text": "BANTUAN"}).encode()


def _signed_with_secret_key_derivation(channel: str, secret_key: str, body: bytes) -> dict[str, str]:
    """What someone who knows SECRET_KEY could sign with before (the secret derived from it)."""
    derived = hmac.new(secret_key.encode(), f"balai.channels.dev:{channel}".encode(), hashlib.sha256).hexdigest()
    ts = str(int(time.time()))
    sig = hmac.new(derived.encode(), ts.encode() + b"." + body, hashlib.sha256).hexdigest()
    return {"X-Balai-Timestamp": ts, "X-Balai-Signature": "sha256=" + sig}


@pytest.mark.django_db
@pytest.mark.parametrize("path,channel", [("/kanal/sms/", "sms"), ("/kanal/wa/", "whatsapp"),
                                          ("/kanal/email/", "email"), ("/kanal/sms/laporan-kirim/", "sms")])
def test_outside_demo_a_channel_without_its_secret_refuses_a_body_signed_from_secret_key(
        client, settings, path, channel):
    from balai.channels.models import InboundMessage

    settings.DEMO_MODE = False
    settings.BALAI_SMS_GATEWAY = settings.BALAI_WHATSAPP_GATEWAY = settings.BALAI_EMAIL_INBOUND = None
    headers = _signed_with_secret_key_derivation(channel, settings.SECRET_KEY, REPORT)
    response = client.post(path, data=REPORT, content_type="application/json", headers=headers)
    assert response.status_code == 403
    assert not InboundMessage.objects.exists()


@pytest.mark.django_db
def test_demo_mode_signs_with_a_derived_secret_so_the_dev_page_works(client, settings):
    from balai.channels import signing

    settings.DEMO_MODE = True
    settings.BALAI_SMS_GATEWAY = None
    assert signing.secret_for("sms")
    response = client.post("/kanal/sms/", data=REPORT, content_type="application/json",
                           headers=signing.signed_headers("sms", REPORT))
    assert response.status_code == 200


@pytest.mark.django_db
def test_delivery_reports_use_the_receipt_secret_when_given(client, settings):
    from balai.channels import signing

    settings.BALAI_SMS_GATEWAY = {"inbound_secret": "i" * 40, "receipt_secret": "r" * 40}
    body = json.dumps({"message_id": "gw-9", "status": "DELIVRD"}).encode()
    inbound_signed = signing.signed_headers("sms", body)
    receipt_signed = signing.signed_headers("sms", body, purpose="receipt")
    post = lambda h: client.post("/kanal/sms/laporan-kirim/", data=body, content_type="application/json",  # noqa: E731
                                 headers=h).status_code
    assert post(inbound_signed) == 403 and post(receipt_signed) == 200


def test_channel_problems_in_production():
    ok = {"inbound_secret": SECRET, "url": "https://sms.example.id/send"}
    assert channel_problems({"BALAI_SMS_GATEWAY": ok, "BALAI_WHATSAPP_GATEWAY": None,
                             "BALAI_EMAIL_INBOUND": {"inbound_secret": SECRET}}, production=True) == []
    missing = channel_problems({"BALAI_SMS_GATEWAY": {"url": "https://sms.example.id/send"}}, production=True)
    assert len(missing) == 1 and 'BALAI_SMS_GATEWAY needs "inbound_secret"' in missing[0]
    short = channel_problems({"BALAI_EMAIL_INBOUND": {"inbound_secret": "short"}}, production=True)
    assert 'BALAI_EMAIL_INBOUND needs "inbound_secret"' in short[0]
    receipt = channel_problems({"BALAI_WHATSAPP_GATEWAY": {"inbound_secret": SECRET, "receipt_secret": "x"}},
                               production=True)
    assert 'needs "receipt_secret"' in receipt[0]
    plain = channel_problems({"BALAI_SMS_GATEWAY": {**ok, "url": "http://sms.example.id/send"}}, production=True)
    assert plain == ['BALAI_SMS_GATEWAY "url" must be https:// (plain http only to 127.0.0.1 or ::1)']
    assert channel_problems({"BALAI_SMS_GATEWAY": {"url": "http://x"}}, production=False) == []
    assert channel_problems({"BALAI_SMS_GATEWAY": ["not", "an", "object"]}, production=False)


def test_insecure_url():
    assert insecure_url("http://sms.example.id/send") and insecure_url("ftp://x/") and insecure_url("http://10.0.0.5/")
    assert not insecure_url("https://sms.example.id/send")
    assert not insecure_url("http://127.0.0.1:13013/cgi-bin/sendsms") and not insecure_url("http://[::1]:80/")
    assert not insecure_url("http://localhost:8080/")


@pytest.mark.parametrize("extra,message", [
    ({"BALAI_SMS_GATEWAY": '{"url": "https://sms.example.id/send", "token": "t"}'},
     'BALAI_SMS_GATEWAY needs "inbound_secret"'),
    ({"BALAI_WHATSAPP_GATEWAY": '{"url": "https://wa.example.id/send"}'}, 'BALAI_WHATSAPP_GATEWAY needs "inbound_secret"'),
    ({"BALAI_EMAIL_INBOUND": '{"reply_address": "balas+{code}@balai.example.id"}'},
     'BALAI_EMAIL_INBOUND needs "inbound_secret"'),
    ({"BALAI_SMS_GATEWAY": json.dumps({"url": "http://sms.example.id/send", "inbound_secret": SECRET})},
     'BALAI_SMS_GATEWAY "url" must be https://'),
    ({"BALAI_TRUSTED_PROXIES": ""}, "set BALAI_TRUSTED_PROXIES"),
    ({"BALAI_TRUSTED_PROXIES": "proxy.example"}, "BALAI_TRUSTED_PROXIES: not an IP address"),
    ({"BALAI_DEMO": "1"}, "BALAI_DEMO must be off in production"),
], ids=["sms-secret", "wa-secret", "email-secret", "plain-http", "no-proxies", "bad-proxies", "demo"])
def test_production_refuses_to_start(tmp_path, extra, message):
    result = run_python("import django; django.setup()", tmp_path, **production_env(**extra))
    assert result.returncode != 0
    assert message in result.stderr


def test_production_with_every_secret_starts(tmp_path):
    channels = {"BALAI_SMS_GATEWAY": json.dumps({"url": "https://sms.example.id/send", "inbound_secret": SECRET}),
                "BALAI_EMAIL_INBOUND": json.dumps({"inbound_secret": SECRET}), "BALAI_TRUSTED_PROXIES": "none"}
    result = run_python("import django; django.setup(); print('started')", tmp_path, **production_env(**channels))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "started"


# --- demo data in a production database ------------------------------------------------------------

@pytest.mark.django_db
def test_production_refuses_a_database_with_demo_accounts(settings):
    from balai.ops.checks import check_no_demo_data, refuse_demo_data_in_production
    from tests.factories import UserFactory

    settings.PRODUCTION = True
    UserFactory(email="warga9@example.go.id")
    assert check_no_demo_data(databases=["default"]) == []
    refuse_demo_data_in_production()  # nothing to refuse
    UserFactory(email="operator@demo.balai.id")
    errors = check_no_demo_data(databases=["default"])
    assert [e.id for e in errors] == ["balai.E001"] and "1 demo accounts" in errors[0].msg
    with pytest.raises(ImproperlyConfigured, match="demo data"):
        refuse_demo_data_in_production()
    with pytest.raises(ImproperlyConfigured, match="demo data"):
        call_command("run_worker")
    settings.PRODUCTION = False
    assert check_no_demo_data(databases=["default"]) == []


@pytest.mark.django_db
def test_production_refuses_demo_keys_and_demo_second_factors(settings):
    from balai.ops.checks import demo_data_found
    from balai.ops.demo import api as demo_api
    from balai.ops.demo import office as demo_office
    from balai.people.services import client_application_create, hash_api_key
    from tests.factories import StaffFactory

    settings.PRODUCTION = True
    client, _key = client_application_create(name="Kabupaten", scopes=["catalog:read"])
    assert demo_data_found() == []
    client.key_hash = hash_api_key(demo_api.DEMO_CLIENT_KEY)
    client.save()
    from django_otp.plugins.otp_totp.models import TOTPDevice

    officer = StaffFactory(email="petugas@kaltimprov.go.id")
    TOTPDevice.objects.create(user=officer, name="copied", key=demo_office.hex_key(demo_office.TOTP_SECRETS["head"]))
    assert demo_data_found() == ["1 demo client keys", "1 second-factor devices with a public demo secret"]


@pytest.mark.django_db
def test_the_wsgi_application_refuses_demo_data_in_production(settings):
    import importlib

    from tests.factories import UserFactory

    settings.PRODUCTION = True
    UserFactory(email="admin@demo.balai.id")
    sys.modules.pop("balai.wsgi", None)
    with pytest.raises(ImproperlyConfigured, match="demo data"):
        importlib.import_module("balai.wsgi")
    sys.modules.pop("balai.wsgi", None)


def test_migrate_on_an_empty_production_database_then_check_finds_demo_data(tmp_path):
    env = production_env()
    migrate = run_python("from django.core.management import execute_from_command_line as x; "
                         "x(['manage.py', 'migrate', '--no-input', '-v0'])", tmp_path, **env)
    assert migrate.returncode == 0, migrate.stderr  # the database check must not break the first migrate
    add = run_python("import django; django.setup(); from balai.people.models import User; "
                     "User.objects.create(email='verifier@demo.balai.id')", tmp_path, **env)
    assert add.returncode == 0, add.stderr
    check = run_python("from django.core.management import execute_from_command_line as x; "
                       "x(['manage.py', 'check', '--database', 'default'])", tmp_path, **env)
    assert check.returncode != 0 and "balai.E001" in check.stderr


@pytest.mark.django_db
def test_load_demo_refuses_outside_demo_mode(settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="BALAI_DEMO=1"):
        call_command("load_demo", "--only", "regions", stdout=StringIO())


# --- /dev/pesan/ ----------------------------------------------------------------------------------------

@pytest.fixture
def demo(settings):
    settings.DEMO_MODE = True
    return settings


@pytest.mark.django_db
@pytest.mark.parametrize("remote", ["127.0.0.1", "::1"])
def test_dev_page_in_demo_mode_from_loopback(client, demo, remote):
    assert client.get("/dev/pesan/", REMOTE_ADDR=remote).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("remote", ["203.0.113.10", "10.0.0.1", "", "unknown"])
def test_dev_page_refuses_other_addresses_even_in_demo_mode(client, demo, remote):
    assert client.get("/dev/pesan/", REMOTE_ADDR=remote).status_code == 404
    assert client.post("/dev/pesan/", {"channel": "sms", "phone": "081234567890", "text": "BANTUAN"},
                       REMOTE_ADDR=remote).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("header", ["HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP"])
def test_dev_page_refuses_a_request_relayed_by_a_local_proxy(client, demo, header):
    demo.BALAI_TRUSTED_PROXIES = ["127.0.0.1"]  # the proxy's header is believed elsewhere, never here
    assert client.get("/dev/pesan/", REMOTE_ADDR="127.0.0.1", **{header: "127.0.0.1"}).status_code == 404


@pytest.mark.django_db
def test_dev_page_not_in_development_without_demo(client, settings):
    settings.DEMO_MODE = False
    settings.DEBUG = True
    assert client.get("/dev/pesan/", REMOTE_ADDR="127.0.0.1").status_code == 404


def test_production_cookies_and_headers(tmp_path):
    """What production sends with every response (docs/security.md, ASVS V3.3 and V3.4): session and CSRF
    cookies Secure, the session cookie HttpOnly, both SameSite=Lax; HSTS, no framing, a referrer policy."""
    code = ("import django; django.setup(); from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, "
            "s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, s.CSRF_COOKIE_SAMESITE, "
            "s.SECURE_HSTS_SECONDS > 0, s.X_FRAME_OPTIONS, s.SECURE_REFERRER_POLICY)")
    result = run_python(code, tmp_path, **production_env())
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "True", "Lax", "Lax", "True", "DENY", "same-origin"]
