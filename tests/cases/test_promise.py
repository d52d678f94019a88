"""One deadline promise, everywhere (ADR 0041): for every kind at every step, every face says the same.

Faces: confirmation and receipt (`receipt_context`), `/lacak/`, SMS and e-mail texts, the REST API, Open311
(`service_notice`, `expected_datetime`), the staff case page and the staff digest.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import escape

from balai.api.open311.selectors import request_row
from balai.cases import workflows
from balai.cases.commands import CaseCommand
from balai.cases.deadlines import notify_closing_soon, sweep
from balai.cases.messages import case_context
from balai.cases.promise import promise_of
from balai.cases.receipts import receipt_context
from balai.cases.services import case_transition
from balai.channels.services.case_commands import _status_values
from balai.notify.models import Message
from balai.notify.rendering import render_message
from balai.office.digest import _case_lines
from tests.office.conftest import office_login

pytestmark = pytest.mark.django_db

# kind → steps (action, who): "citizen" acts on the web; None pauses to look at the answer window.
JOURNEYS = {
    "complaint": [("verify", "verifier"), ("start", "operator"), ("request_info", "operator"),
                  ("citizen_reply", "citizen"), ("answer", "operator"), ("close", "verifier")],
    "aspiration": [("verify", "head"), ("answer", "verifier")],
    "service_request": [("verify", "verifier"), ("request_info", "operator"), ("citizen_reply", "citizen"),
                        ("complete", "operator")],
    "information_request": [("start", "ppid"), ("extend", "ppid"), ("answer", "ppid"), ("object", "citizen"),
                            ("answer_objection", "ppid_head")],
    "ict_request": [("start", "ict_agent"), ("resolve", "ict_agent")],
}
WHO_SEES = {"information_request": "ppid_head", "ict_request": "ict_head"}


def _act(world, case, action: str, who: str):
    kw = {"case": case, "action": action}
    t = workflows.workflow_for(case.kind).transition(action)
    if workflows.BODY in t.requires:
        kw["body"] = "Keterangan untuk langkah ini."
    if workflows.REASON in t.requires:
        kw["reason"] = "Alasan tertulis untuk langkah ini."
    if who == "citizen":
        kw.update(actor=None, channel="web")
    else:
        kw["actor"] = world.staff[who]
    return case_transition(kw.pop("case"), CaseCommand(**kw))


def _faces(client, world, case) -> dict[str, str]:
    """Every face's text about the deadline of `case`, in Indonesian."""
    out: dict[str, str] = {}
    with translation.override("id"):
        context = receipt_context(case=case, lang="id")
        out["confirmation"] = context["promise"].summary
        out["receipt"] = render_to_string("cases/receipt.html", {**context, "qr": "", "paper": "a4"})
        ctx = case_context(case, language="id")
        out["sms_due_date"] = ctx["due_date"]
        out["sms_status_due_date"] = _status_values(case, "id")["due_date"]
        out["email"] = render_message(event="verified", channel="email", language="id", context=ctx,
                                      variant=case.kind)[1]
        out["open311"] = request_row(case, lang="id", request_id=case.tracking_code)["service_notice"]
        viewer = world.staff[WHO_SEES.get(case.kind, "head")]
        out["digest"] = "\n".join(_case_lines(case, viewer=viewer, now=timezone.now()))
    out["lacak"] = client.get(f"/lacak/{case.tracking_code}/").content.decode()
    api = client.get(f"/api/v1/cases/{case.tracking_code}/", HTTP_ACCEPT_LANGUAGE="id").json()
    out["api"] = api["promise"]["summary"]
    out["api_expected"] = api["promise"]["expected_at"] or ""
    staff = office_login(client, world.staff[WHO_SEES.get(case.kind, "head")])
    out["staff"] = staff.get(f"/kantor/berkas/{case.tracking_code}/").content.decode()
    client.logout()
    return out


