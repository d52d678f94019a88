"""Every transition of every workflow, allowed and forbidden, generated from the workflow data."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from balai.cases import workflows
from balai.cases.commands import CaseCommand
from balai.cases.errors import MissingRequirement, PermissionDeniedError, TransitionNotAllowed
from balai.cases.models import Event
from balai.cases.services import case_transition
from tests.cases.conftest import force_state

CASES = [
    (wf.kind, t.name, state)
    for wf in workflows.WORKFLOWS.values()
    for t in wf.transitions
    for state in sorted(t.sources)
]
WRONG_STATE = [
    (wf.kind, t.name, state)
    for wf in workflows.WORKFLOWS.values()
    for t in wf.transitions
    for state in sorted(set(wf.states) - t.sources)
]
REQUIREMENTS = [
    (wf.kind, t.name, req)
    for wf in workflows.WORKFLOWS.values()
    for t in wf.transitions
    for req in sorted(t.requires)
]


def _unit_key(kind: str) -> str:
    return {"information_request": "ppid", "ict_request": "ict"}.get(kind, "unit")


def _actor_for(world, kind: str, t: workflows.Transition) -> dict[str, Any]:
    """Keyword arguments naming an actor allowed to take `t`."""
    if workflows.SYSTEM in t.roles:
        return {"actor": None, "system": True}
    if workflows.CITIZEN in t.roles:
        return {"actor": None, "channel": "web"}
    unit = _unit_key(kind)
    candidates = {
        "unit": ["operator", "verifier", "head"],
        "ppid": ["ppid", "ppid_head"],
        "ict": ["ict_agent", "ict_head"],
    }[unit]
    for key in candidates:
        user = world.staff[key]
        role = key.split("_")[-1] if key in ("ppid_head", "ict_head") else key
        if role in t.roles:
            return {"actor": user}
    raise AssertionError(f"no staff fixture for {kind}.{t.name}")


def _wrong_actor(world, kind: str) -> Any:
    return {"unit": world.staff["counter"], "ppid": world.staff["counter_ppid"],
            "ict": world.staff["counter_ict"]}[_unit_key(kind)]


def _requirements(world, kind: str, t: workflows.Transition) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for req in t.requires:
        if req == workflows.REASON:
            out["reason"] = "Alasan tertulis yang jelas."
        elif req == workflows.BODY:
            out["body"] = "Jawaban atau pertanyaan untuk warga."
        elif req == workflows.EXEMPTION:
            out["exemption"] = "17h"
        elif req == workflows.TARGET:
            out["target_unit"] = world.other_unit if kind != "ict_request" else world.unit
        elif req == workflows.ASSIGNEE:
            out["assignee"] = {"unit": world.staff["operator"], "ppid": world.staff["ppid"],
                               "ict": world.staff["ict_agent"]}[_unit_key(kind)]
    return out


def _prepare(case, state: str, t: workflows.Transition):
    """Force `state` and fields that satisfy the transition's guards."""
    now = timezone.now()
    fields: dict[str, Any] = {}
    if state == "waiting_citizen":
        fields.update(clock_state="paused", paused_at=now - timedelta(hours=1))
    if workflows.GUARD_REOPEN_WINDOW in t.guards:
        fields.update(closed_at=now - timedelta(minutes=5), clock_state="stopped", stopped_at=now)
    if workflows.GUARD_AUTO_CLOSE_DUE in t.guards:
        fields.update(auto_close_at=now - timedelta(minutes=5), clock_state="stopped", stopped_at=now)
    if workflows.GUARD_OVERDUE in t.guards:
        fields.update(due_at=now - timedelta(hours=1), clock_state="running")
    if workflows.GUARD_WINDOW_OPEN in t.guards:
        fields.update(auto_close_at=now + timedelta(days=3))
    return force_state(case, state, **fields)


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "action", "state"), CASES)
def test_allowed(world, submit, kind, action, state):
    wf = workflows.workflow_for(kind)
    t = wf.transition(action)
    case = _prepare(submit(kind), state, t)
    before_events = Event.objects.filter(case=case).count()
    result = case_transition(case, CaseCommand(action=action, expected_version=case.version,
                             **_actor_for(world, kind, t), **_requirements(world, kind, t)))
    assert result.status == (t.target or state)
    assert result.is_open == (result.status not in wf.closed_states)
    assert result.version == 2
    events = Event.objects.filter(case=case).order_by("id")
    assert events.count() == before_events + 1
    last = events.last()
    assert last.action == action
    assert last.from_status == state and last.to_status == result.status
    if t.clock and t.clock.op == workflows.PAUSE:
        assert result.clock_state == "paused"
    if t.clock and t.clock.op in (workflows.STOP,):
        assert result.clock_state == "stopped" and result.elapsed_working_days is not None
    if t.clock and t.clock.op in (workflows.RESUME, workflows.RESTART):
        assert result.clock_state == "running"


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "action", "state"), WRONG_STATE)
def test_wrong_state(world, submit, kind, action, state):
    t = workflows.workflow_for(kind).transition(action)
    case = _prepare(submit(kind), state, t)
    with pytest.raises(TransitionNotAllowed):
        case_transition(case, CaseCommand(action=action, **_actor_for(world, kind, t), **_requirements(world, kind, t)))
    case.refresh_from_db()
    assert case.status == state and case.version == 1


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "action", "state"), CASES)
def test_wrong_role(world, submit, kind, action, state):
    t = workflows.workflow_for(kind).transition(action)
    case = _prepare(submit(kind), state, t)
    wrong = [_wrong_actor(world, kind), world.outsider]
    if workflows.CITIZEN not in t.roles and workflows.SYSTEM not in t.roles:
        wrong.append(None)  # an anonymous citizen may not take a staff action
    for actor in wrong:
        with pytest.raises(PermissionDeniedError):
            case_transition(case, CaseCommand(action=action, actor=actor, channel="web",
                            **_requirements(world, kind, t)))
    if workflows.SYSTEM not in t.roles:
        with pytest.raises(PermissionDeniedError):  # the sweep may only do system actions
            case_transition(case, CaseCommand(action=action, actor=None, system=True, **_requirements(world, kind, t)))
    case.refresh_from_db()
    assert case.status == state and case.version == 1
    assert not Event.objects.filter(case=case).exclude(action="submit").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "action", "requirement"), REQUIREMENTS)
