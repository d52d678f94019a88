"""Shared steps of the demo-role journeys (ADR 0040), for tests/browser/test_demo_journeys.py.

- `load_demo_slice(settings)`: the demo data the journeys need (regions, agencies, people, catalog, office:
  the documented accounts with their public passwords and fixed TOTP secrets), in demo mode.
- `login_demo(page, base, login)`: sign a documented account in (`operator`, `head`, `kepala.diskominfo`, …)
  through the real forms, password then second factor; works with JavaScript on and off.
- `act(page, base, code, action, **fields)`: take a workflow step on the case page as the signed-in officer.
- `citizen_signin(page, base)`: the demo citizen Siti Aminah signs in with a one-time code by SMS.
- `citizen(code, action, **kw)`: a step of the citizen through the engine (when the portal is not the point).
- `complaint(slug, title)`: a web complaint in the demo category `slug`; `case(code)`: the case, fresh.
"""

from __future__ import annotations

from io import StringIO
from typing import Any

DEMO_STEPS = ("regions", "agencies", "people", "catalog", "office")
CITIZEN_PHONE = "+6281250000001"  # warga1, Siti Aminah (README "Demo logins")


def load_demo_slice(settings: Any) -> None:
    from django.core.management import call_command

    settings.DEMO_MODE = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo", "--only", *DEMO_STEPS, stdout=StringIO())


def demo_user(login: str) -> Any:
    from balai.ops.demo.people import email_for
    from balai.people.models import User

    return User.objects.get(email=email_for(login))


def enrol_second_factor(login: str, key: str = "") -> str:
    """The second factor an undocumented demo account (`kepala.<agency>`) enrols at its first sign-in; the
    hex key of its device."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.browser.staff import TOTP_KEY

    key = key or TOTP_KEY
    TOTPDevice.objects.create(user=demo_user(login), name="uji", key=key, confirmed=True)
    return key


def login_demo(page: Any, base: str, login: str) -> Any:
    """Sign `page` in as the documented demo account `login`; returns the user."""
    from balai.ops.demo.office import TOTP_SECRETS, hex_key
    from balai.ops.demo.people import password_for
    from tests.browser.staff import staff_login

    user = demo_user(login)
    if login in TOTP_SECRETS:
        key = hex_key(TOTP_SECRETS[login])
    else:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        key = TOTPDevice.objects.get(user=user).key
    page.context.clear_cookies()
    role = login.split(".", 1)[0].replace("kepala", "head")  # kepala.<agency> / ppid.<agency>: README
    staff_login(page, base, user, password=password_for(role), totp_key=key)
    return user


def act(page: Any, base: str, code: str, action: str, *, keyboard: bool = False, **fields: str) -> None:
    """Open the case page and take `action` with `fields` (text, or a select's value); with `keyboard`, type
    the text and press Enter on the action's button instead of filling and clicking."""
    page.goto(f"{base}/kantor/berkas/{code}/")
    box = page.locator(f"#aksi-{action}")
    assert box.count() == 1, f"action {action} not offered to this demo account; offered: " + ", ".join(
        page.locator(".action").evaluate_all("els => els.map(e => e.id)"))
    for name, value in fields.items():
        field = page.locator(f"#id_{action}-{name}")
        if field.evaluate("el => el.tagName") == "SELECT":
            field.select_option(value)
        elif keyboard:
            field.focus()
            page.keyboard.type(value)
        else:
            field.fill(value)
    button = box.locator("form[method=post] button[type=submit]")
    if keyboard:
        button.focus()
    with page.expect_navigation():
        if keyboard:
            page.keyboard.press("Enter")
        else:
            button.click()
    assert page.locator(".error-summary").count() == 0, page.locator(".error-summary").inner_text()


def click(page: Any, name: str) -> None:
    """Press the button `name` and wait for the next page (says where it was when there is no such button)."""
    button = page.get_by_role("button", name=name, exact=True)
    assert button.count(), f"no button {name!r} at {page.url}: " + page.locator("main").inner_text()[:600]
    with page.expect_navigation():
        button.first.click()


def citizen_signin(page: Any, base: str) -> None:
    """The demo citizen signs in at /akun/masuk/ with the one-time code sent to her phone."""
    from tests.portal.flows_b_data import last_otp

    page.context.clear_cookies()
    page.goto(f"{base}/akun/masuk/")
    page.get_by_label("Alamat e-mail atau nomor telepon").fill("0812-5000-0001")
    click(page, "Kirimi saya kode")
    page.get_by_label("Kode sekali pakai").fill(last_otp(CITIZEN_PHONE))
    click(page, "Masuk")
    assert page.locator("h1").inner_text() == "Akun Anda", page.url


def citizen(code: str, action: str, **kw: Any) -> None:
    from balai.cases.commands import CaseCommand
    from balai.cases.services import case_transition

    found = case(code)
    case_transition(found, CaseCommand(action=action, actor=found.citizen, channel="web", **kw))


def complaint(slug: str, title: str, **kw: Any) -> Any:
    from balai.cases.services import case_submit
    from balai.cases.submission import Submission
    from balai.catalog.models import ComplaintCategory

    fields = {"description": "Dilaporkan lewat situs.", "contact_name": "Siti Aminah",
              "contact_phone": "0812-5000-0001", **kw}
    return case_submit(Submission(kind="complaint", channel="web", title=title,
                                  complaint_category=ComplaintCategory.objects.get(slug=slug), **fields))


def case(code: str) -> Any:
    from balai.cases.models import Case

    return Case.objects.get(tracking_code=code)
