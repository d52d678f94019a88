"""What the PPID app adds to the case engine: a refusal of an information request cites a consequence test
of the agency (Perki 1/2021 art. 49; docs/regulations.md §3 and §11)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from balai.cases.checks import register_transition_check, register_transition_effect
from balai.cases.models import CaseKind
from balai.people.permissions import register_rules
from balai.ppid import effects, selectors
from balai.ppid.models import ExemptionDecision
from balai.ppid.rules import RULES


def refusal_cites_a_test(*, case: Any, actor: Any, exemption: str, data: Mapping) -> dict[str, list[str]]:
    number = str(data.get("consequence_test") or "").strip()
    if not number:
        return {"consequence_test": [_("Cite the consequence test the refusal rests on (or make one first).")]}
    test = selectors.consequence_test_by_number(agency_id=case.agency_id, number=number)
    if test is None:
        return {"consequence_test": [_("No consequence test of this agency has this number.")]}
    if test.opened_at is not None or test.decision == ExemptionDecision.OPEN:
        return {"consequence_test": [_("This consequence test does not exempt the information (any more).")]}
    if exemption and test.exemption != exemption:
        return {"exemption": [_("The exemption differs from the one the consequence test names.")]}
    return {}


def register() -> None:
    register_rules(RULES)
    kind = CaseKind.INFORMATION_REQUEST
    register_transition_check(kind=kind, action="refuse", check=refusal_cites_a_test)
    for action in ("answer", "refuse"):
        register_transition_effect(kind=kind, action=action, effect=effects.archive_draft)
    for action in ("object", "object_late"):
        register_transition_effect(kind=kind, action=action, effect=effects.objection_registered)
    register_transition_effect(kind=kind, action="answer_objection", effect=effects.objection_answered)
