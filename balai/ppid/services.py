"""Writes of the PPID app: the register's workflow, consequence tests and the periodic sweep.

Every write checks its permission, runs in one transaction and leaves an audit record (ADR 0005).
Legal facts: docs/regulations.md §3 and §11.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from balai.audit.services import audit_record
from balai.cases.workflows import EXEMPTIONS
from balai.people.permissions import has_permission
from balai.ppid import rules
from balai.ppid.models import (
    Category,
    ConsequenceTest,
    ExemptionDecision,
    InformationItem,
    ItemStatus,
    StaffWarning,
)
from balai.worktime.calendar import add_working_days

STALE_MONTHS = 6  # berkala: updated at least every six months (UU 14/2008 art. 9)
REVIEW_WORKING_DAYS = 30  # exempt information is reviewed 30 working days before its period ends

ITEM_FIELDS = ("title", "summary", "holder", "responsible", "made_when", "made_where", "format", "retention",
               "category", "year", "document_url", "where_to_get", "announcement", "on_home_until")
REQUIRED = ("title", "summary", "holder", "responsible", "made_when", "made_where", "retention", "category",
            "year")


def _check(actor: Any, action: str, obj: Any) -> None:
    """`actor=None` is the system (demo data, imports, commands); a person needs the permission."""
    if actor is not None and not has_permission(actor, action, obj):
        raise PermissionDenied(_("You may not do this."))


def _clean_item(values: Mapping[str, Any]) -> dict[str, Any]:
    data = {k: values[k] for k in ITEM_FIELDS if k in values}
    errors: dict[str, list[str]] = {}
    for name in REQUIRED:
        if data.get(name) in (None, ""):
            errors[name] = [_("This field is required.")]
    if data.get("category") and data["category"] not in Category.values:
        errors["category"] = [_("Choose a category.")]
    if not (data.get("document_url") or data.get("where_to_get")) and data.get("category") != Category.EXEMPT:
        errors["where_to_get"] = [_("Link the document or say where to get it.")]
    if errors:
        raise ValidationError(errors)
    return data


def _next_number(agency: Any, year: int) -> str:
    prefix = f"DIP-{agency.slug.upper()}-{year}-"
    last = (InformationItem.objects.filter(number__startswith=prefix).order_by("-number")
            .values_list("number", flat=True).first())
    seq = int(last.rsplit("-", 1)[1]) + 1 if last and last.rsplit("-", 1)[1].isdigit() else 1
    return f"{prefix}{seq:04d}"


@transaction.atomic
def item_propose(*, actor: Any, agency: Any, values: Mapping[str, Any], at: datetime | None = None,
                 number: str = "") -> InformationItem:
    """A PPID pelaksana proposes a register item; the main PPID approves it before it is published."""
    _check(actor, rules.PROPOSE, agency)
    data = _clean_item(values)
    at = at or timezone.now()
    item = InformationItem.objects.create(
        government_id=agency.government_id, agency=agency, number=number or _next_number(agency, data["year"]),
        status=ItemStatus.PROPOSED, proposed_by=actor, content_updated_at=at, **data)
    audit_record(action="ppid.item.propose", actor=actor, actor_label="system", target=item,
                 data={"number": item.number, "category": item.category})
    return item


@transaction.atomic
def item_update(*, actor: Any, item: InformationItem, values: Mapping[str, Any],
                at: datetime | None = None) -> InformationItem:
    """A new version of an item (a new periodic report, a corrected summary). It goes back to the main PPID
    unless the actor may approve it, and counts as the item's last update."""
    _check(actor, rules.PROPOSE, item)
    data = _clean_item({**{k: getattr(item, k) for k in ITEM_FIELDS}, **values})
    at = at or timezone.now()
    before = item.status
    for name, value in data.items():
        setattr(item, name, value)
    item.content_updated_at = at
    item.stale_warned_at = None
    if not has_permission(actor, rules.APPROVE, item):
        item.status = ItemStatus.PROPOSED
    item.save()
    StaffWarning.objects.filter(item=item, kind=StaffWarning.Kind.STALE, done_at__isnull=True).update(done_at=at)
    audit_record(action="ppid.item.update", actor=actor, target=item, data={"from": before, "to": item.status})
    return item


@transaction.atomic
def item_review(*, actor: Any, item: InformationItem, approve: bool, note: str = "",
                at: datetime | None = None) -> InformationItem:
    """The main PPID approves (publishes) or returns a proposed item."""
    _check(actor, rules.APPROVE, item)
    if item.status != ItemStatus.PROPOSED:
        raise ValidationError(_("Only a proposed item can be approved or returned."))
    if not approve and not note.strip():
        raise ValidationError({"review_note": [_("Say why the item goes back.")]})
    at = at or timezone.now()
    item.status = ItemStatus.APPROVED if approve else ItemStatus.RETURNED
    item.review_note = note.strip()
    if approve:
        item.approved_by, item.approved_at = actor, at
    item.save(update_fields=["status", "review_note", "approved_by", "approved_at"])
    audit_record(action="ppid.item.approve" if approve else "ppid.item.return", actor=actor, actor_label="system",
                 target=item,
                 data={"number": item.number})
    return item


# --- consequence tests -----------------------------------------------------------------------------------

TEST_FIELDS = ("document", "excluded_part", "exemption", "law", "harm", "public_interest", "decision",
               "decided_at", "exempt_until", "occasion")