def test_missing_requirement(world, submit, kind, action, requirement):
    t = workflows.workflow_for(kind).transition(action)
    state = sorted(t.sources)[0]
    case = _prepare(submit(kind), state, t)
    values = _requirements(world, kind, t)
    drop = {"target": ("target_unit", "target_agency")}.get(requirement, (requirement,))
    for key in drop:
        values.pop(key, None)
    with pytest.raises(MissingRequirement) as info:
        case_transition(case, CaseCommand(action=action, **_actor_for(world, kind, t), **values))
    assert requirement in info.value.field_errors
    assert all(info.value.field_errors[requirement])
    case.refresh_from_db()
    assert case.status == state and case.version == 1


def test_every_workflow_is_consistent():
    for wf in workflows.WORKFLOWS.values():
        assert wf.initial in wf.states
        for t in wf.transitions:
            assert t.sources <= set(wf.states), (wf.kind, t.name)
            assert t.target is None or t.target in wf.states, (wf.kind, t.name)
            assert t.roles, (wf.kind, t.name)
        # every state can be reached from the initial one
        reached, frontier = {wf.initial}, [wf.initial]
        while frontier:
            state = frontier.pop()
            for t in wf.from_state(state):
                if t.target and t.target not in reached:
                    reached.add(t.target)
                    frontier.append(t.target)
        assert reached == set(wf.states), wf.kind
