"""An anonymous citizen's name, phone, e-mail and NIK never appear in any workspace response.

UU 13/2006 and Permenpan-RB 62/2018 (whistle-blower protection): the identity of an anonymous reporter is
sealed from every officer. Each role crawls the whole workspace it can reach (following every /kantor/
link from its start pages) and no response may contain the secrets.
"""

from __future__ import annotations

import re
from collections import deque

import pytest
from django.urls import reverse
from django.utils import timezone

from balai.cases.services import case_add_note, case_assign
from balai.office.models import CannedAnswer
from tests.factories import MembershipFactory, StaffFactory
from tests.office.conftest import force_state, office_login

pytestmark = pytest.mark.django_db

NAME = "Bambang Rahasia Sutejo"
PHONE_LOCAL = "0812-7777-3141"
PHONE_DIGITS = ("81277773141", "6281277773141", "7777-3141", "77773141")
EMAIL = "bambang.rahasia@contoh.id"
NIK = "6472014507890003"
SECRETS = (NAME, "Bambang", "Sutejo", EMAIL, "bambang.rahasia", NIK, *PHONE_DIGITS)

START_PAGES = ("office:queue", "office:my_queue", "office:bulk", "office:counter", "office:head",
               "office:inspectorate", "office:agency_admin", "office:agency_members", "office:agency_canned")
MAX_PAGES = 80
HREF = re.compile(r'href="(/(?:en/)?kantor/[^"#]*)"')
SKIP = ("/keluar/",)


def _anonymous_cases(world, submit, *, name_in_text: bool):
    cases = []
    me = NAME if name_in_text else "pelapor"
    for i in range(3):
        case = submit("complaint", confidentiality="anonymous", contact_name=NAME, contact_phone=PHONE_LOCAL,
                      contact_email=EMAIL, contact_channel="sms", title=f"Pungli di loket {i} hubungi {PHONE_LOCAL}",
                      description=f"Saya {me}, NIK {NIK}, HP {PHONE_LOCAL}, surel {EMAIL}.",
                      citizen=world.citizen if i == 0 else None)
        cases.append(case)
    case_assign(case=cases[0], actor=world.staff["head"], assignee=world.staff["operator"])
    case_add_note(case=cases[0], actor=world.staff["operator"], body="Sudah dicek di lapangan.")
    force_state(cases[1], "in_progress", escalation_level=2, escalated_at=timezone.now())
    force_state(cases[2], "verified", breached_at=timezone.now(), due_soon=True)
    return cases


@pytest.fixture
def anonymous_cases(world, submit):
    """Anonymous complaints in every place a page may list them: unit queue, assigned, escalated, late.
    The phone, e-mail and NIK are also typed into the title and the description (masked by the engine)."""
    return _anonymous_cases(world, submit, name_in_text=False)


@pytest.fixture
def everyone(world):
    adm = StaffFactory(full_name="Admin Dinkes")
    MembershipFactory(user=adm, unit=world.unit, role="admin")
    CannedAnswer.objects.create(agency=world.agency, title="Terima kasih", body_id="Terima kasih atas laporan Anda.")
    return {"operator": world.staff["operator"], "verifier": world.staff["verifier"], "head": world.staff["head"],
            "counter": world.staff["counter"], "ppid": world.staff["ppid"], "admin": adm,
            "inspector": world.staff["inspector"], "outsider": world.outsider}


def _crawl(client) -> dict[str, str]:
    seen: dict[str, str] = {}
    queue = deque(reverse(name) for name in START_PAGES)
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen or any(s in url for s in SKIP):
            continue
        response = client.get(url)
        body = response.content.decode("utf-8", errors="replace") if response.status_code == 200 else ""
        if response.get("Content-Type", "").startswith("text/html"):
            for link in HREF.findall(body):
                link = link.replace("&amp;", "&")
                if link not in seen:
                    queue.append(link)
        seen[url] = body
    return seen


@pytest.mark.parametrize("role", ["operator", "verifier", "head", "counter", "ppid", "admin", "inspector",
                                  "outsider"])
def test_no_workspace_page_names_an_anonymous_citizen(client, world, anonymous_cases, everyone, role):
    office_login(client, everyone[role])
    pages = _crawl(client)
    assert len(pages) >= len(START_PAGES)
    if role in ("operator", "head", "inspector"):
        # the crawl really reached the anonymous cases' own pages
        assert any(anonymous_cases[0].tracking_code in url or anonymous_cases[1].tracking_code in url
                   for url in pages), sorted(pages)
    leaks = [(url, secret) for url, body in pages.items() for secret in SECRETS if secret in body]
    assert sorted(set(leaks)) == [], "\n".join(map(str, sorted(set(leaks))))


def test_name_typed_into_the_text_of_an_anonymous_case_is_masked(client, world, submit, everyone):
    _anonymous_cases(world, submit, name_in_text=True)
    office_login(client, everyone["operator"])
    pages = _crawl(client)
    assert not [url for url, body in pages.items() if NAME in body]


def test_the_secrets_are_really_in_the_database(anonymous_cases):
    """Guard: the crawl above would pass trivially if the engine had dropped the data."""
    case = anonymous_cases[0]
    case.refresh_from_db()
    assert case.contact_name == NAME and case.contact_email == EMAIL and NIK in case.description
