"""What one case contributes to the roll-ups: `case_fact` (from the case, its events and its rating) and
`contributions` (fact → cell key → measure deltas). Both are pure functions of the database state, used by
the incremental job and the rebuild alike, so that the two agree by construction (ADR 0010).

Attribution (decided here, documented in ADR 0010):
- received, open_now and the deadline cohorts (complaint verification/follow-up, information answers,
  objections) count in the month of SUBMISSION;
- closed, closed within the deadline and the working days taken count in the month CLOSED (`closed_at`);
- survey answers count in the month they were given;
- a case counts for the agency/unit it is with NOW (a forwarded case moves with it);
- time to close is the engine's `elapsed_working_days` (working days, pauses waiting for the citizen
  excluded, stopped when the agency gave its outcome); "on time" = the clock stopped by `due_at`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.utils import timezone

from balai.survey.elements import ELEMENT_KEYS

COMPLAINT_KINDS = ("complaint", "aspiration")
INFO_KIND = "information_request"
UNKNOWN = "unknown"
ALL_KINDS = "*"


def month_of(moment: datetime) -> str:
    """'YYYY-MM' of an aware datetime in local time (settings.TIME_ZONE, WITA)."""
    return timezone.localtime(moment).strftime("%Y-%m")


def area_of(regency_code: str) -> str:
    """'city' (kota, Kemendagri code 71–99) or 'regency' (kabupaten, 01–70)."""
    if len(regency_code) < 5:
        return UNKNOWN
    return "city" if regency_code[3:5] >= "71" else "regency"


def _due_before(events: list[Any], index: int) -> datetime | None:
    """The deadline in force just before events[index]: the latest `due_at` an earlier event recorded."""
    for ev in reversed(events[:index]):
        raw = (ev.data or {}).get("due_at")
        if raw:
            return datetime.fromisoformat(raw)
    return None


def case_fact(case: Any, events: Iterable[Any], response: Any = None) -> dict[str, Any]:
    """The roll-up's view of `case` (events: all of the case's events, any order)."""
    evs = sorted(events, key=lambda e: e.id)
    code = case.region.code if getattr(case, "region", None) is not None else ""
    regency = code[:5] if len(code) >= 5 else ""
    district = code[:8] if len(code) >= 8 else ""
    fact: dict[str, Any] = {
        "g": case.government_id, "a": case.agency_id, "u": case.unit_id, "s": case.service_id,
        "c": case.complaint_category_id, "k": case.kind, "ch": case.channel,
        "rg": regency or UNKNOWN, "ds": district, "ar": area_of(regency),
        "acc": sorted(set(case.accommodations or [])) or (["other"] if case.has_accommodations else []),
        "m": month_of(case.submitted_at), "open": bool(case.is_open),
    }
    if not case.is_open and case.closed_at is not None:
        fact["cm"] = month_of(case.closed_at)
        fact["cd"] = case.elapsed_working_days
        fact["ot"] = bool(case.due_at is None or case.stopped_at is None or case.stopped_at <= case.due_at)
    if case.kind in COMPLAINT_KINDS:
        for i, ev in enumerate(evs):
            if ev.action == "verify" and "vf" not in fact:
                due = _due_before(evs, i)
                fact["vf"] = bool(due is None or ev.at <= due)
            elif ev.action == "answer" and "fu" not in fact:
                fact["fu"] = bool((ev.data or {}).get("on_time", True))
    elif case.kind == INFO_KIND:
        for ev in evs:
            if ev.action in ("answer", "refuse") and "ia" not in fact:
                fact["ia"] = bool((ev.data or {}).get("on_time", True))
            elif ev.action == "extend":
                fact["ix"] = True
            elif ev.action in ("object", "object_late"):
                fact["ob"] = True
    if response is not None:
        fact["rm"] = month_of(response.submitted_at)
        if response.is_quick:
            fact["q"] = response.quick_score
        else:
            fact["sc"] = response.scores
    return fact


def _scopes(fact: dict[str, Any]) -> list[tuple[str, int, list[tuple[str, str]]]]:
    accommodations = [("accommodation", a) for a in (fact["acc"] or ["none"])]
    wide = [("", ""), ("channel", fact["ch"]), ("area", fact["ar"]), ("regency", fact["rg"])]
    scopes = [("government", fact["g"], [*wide, *([("district", fact["ds"])] if fact["ds"] else []),
                                         *accommodations]),
              ("agency", fact["a"], [*wide, *accommodations])]
    for scope, key in (("unit", "u"), ("service", "s"), ("category", "c")):
        if fact.get(key):
            scopes.append((scope, fact[key], [("", "")]))
    return scopes


def cell_key(scope: str, scope_id: int, split: str, value: str, kind: str, month: str) -> str:
    return f"{scope}:{scope_id}:{split}:{value}:{kind}:{month}"


def parse_key(key: str) -> dict[str, Any]:
    scope, scope_id, split, value, kind, month = key.split(":")
    return {"scope": scope, "scope_id": int(scope_id), "split": split, "value": value, "kind": kind,
            "month": month}


def _month_measures(fact: dict[str, Any]) -> dict[str, dict[str, int]]:
    """month → measure → delta (histogram buckets as 'h<days>')."""
    out: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    sub = out[fact["m"]]
    sub["received"] += 1
    sub["open_now"] += int(fact["open"])
    if fact["k"] in COMPLAINT_KINDS:
        sub["complaints"] += 1
        if "vf" in fact:
            sub["verified"] += 1
            sub["verified_on_time"] += int(fact["vf"])
        if "fu" in fact:
            sub["followed_up"] += 1
            sub["followed_up_on_time"] += int(fact["fu"])
    elif fact["k"] == INFO_KIND:
        sub["info_requests"] += 1
        if "ia" in fact:
            sub["info_answered"] += 1
            sub["info_answered_on_time"] += int(fact["ia"])
        sub["info_extended"] += int(bool(fact.get("ix")))
        sub["objections"] += int(bool(fact.get("ob")))
    if "cm" in fact:
        closed = out[fact["cm"]]
        closed["closed"] += 1
        closed["closed_on_time"] += int(fact["ot"])
        if fact.get("cd") is not None:
            closed["close_days_sum"] += int(fact["cd"])
            closed[f"h{int(fact['cd'])}"] += 1
    if "rm" in fact:
        rated = out[fact["rm"]]
        if "q" in fact:
            rated["quick_count"] += 1
            rated["quick_sum"] += int(fact["q"])
        else:
            rated["respondents"] += 1
            for element, score in (fact.get("sc") or {}).items():
                if element in ELEMENT_KEYS:
                    rated[f"s_{element}"] += int(score)
                    rated[f"n_{element}"] += 1
    return out


def contribution_groups(fact: dict[str, Any] | None) -> list[tuple[list[str], dict[str, int]]]:
    """[(cell keys, measure deltas added to each of them)] — the compact form of `contributions`."""
    if not fact:
        return []
    groups = []
    for month, measures in _month_measures(fact).items():
        keys = [cell_key(scope, scope_id, split, value, kind, month)
                for scope, scope_id, splits in _scopes(fact) for split, value in splits
                for kind in (fact["k"], ALL_KINDS)]  # "*" cells: all kinds together, read by default
        groups.append((keys, dict(measures)))
    return groups


def contributions(fact: dict[str, Any] | None) -> dict[str, dict[str, int]]:
    """cell key → measure → value this case adds (empty for None); "_g" is the government id."""
    out: dict[str, dict[str, int]] = {}
    if not fact:
        return out
    for keys, measures in contribution_groups(fact):
        for key in keys:
            out[key] = {**measures, "_g": fact["g"]}
    return out
