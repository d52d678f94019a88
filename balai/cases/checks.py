"""Checks other domain apps add to a workflow action (registered at start-up, `AppConfig.ready()`).

A check is called by `case_transition` inside its transaction, after the workflow's own requirements,
with the locked case and what the actor handed in; it returns field errors ({} when all is well), which
the engine raises as `MissingRequirement`. Example: refusing an information request must cite a
consequence test (docs/regulations.md §11), a record the PPID app keeps (balai.ppid.hooks).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

Check = Callable[..., dict[str, list[str]]]

_CHECKS: dict[tuple[str, str], list[Check]] = {}


def register_transition_check(*, kind: str, action: str, check: Check) -> None:
    """`check(case=..., actor=..., exemption=..., data=...)` -> {field: [messages]} before `action` on `kind`."""
    checks = _CHECKS.setdefault((kind, action), [])
    if check not in checks:
        checks.append(check)


def transition_errors(*, case: Any, action: str, actor: Any, exemption: str,
                      data: Mapping | None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for check in _CHECKS.get((case.kind, action), ()):
        for field, messages in (check(case=case, actor=actor, exemption=exemption, data=data or {}) or {}).items():
            errors.setdefault(field, []).extend(messages)
    return errors


Effect = Callable[..., Any]

_EFFECTS: dict[tuple[str, str], list[Effect]] = {}


def register_transition_effect(*, kind: str, action: str, effect: Effect) -> None:
    """`effect(case=..., event=..., actor=..., data=...)` after `action` on `kind`, in the same transaction
    (a register row another app keeps about the case: the PPID's archive and objection register)."""
    effects = _EFFECTS.setdefault((kind, action), [])
    if effect not in effects:
        effects.append(effect)


def run_effects(*, case: Any, action: str, event: Any, actor: Any, data: Mapping | None) -> None:
    for effect in _EFFECTS.get((case.kind, action), ()):
        effect(case=case, event=event, actor=actor, data=data or {})
