"""Who may open which workspace page and take which action: one readable table per question.

Columns are people; rows are URLs (or actions). Codes: A = allowed (200 / action applied), D = denied
(403 / action refused), L = sent to sign in (302), N = not found (404).

People: op/ver/head/ctr = operator, verifier, head, counter officer of the Dinkes service unit; ppid = PPID
officer of Dinkes (another unit, same agency); adm = Dinkes administrator; insp = inspector
(Inspektorat); out = operator of another agency; oadm = administrator of that other agency; cit = a
citizen with an account (not staff); anon = not signed in.

The last test walks the URL configuration: a `/kantor/` URL without a rule in balai/office/rules.py fails.
"""

from __future__ import annotations

import pytest
from django.urls import URLResolver, get_resolver, reverse

from balai.cases.models import Case
from balai.office import rules as office_rules
from balai.office.models import CannedAnswer
from balai.people.models import Membership
from tests.factories import MembershipFactory, StaffFactory
from tests.office.conftest import office_login

pytestmark = pytest.mark.django_db

PEOPLE = ("op", "ver", "head", "ctr", "ppid", "adm", "insp", "out", "oadm", "cit", "anon")
STATUS = {"A": 200, "D": 403, "L": 302, "N": 404}

#                           op ver head ctr ppid adm insp out oadm cit anon
PAGES = {
    "office:queue":          "A  A   A    A   A    A   A    A   A    D   L",
    "office:my_queue":       "A  A   A    A   A    A   A    A   A    D   L",
    "office:bulk":           "A  A   A    A   A    A   A    A   A    D   L",
    "office:counter":        "D  D   D    A   D    D   D    D   D    D   L",
    "office:head":           "D  D   A    D   D    D   D    D   D    D   L",
    "office:inspectorate":   "D  D   D    D   D    D   A    D   D    D   L",
    "office:agency_admin":   "D  D   D    D   D    A   D    D   A    D   L",
    "office:agency_members": "D  D   D    D   D    A   D    D   A    D   L",
    "office:agency_canned":  "D  D   D    D   D    A   D    D   A    D   L",
    "office:backup_codes":   "A  A   A    A   A    A   A    A   A    D   L",
    "office:digest_settings": "A  A   A    A   A    A   A    A   A    D   L",
}

# The case page of a Dinkes complaint, per confidentiality: status, then whether the citizen's name shows
# (Y/n). Same agency = responsible (UU 25/2009: the agency handles it); the inspectorate oversees
# (PP 12/2017); another agency sees nothing here; an anonymous citizen is named to nobody (UU 13/2006).
#                                   op ver head ctr ppid adm insp out oadm cit anon
CASE_PAGE = {
    "public":       ("A  A   A    A   A    A   A    D   D    D   L",
                     "Y  Y   Y    Y   Y    Y   Y    n   n    n   n"),
    "confidential": ("A  A   A    A   A    A   A    D   D    D   L",
                     "Y  Y   Y    Y   Y    Y   Y    n   n    n   n"),
    "anonymous":    ("A  A   A    A   A    A   A    D   D    D   L",
                     "n  n   n    n   n    n   n    n   n    n   n"),
}

# Actions on a submitted Dinkes complaint, through the workspace: A = applied, D = refused (nothing changes).
#                                   op ver head ctr ppid adm insp out oadm
ACTIONS = {
    "verify (case page)":          "D  A   A    D   D    D   D    D   D",
    "assign (bulk page)":          "D  A   A    D   D    D   D    D   D",
    "note (case page)":            "A  A   A    D   D    D   A    D   D",
    "grant a role in Dinkes":      "D  D   D    D   D    A   D    D   D",
    "create a Dinkes unit":        "D  D   D    D   D    A   D    D   D",
    "add a Dinkes canned answer":  "D  D   D    D   D    A   D    D   D",
}

NAME = "Siti Unik Rahmawati"


def _row(spec: str) -> dict[str, str]:
    codes = spec.split()
    assert len(codes) <= len(PEOPLE)
    return dict(zip(PEOPLE, codes, strict=False))


@pytest.fixture
def people(world):
    adm = StaffFactory(full_name="Admin Dinkes")
    MembershipFactory(user=adm, unit=world.unit, role="admin")
    out_unit = Membership.objects.get(user=world.outsider).unit
    oadm = StaffFactory(full_name="Admin Lain")
    MembershipFactory(user=oadm, unit=out_unit, role="admin")
    return {"op": world.staff["operator"], "ver": world.staff["verifier"], "head": world.staff["head"],
            "ctr": world.staff["counter"], "ppid": world.staff["ppid"], "adm": adm,
            "insp": world.staff["inspector"], "out": world.outsider, "oadm": oadm, "cit": world.citizen,
            "anon": None}


def _client_for(client, who, people):
    client.logout()
    user = people[who]
    if user is None:
        return client
    if user.is_staff:
        return office_login(client, user)
    client.force_login(user)
    return client


@pytest.mark.parametrize("name", list(PAGES))
def test_pages(client, world, people, name):
    expected = _row(PAGES[name])
    got = {}
    for who in PEOPLE:
        c = _client_for(client, who, people)
        got[who] = {v: k for k, v in STATUS.items()}.get(c.get(reverse(name)).status_code, "?")
    assert got == expected