@pytest.mark.parametrize("kind", list(JOURNEYS))
def test_the_promise_is_the_same_on_every_face_at_every_step(client, world, submit, kind):
    case = submit(kind)
    steps = [("submit", "")] + JOURNEYS[kind]
    seen_states = set()
    for number, (action, who) in enumerate(steps):
        if number:
            case = _act(world, case, action, who)
        case.refresh_from_db()
        with translation.override("id"):
            promise = promise_of(case)
        seen_states.add(promise.state)
        assert promise.summary and "Selesai" != promise.summary
        faces = _faces(client, world, case)
        where = f"{kind} after {action}"
        assert faces["confirmation"] == promise.summary, where
        assert faces["api"] == promise.summary, where
        assert faces["open311"] == promise.summary, where
        for html_face in ("receipt", "lacak", "staff"):
            assert escape(promise.summary) in faces[html_face], (where, html_face)
        assert promise.summary in faces["email"], where
        assert promise.summary in faces["digest"], where
        if promise.due:
            assert faces["sms_due_date"] == promise.due.strftime("%d-%m-%Y"), where
            assert faces["sms_status_due_date"] == faces["sms_due_date"], where  # the SMS STATUS reply
        if promise.state in ("running", "overdue", "paused"):
            assert promise.source.startswith("docs/regulations.md §")
            assert promise.step_due is not None and promise.step_days
            assert faces["api_expected"], where
        if promise.state == "window":
            # After the answer: the date the case closes by itself, never "Selesai".
            assert promise.auto_close_on is not None
            assert promise.auto_close_on.strftime("%d-%m-%Y") == faces["sms_due_date"]
    assert "running" in seen_states


def test_complaint_promise_words_step_final_target_and_source(world, submit):
    case = submit("complaint")
    with translation.override("id"):
        first = promise_of(case)
        assert first.step == "Verifikasi" and first.step_days == 3 and first.final_days == 60
        assert "Target akhir" in first.summary and first.source == "docs/regulations.md §4"
        case = _act(world, case, "verify", "verifier")
        after = promise_of(case)
        assert after.step == "Tindak lanjut" and after.step_days == 5
        case = _act(world, case, "answer", "operator")
        answered = promise_of(case)
    assert answered.state == "window" and answered.window_days == workflows.COMPLAINT_CLOSURE_DAYS
    assert answered.auto_close_on == timezone.localtime(case.auto_close_at).date()


def test_the_citizen_hears_two_working_days_before_the_automatic_closure_and_when_it_happens(world, submit):
    case = submit("complaint")
    case = _act(world, case, "verify", "verifier")
    case = _act(world, case, "answer", "operator")
    close_at = case.auto_close_at
    Message.objects.all().delete()
    early = close_at - timedelta(days=20)
    assert notify_closing_soon(now=early, government_id=case.government_id) == 0
    near = close_at - timedelta(hours=30)  # within two working days of the closure
    while not (close_at - timedelta(days=4) < near < close_at):
        near -= timedelta(hours=1)  # pragma: no cover - the calendar arithmetic keeps us here
    result = sweep(now=near)
    assert result.closure_notices == 1
    assert sweep(now=near).closure_notices == 0  # once per closure date
    notice = Message.objects.get(event="closing_soon")
    assert case.tracking_code in notice.body
    assert timezone.localtime(close_at).strftime("%d-%m-%Y") in notice.body
    assert sweep(now=close_at + timedelta(minutes=1)).auto_closed == 1
    assert Message.objects.filter(event="auto_closed", case=case).exists()


@pytest.mark.parametrize("lang", ["id", "en"])
def test_promised_dates_read_as_date_format_writes_them(lang):
    """`fmt` writes "j F Y" itself (cheaper): the same text as Django's date_format, every month, both languages."""
    from datetime import date, datetime

    from django.utils.formats import date_format

    from balai.cases.promise import fmt

    with translation.override(lang):
        days = [date(2026, m, d) for m in range(1, 13) for d in (1, 9, 28)] + [date(999, 12, 31), date(2030, 2, 1)]
        for day in days:
            assert fmt(day) == date_format(day, "j F Y")
        assert fmt(datetime(2026, 12, 14, 23, 30, tzinfo=timezone.get_current_timezone())) == (
            "14 Desember 2026" if lang == "id" else "14 December 2026")
        assert fmt(None) == ""
