"""A pytest plugin that reads every log line a test produces, as production writes it, for personal data.

While a test runs, a handler built exactly like the production one (`balai.ops.logs.make_handler`, JSON,
with the privacy filter) is attached to the root logger, with the levels production uses (INFO; DEBUG
for Balai's own loggers). When the test body has finished, before its fixtures are torn down (the test's
data is still in the database), the captured output is searched for the personal data in the database:
names, phone numbers, NIKs and e-mail addresses of users and of case contacts, and the tracking codes of
anonymous cases. Any hit fails the test, with the offending line.

The browser journeys use it (tests/browser/conftest.py imports `pytest_runtest_call`); any other test
folder can do the same.
"""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterable, Iterator

import pytest

from balai.ops.logs import make_handler

_NIK = re.compile(r"^\d{16}$")


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def phone_forms(phone: str) -> set[str]:
    """The ways a number may be written: +6281234567890, 6281234567890, 081234567890, 81234567890."""
    digits = re.sub(r"\D", "", phone or "")
    if len(digits) < 8:
        return set()
    national = digits[2:] if digits.startswith("62") else digits.lstrip("0")
    return {digits, national, "0" + national, "62" + national}


def personal_data() -> dict[str, set[str]]:
    """What the test database knows about people, by kind."""
    from django.db.models import Q

    from balai.cases.models import Case
    from balai.people.models import User

    found: dict[str, set[str]] = {"name": set(), "phone": set(), "nik": set(), "email": set(), "code": set()}
    for full_name, email, phone, nik_token in User.objects.values_list(
            "full_name", "email", "phone", "nik_encrypted"):
        found["name"].add(full_name or "")
        found["email"].add(email or "")
        found["phone"].update(phone_forms(phone or ""))
        if nik_token:
            try:
                from balai.people.nik import decrypt_nik

                found["nik"].add(decrypt_nik(nik_token))
            except Exception:  # noqa: BLE001 - a key rotated by another test: nothing to look for
                pass
    cases = Case.objects.filter(~Q(contact_name="") | ~Q(contact_phone="") | ~Q(contact_email="")
                                | Q(confidentiality="anonymous") | ~Q(answers={}))
    for name, phone, email, confidentiality, code, answers in cases.values_list(
            "contact_name", "contact_phone", "contact_email", "confidentiality", "tracking_code", "answers"):
        found["name"].add(name or "")
        found["email"].add(email or "")
        found["phone"].update(phone_forms(phone or ""))
        if confidentiality == "anonymous":
            found["code"].add(code)
        found["nik"].update(s for s in _strings(answers) if _NIK.match(s.strip()))
    # Short values (a one-word name, an initial) would match ordinary words: only look for distinctive ones.
    found["name"] = {v for v in found["name"] if " " in v.strip() or len(v.strip()) >= 8}
    return {kind: {v.strip() for v in values if len(v.strip()) >= 5} for kind, values in found.items()}


def scan(output: str, data: dict[str, set[str]]) -> list[str]:
    """Each `kind: value in line` found; phone numbers and NIKs also with separators taken out."""
    findings = []
    lowered = output.lower()
    compact = re.sub(r"(?<=\d)[\s.\-()]+(?=\d)", "", output)
    for kind, values in data.items():
        for value in sorted(values):
            haystack = compact if kind in ("phone", "nik") else lowered if kind in ("name", "email") else output
            needle = value.lower() if kind in ("name", "email") else value
            at = haystack.find(needle)
            if at >= 0:
                start = haystack.rfind("\n", 0, at) + 1
                end = haystack.find("\n", at)
                findings.append(f"{kind} {value!r} in: {haystack[start:end if end >= 0 else None][:300]}")
    return findings


def request_lines(output: str) -> list[dict]:
    lines = []
    for raw in output.splitlines():
        try:
            line = json.loads(raw)
        except ValueError:
            continue
        if line.get("logger") == "balai.request":
            lines.append(line)
    return lines


class Capture:
    """Attach a production-like handler to the root logger with production's levels; undo on exit."""

    def __init__(self, loggers: Iterable[str] = ("balai",)) -> None:
        self.stream = io.StringIO()
        self.handler = make_handler(self.stream, fmt="json")
        self.loggers = tuple(loggers)
        self._levels: dict[str, int] = {}

    def __enter__(self) -> Capture:
        root = logging.getLogger()
        self._levels[""] = root.level
        root.setLevel(logging.INFO)
        for name in self.loggers:
            self._levels[name] = logging.getLogger(name).level
            logging.getLogger(name).setLevel(logging.DEBUG)
        root.addHandler(self.handler)
        return self

    def __exit__(self, *exc) -> None:
        root = logging.getLogger()
        root.removeHandler(self.handler)
        for name, level in self._levels.items():
            logging.getLogger(name or None).setLevel(level)

    @property
    def output(self) -> str:
        return self.stream.getvalue()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    with Capture() as capture:
        result = yield  # a failing test raises here: its own failure is reported, nothing is scanned
    output = capture.output
    if "live_server" in item.fixturenames:
        lines = request_lines(output)
        # The scan is only worth something if the requests were logged at all.
        assert lines, "no request log lines were captured during a live-server test"
        assert all(line.get("request_id") and line.get("route") for line in lines), lines[:3]
    try:
        data = personal_data()
    except RuntimeError:  # a test without database access has no personal data to look for
        data = {}
    findings = scan(output, data)
    assert not findings, "personal data in the log output:\n" + "\n".join(findings[:20])
    item.user_properties.append(("log_lines_scanned", output.count("\n")))
    return result