@transaction.atomic
def consequence_test_create(*, actor: Any, agency: Any, values: Mapping[str, Any], item: InformationItem | None = None,
                            number: str = "") -> ConsequenceTest:
    """Record a consequence test (Perki 1/2021 art. 49). A full or partial exemption makes the item exempt;
    a partial one keeps it in the register with the excluded parts blacked out (its `where_to_get` says so)."""
    _check(actor, rules.TEST, agency)
    if item is not None and item.agency_id != agency.pk:
        raise ValidationError({"item": [_("The item belongs to another agency.")]})
    data = {k: values.get(k) for k in TEST_FIELDS if values.get(k) not in (None, "")}
    errors: dict[str, list[str]] = {}
    for name in TEST_FIELDS:
        if name not in data and name != "occasion":
            errors[name] = [_("This field is required.")]
    if data.get("exemption") and data["exemption"] not in EXEMPTIONS:
        errors["exemption"] = [_("Choose the exemption (UU 14/2008 art. 17).")]
    if data.get("decision") and data["decision"] not in ExemptionDecision.values:
        errors["decision"] = [_("Choose the decision.")]
    if data.get("decided_at") and data.get("exempt_until") and data["exempt_until"] <= data["decided_at"]:
        errors["exempt_until"] = [_("The exemption ends after the decision.")]
    if errors:
        raise ValidationError(errors)
    year = data["decided_at"].year
    if not number:
        prefix = f"UK-{agency.slug.upper()}-{year}-"
        count = ConsequenceTest.objects.filter(number__startswith=prefix).count()
        number = f"{prefix}{count + 1:03d}"
    test = ConsequenceTest.objects.create(government_id=agency.government_id, agency=agency, item=item,
                                          number=number, decided_by=actor, **data)
    if item is not None and test.decision == ExemptionDecision.FULL and item.category != Category.EXEMPT:
        item.category = Category.EXEMPT
        item.save(update_fields=["category"])
    audit_record(action="ppid.test.create", actor=actor, actor_label="system", target=test,
                 data={"number": test.number, "decision": test.decision, "until": test.exempt_until.isoformat()})
    return test


# --- the periodic sweep ----------------------------------------------------------------------------------

def months_before(day: date, months: int) -> date:
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


@dataclass
class SweepResult:
    stale: list[str] = field(default_factory=list)
    review: list[str] = field(default_factory=list)
    opened: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        return {"stale": len(self.stale), "review": len(self.review), "opened": len(self.opened)}


def _warn(*, kind: str, agency_id: int, at: datetime, item: Any = None, test: Any = None, recipient: Any = None) -> None:
    StaffWarning.objects.create(kind=kind, agency_id=agency_id, item=item, test=test, recipient=recipient, at=at)


@transaction.atomic
def ppid_sweep(*, now: datetime | None = None) -> SweepResult:
    """Idempotent: warn owners of periodic items older than six months; warn owners 30 working days before
    an exemption ends; open exempt information whose period has ended (docs/regulations.md §11)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    result = SweepResult()
    cutoff = timezone.make_aware(datetime.combine(months_before(today, STALE_MONTHS), datetime.min.time()))
    stale = (InformationItem.objects.select_for_update().filter(
        status=ItemStatus.APPROVED, category=Category.PERIODIC, content_updated_at__lt=cutoff,
        stale_warned_at__isnull=True))
    for item in stale:
        item.stale_warned_at = now
        item.save(update_fields=["stale_warned_at"])
        _warn(kind=StaffWarning.Kind.STALE, agency_id=item.agency_id, item=item, recipient=item.proposed_by, at=now)
        audit_record(action="ppid.item.stale_warning", actor_label="system", target=item,
                     data={"updated": item.content_updated_at.date().isoformat()})
        result.stale.append(item.number)
    for test in ConsequenceTest.objects.select_for_update().filter(opened_at__isnull=True).exclude(
            decision=ExemptionDecision.OPEN).select_related("item"):
        if test.exempt_until <= today:
            test.opened_at = now
            test.save(update_fields=["opened_at"])
            if test.item is not None and test.item.category == Category.EXEMPT:
                test.item.category = Category.ON_REQUEST
                test.item.content_updated_at = now
                test.item.save(update_fields=["category", "content_updated_at"])
            _warn(kind=StaffWarning.Kind.OPENED, agency_id=test.agency_id, item=test.item, test=test,
                  recipient=test.decided_by, at=now)
            audit_record(action="ppid.test.opened", actor_label="system", target=test,
                         data={"until": test.exempt_until.isoformat()})
            result.opened.append(test.number)
            continue
        if test.review_warned_at is None:
            review_from = add_working_days(now, REVIEW_WORKING_DAYS, government_id=test.government_id)
            if timezone.localdate(review_from) >= test.exempt_until:
                test.review_warned_at = now
                test.save(update_fields=["review_warned_at"])
                _warn(kind=StaffWarning.Kind.REVIEW, agency_id=test.agency_id, item=test.item, test=test,
                      recipient=test.decided_by, at=now)
                audit_record(action="ppid.test.review_warning", actor_label="system", target=test,
                             data={"until": test.exempt_until.isoformat()})
                result.review.append(test.number)
    return result


@transaction.atomic
def warning_done(*, actor: Any, warning: StaffWarning) -> StaffWarning:
    _check(actor, rules.PROPOSE, warning.agency)
    warning.done_at = timezone.now()
    warning.save(update_fields=["done_at"])
    return warning