@pytest.mark.parametrize("confidentiality", list(CASE_PAGE))
def test_case_page(client, world, people, submit, confidentiality):
    case = submit("complaint", confidentiality=confidentiality, contact_name=NAME)
    status_spec, name_spec = CASE_PAGE[confidentiality]
    expected_status, expected_name = _row(status_spec), _row(name_spec)
    got_status, got_name = {}, {}
    for who in PEOPLE:
        c = _client_for(client, who, people)
        response = c.get(reverse("office:case", args=[case.tracking_code]))
        got_status[who] = {v: k for k, v in STATUS.items()}.get(response.status_code, "?")
        got_name[who] = "Y" if NAME in response.content.decode() else "n"
    assert got_status == expected_status
    assert got_name == expected_name


def _verify(c, case, people, who):
    case.refresh_from_db()
    c.post(reverse("office:case", args=[case.tracking_code]),
           {"verify-action": "verify", "verify-expected_version": case.version, "verify-body": "Diverifikasi"})
    case.refresh_from_db()
    return case.status == "verified"


def _assign(c, case, people, who):
    c.post(reverse("office:bulk"), {"cases": [case.tracking_code], "action": "assign",
                                    "assignee": people["op"].pk})
    case.refresh_from_db()
    return case.assignee_id == people["op"].pk


def _note(c, case, people, who):
    case.refresh_from_db()
    c.post(reverse("office:case", args=[case.tracking_code]),
           {"note-action": "note", "note-expected_version": case.version, "note-body": f"Catatan {who}"})
    return case.events.filter(action="note", body=f"Catatan {who}").exists()


def _grant(c, case, people, who):
    world_unit = case.unit
    c.post(reverse("office:agency_members") + f"?instansi={case.agency_id}",
           {"op": "grant", "login": f"baru-{who}@contoh.id", "full_name": "Petugas Baru", "unit": world_unit.pk,
            "role": "operator"})
    return Membership.objects.filter(unit=world_unit, user__email=f"baru-{who}@contoh.id").exists()


def _create_unit(c, case, people, who):
    c.post(reverse("office:agency_admin") + f"?instansi={case.agency_id}",
           {"op": "create", "name_id": f"Seksi {who}", "kind": "seksi"})
    return case.agency.units.filter(name_id=f"Seksi {who}").exists()


def _canned(c, case, people, who):
    c.post(reverse("office:agency_canned") + f"?instansi={case.agency_id}",
           {"title": f"Jawaban {who}", "body_id": "Terima kasih", "is_active": "on"})
    return CannedAnswer.objects.filter(agency=case.agency, title=f"Jawaban {who}").exists()


DO = {"verify (case page)": _verify, "assign (bulk page)": _assign, "note (case page)": _note,
      "grant a role in Dinkes": _grant, "create a Dinkes unit": _create_unit,
      "add a Dinkes canned answer": _canned}


@pytest.mark.parametrize("action", list(ACTIONS))
def test_actions(client, world, people, submit, action):
    expected = _row(ACTIONS[action])
    got = {}
    for who in expected:
        case = submit("complaint")
        c = _client_for(client, who, people)
        got[who] = "A" if DO[action](c, case, people, who) else "D"
    assert got == expected


def _office_patterns():
    out = []

    def walk(patterns, route, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = ":".join(x for x in (namespace, p.namespace) if x)
                walk(p.url_patterns, route + str(p.pattern), ns)
            else:
                out.append((route + str(p.pattern), f"{namespace}:{p.name}" if p.name else "", p.callback))

    walk(get_resolver().url_patterns, "", "")
    return [row for row in out if "kantor/" in row[0]]


def test_every_workspace_url_has_a_declared_rule():
    patterns = _office_patterns()
    assert len(patterns) >= 10  # the walk found the workspace
    missing = [route for route, name, callback in patterns
               if name not in office_rules.RULES or getattr(callback, "office_url_name", None) != name]
    assert missing == [], f"/kantor/ URLs without a rule in balai/office/rules.py: {missing}"


def test_every_rule_names_a_real_url():
    names = {name for _route, name, _cb in _office_patterns()}
    assert set(office_rules.RULES) <= names


def test_staff_pages_are_never_cached(client, people):
    office_login(client, people["head"])
    for name, spec in PAGES.items():
        if _row(spec)["head"] == "A":
            assert "no-store" in client.get(reverse(name))["Cache-Control"], name


def test_matrix_cases_sit_in_the_dinkes_service_unit(world, submit):
    # guard for the tables above: "own unit" and "same agency, other unit" mean what they say
    case = submit("complaint")
    assert case.unit == world.unit and Case.objects.filter(agency=world.agency).exists()


def test_an_admin_cannot_pick_another_agency_by_the_address(client, world, people):
    office_login(client, people["oadm"])
    response = client.get(reverse("office:agency_admin") + f"?instansi={world.agency.pk}")
    assert response.status_code == 200
    assert world.unit.name_id not in response.content.decode()  # shows their own agency, not Dinkes
