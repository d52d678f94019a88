"""What the PPID app records when the case engine moves an information request (registered in
`hooks.register`, run inside `case_transition`'s transaction): the archive draft when a request is answered
or refused, the objection register when the requester objects, the superior's decision when answered."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from balai.cases.workflows import INFO_ANSWER_DAYS, INFO_EXTENSION_DAYS
from balai.ppid.grounds import OBJECTION_GROUND_KEYS
from balai.ppid.models import ArchiveEntry, Objection, Outcome
from balai.ppid.privacy import mask_identity

ONLINE_CHANNELS = frozenset({"web", "sms", "whatsapp", "email", "api"})


def archive_draft(*, case: Any, event: Any, actor: Any, data: Mapping) -> None:
    """Answered or refused: the archive entry waits for the PPID to confirm what may be published."""
    outcome = Outcome.REFUSED if event.action == "refuse" else (
        Outcome.PARTIAL if data.get("partial") else Outcome.GRANTED)
    answer = mask_identity(event.body or (event.data or {}).get("reason", ""), case=case)
    ArchiveEntry.objects.update_or_create(case=case, defaults={
        "government_id": case.government_id, "agency_id": case.agency_id,
        "question": mask_identity(case.description or case.title, case=case), "answer": answer,
        "outcome": outcome, "exemption": (event.data or {}).get("exemption", ""),
        "submitted_at": case.submitted_at, "answered_at": event.at, "working_days": case.elapsed_working_days,
        "legal_days": INFO_ANSWER_DAYS + (INFO_EXTENSION_DAYS if case.extended else 0),
        "on_time": bool(case.due_at is None or event.at <= case.due_at), "online": case.channel in ONLINE_CHANNELS,
    })


def objection_registered(*, case: Any, event: Any, actor: Any, data: Mapping) -> None:
    count = Objection.objects.filter(government_id=case.government_id, registered_at__year=event.at.year).count()
    number = f"KEB-{event.at:%Y}-{count + 1:05d}"
    chosen = data.get("objection_grounds") or data.get("grounds") or []  # the portal's form / staff (oral)
    grounds = [g for g in chosen if g in OBJECTION_GROUND_KEYS]
    if not grounds:
        grounds = ["a"] if case.status == "objection" and event.from_status == "refused" else (
            ["c"] if event.action == "object_late" else ["d"])
    oral = bool(data.get("oral"))
    Objection.objects.create(
        case=case, government_id=case.government_id, agency_id=case.agency_id, number=number,
        registered_at=event.at, objector=case.contact_name or "-", information=case.description or case.title,
        purpose=str((case.answers or {}).get("purpose", "")), grounds=grounds, reason=event.body or
        (event.data or {}).get("reason", ""), oral=oral, receipt_number=f"TT-{number}" if oral else "",
        entered_by_id=data.get("entered_by"), due_at=case.due_at or event.at)


def objection_answered(*, case: Any, event: Any, actor: Any, data: Mapping) -> None:
    objection = Objection.objects.filter(case=case, answered_at__isnull=True).order_by("-registered_at").first()
    if objection is None:
        return
    decision = str(data["decision"]) if data.get("decision") in Objection.Decision.values else ""
    objection.decision = decision
    objection.decision_text = event.body
    objection.answered_at = event.at
    objection.answered_by_name = getattr(actor, "full_name", "") or ""
    objection.answered_by_position = str(data.get("position") or "Atasan PPID")
    objection.save()
    entry = ArchiveEntry.objects.filter(case=case).first()
    if entry is not None:
        label = Objection.Decision(decision).label if decision else ""
        entry.objection = f"{label} {mask_identity(event.body, case=case)}".strip()
        entry.save(update_fields=["objection"])


