"""Writes of the PPID app: the register's workflow, consequence tests and the periodic sweep.

Every write checks its permission, runs in one transaction and leaves an audit record (ADR 0005).
Legal facts: docs/regulations.md §3 and §11.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import cast

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from balai.agencies.models import Agency, Government
from balai.audit.services import audit_record
from balai.cases.commands import CaseCommand
from balai.cases.models import Attachment, Case
from balai.cases.services import case_transition
from balai.cases.submission import JSONValue
from balai.cases.workflows import EXEMPTIONS, INFO_DISPUTE_WINDOW_DAYS
from balai.notify.outbox import queue_message
from balai.people.models import User
from balai.people.permissions import has_permission
from balai.ppid import redaction, rules, selectors
from balai.ppid.grounds import OBJECTION_GROUND_KEYS
from balai.ppid.models import (
    AnnualReport,
    ArchiveDocument,
    ArchiveEntry,
    Category,
    ConsequenceTest,
    Dispute,
    ExemptionDecision,
    InformationItem,
    ItemStatus,
    NoticeSubscriber,
    Objection,
    StaffWarning,
)
from balai.ppid.privacy import mask_identity
from balai.ppid.report import annual_figures
from balai.worktime.calendar import add_working_days

STALE_MONTHS = 6  # berkala: updated at least every six months (UU 14/2008 art. 9)
REVIEW_WORKING_DAYS = 30  # exempt information is reviewed 30 working days before its period ends

ITEM_FIELDS = ("title", "summary", "holder", "responsible", "made_when", "made_where", "format", "retention",
               "category", "year", "document_url", "where_to_get", "announcement", "on_home_until")
REQUIRED = ("title", "summary", "holder", "responsible", "made_when", "made_where", "retention", "category",
            "year")


def _check(actor: User | None, action: str, obj: object) -> None:
    """`actor=None` is the system (demo data, imports, commands); a person needs the permission."""
    if actor is not None and not has_permission(actor, action, obj):
        raise PermissionDenied(_("You may not do this."))


def _clean_item(values: Mapping[str, object]) -> dict[str, object]:
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


def _next_number(agency: Agency, year: int) -> str:
    prefix = f"DIP-{agency.slug.upper()}-{year}-"
    last = (InformationItem.objects.filter(number__startswith=prefix).order_by("-number")
            .values_list("number", flat=True).first())
    seq = int(last.rsplit("-", 1)[1]) + 1 if last and last.rsplit("-", 1)[1].isdigit() else 1
    return f"{prefix}{seq:04d}"


@transaction.atomic
def item_propose(*, actor: User | None, agency: Agency, values: Mapping[str, object], at: datetime | None = None,
                 number: str = "") -> InformationItem:
    """A PPID pelaksana proposes a register item; the main PPID approves it before it is published."""
    _check(actor, rules.PROPOSE, agency)
    data = _clean_item(values)
    at = at or timezone.now()
    item = InformationItem.objects.create(
        government_id=agency.government_id, agency=agency, number=number or _next_number(agency, cast(int, data["year"])),
        status=ItemStatus.PROPOSED, proposed_by=actor, content_updated_at=at, **data)
    audit_record(action="ppid.item.propose", actor=actor, actor_label="system", target=item,
                 data={"number": item.number, "category": item.category})
    return item


@transaction.atomic
def item_update(*, actor: User | None, item: InformationItem, values: Mapping[str, object],
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
def item_review(*, actor: User | None, item: InformationItem, approve: bool, note: str = "",
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
def consequence_test_create(*, actor: User | None, agency: Agency, values: Mapping[str, object], item: InformationItem | None = None,
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
    decided, until = data.get("decided_at"), data.get("exempt_until")
    if isinstance(decided, date) and isinstance(until, date) and until <= decided:
        errors["exempt_until"] = [_("The exemption ends after the decision.")]
    if errors:
        raise ValidationError(errors)
    year = cast(date, decided).year
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


def _warn(*, kind: str, agency_id: int, at: datetime, item: InformationItem | None = None,
          test: ConsequenceTest | None = None, recipient: User | None = None) -> None:
    warning = StaffWarning.objects.create(kind=kind, agency_id=agency_id, item=item, test=test, recipient=recipient,
                                          at=at)
    if kind in (StaffWarning.Kind.STALE, StaffWarning.Kind.REVIEW):
        _email_warning(warning)


def _warning_text(warning: StaffWarning) -> dict[str, str]:
    """The e-mail's placeholders in the active language (balai.notify.defaults, event `ppid_warning`)."""
    site = settings.SITE_URL.rstrip("/")
    if warning.kind == StaffWarning.Kind.STALE and warning.item is not None:
        item = warning.item
        return {"title": f"{item.number} · {item.title}"[:200],
                "reason": _("This periodic information was last updated more than six months ago: publish "
                            "its new version (UU 14/2008 art. 9)."),
                "due_date": formats.date_format(timezone.localtime(item.content_updated_at), "SHORT_DATE_FORMAT"),
                "link": site + reverse("office:ppid_item", args=[item.pk])}
    test = warning.test
    if test is None:
        raise ValueError("a review warning is about a consequence test")
    return {"title": f"{test.number} · {test.document}"[:200],
            "reason": _("The exemption ends within 30 working days: review the consequence test, or the "
                        "information opens by itself on that day."),
            "due_date": formats.date_format(test.exempt_until, "SHORT_DATE_FORMAT"),
            "link": site + reverse("office:ppid_tests")}


def _email_warning(warning: StaffWarning) -> None:
    """E-mail the warning to its owner (who proposed the item / decided the test) through the outbox, in the
    transaction that records it: the sweep marks the item or test warned in the same one, so each is mailed
    once per period however often the sweep runs. Without an owner who can be mailed, the agency's PPID
    officers are."""
    recipients = selectors.warning_recipients(agency_id=warning.agency_id, owner_id=warning.recipient_id)
    for user in recipients:
        language = user.preferred_language if user.preferred_language in ("id", "en") else "id"
        with translation.override(language):
            context = _warning_text(warning)
        queue_message(channel="email", recipient=user.email or "", language=language, event="ppid_warning",
                      context=context, about=warning.item or warning.test,
                      reference=(warning.item.number if warning.item else warning.test.number if warning.test
                                 else ""))
    if recipients:
        warning.emails = len(recipients)
        warning.save(update_fields=["emails"])


@transaction.atomic
def ppid_sweep(*, now: datetime | None = None) -> SweepResult:
    """Idempotent: warn owners of periodic items older than six months; warn owners 30 working days before
    an exemption ends; open exempt information whose period has ended (docs/regulations.md §11)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    result = SweepResult()
    cutoff = timezone.make_aware(datetime.combine(months_before(today, STALE_MONTHS), datetime.min.time()))
    stale = (InformationItem.objects.select_for_update(of=("self",)).filter(
        status=ItemStatus.APPROVED, category=Category.PERIODIC, content_updated_at__lt=cutoff,
        stale_warned_at__isnull=True))
    for item in stale:
        item.stale_warned_at = now
        item.save(update_fields=["stale_warned_at"])
        _warn(kind=StaffWarning.Kind.STALE, agency_id=item.agency_id, item=item, recipient=item.proposed_by, at=now)
        audit_record(action="ppid.item.stale_warning", actor_label="system", target=item,
                     data={"updated": item.content_updated_at.date().isoformat()})
        result.stale.append(item.number)
    for test in ConsequenceTest.objects.select_for_update(of=("self",)).filter(opened_at__isnull=True).exclude(
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
def warning_done(*, actor: User | None, warning: StaffWarning) -> StaffWarning:
    _check(actor, rules.PROPOSE, warning.agency)
    warning.done_at = timezone.now()
    warning.save(update_fields=["done_at"])
    return warning


def _delete_files(names: Iterable[str]) -> None:
    for name in names:
        default_storage.delete(name)


# --- the public archive ----------------------------------------------------------------------------------

@transaction.atomic
def archive_confirm(*, actor: User | None, entry: ArchiveEntry, publish: bool, question: str, answer: str,
                    attachment_ids: Iterable[int] = (), titles: Mapping[int, str] | None = None) -> ArchiveEntry:
    """The PPID confirms what of an answered request is public: the (edited) question and answer and the
    documents released. Only attachments the requester was given can be released; the text is masked
    again (phones, e-mails, NIKs, the requester's name) whatever the officer typed."""
    _check(actor, rules.ARCHIVE, entry)
    case = entry.case
    entry.question = mask_identity(question.strip() or entry.question, case=case)
    entry.answer = mask_identity(answer.strip(), case=case)
    entry.status = ArchiveEntry.Status.PUBLISHED if publish else ArchiveEntry.Status.WITHHELD
    entry.confirmed_by, entry.confirmed_at = actor, timezone.now()
    entry.save()
    allowed = {a.pk: a for a in Attachment.objects.filter(case=case, is_public=True,
                                                          event__action__in=("answer", "answer_objection"))}
    wanted = [pk for pk in attachment_ids if pk in allowed] if publish else []
    dropped = ArchiveDocument.objects.filter(entry=entry).exclude(attachment_id__in=wanted)
    copies = [n for n in dropped.values_list("redacted_name", flat=True) if n]
    dropped.delete()
    if copies:
        transaction.on_commit(lambda: _delete_files(copies))
    for pk in wanted:
        title = ((titles or {}).get(pk) or "").strip() or _("Document %(n)s") % {"n": wanted.index(pk) + 1}
        ArchiveDocument.objects.update_or_create(entry=entry, attachment=allowed[pk],
                                                 defaults={"title": mask_identity(title, case=case)[:200]})
    audit_record(action="ppid.archive.publish" if publish else "ppid.archive.withhold", actor=actor,
                 actor_label="system", target=entry, data={"documents": wanted})
    return entry


# --- objections and disputes ------------------------------------------------------------------------------

def objection_oral(*, actor: User | None, case: Case, grounds: Iterable[str], reason: str,
                   at: datetime | None = None) -> Objection | None:
    """An objection made orally (at the desk, by phone), written down by staff, who give the receipt number
    (docs/regulations.md §11). The case moves to "objection" like a written one."""
    _check(actor, rules.OBJECTION, case)
    chosen: list[JSONValue] = [g for g in grounds if g in OBJECTION_GROUND_KEYS]
    if not chosen:
        raise ValidationError({"grounds": [_("Choose at least one ground (UU 14/2008 art. 35(1)).")]})
    action = "object_late" if case.status in ("submitted", "in_progress") else "object"
    case_transition(case, CaseCommand(action=action, actor=None, channel="counter", reason=reason, at=at,
                    data={"objection_grounds": chosen, "oral": True, "entered_by": actor.pk if actor else None}))
    return Objection.objects.filter(case=case).order_by("-registered_at", "-id").first()


def objection_decide(*, actor: User | None, objection: Objection, decision: str, reasons: str, position: str,
                     at: datetime | None = None) -> Objection:
    """The PPID's superior answers the objection within 30 working days (UU 14/2008 art. 36)."""
    if decision not in Objection.Decision.values:
        raise ValidationError({"decision": [_("Choose the decision.")]})
    case_transition(objection.case, CaseCommand(action="answer_objection", actor=actor, body=reasons, at=at,
                    data={"decision": decision, "position": position}))
    objection.refresh_from_db()
    return objection


def dispute_window(objection: Objection) -> datetime:
    """Until when the requester may go to the Komisi Informasi: 14 working days after the superior's answer,
    or after its deadline passed unanswered (UU 14/2008 art. 37(2))."""
    start = objection.answered_at or objection.due_at
    return add_working_days(start, INFO_DISPUTE_WINDOW_DAYS, government_id=objection.government_id)


@transaction.atomic
def dispute_record(*, actor: User | None, objection: Objection, values: Mapping[str, object]) -> Dispute:
    """Record (or update) the dispute before the Komisi Informasi: registration, mediation, adjudication."""
    _check(actor, rules.OBJECTION, objection)
    fields = {k: values[k] for k in ("registered_at", "commission_number", "stage", "mediation_result",
                                     "adjudication_outcome", "decided_at") if k in values}
    if not fields.get("registered_at") or not fields.get("commission_number"):
        raise ValidationError({"commission_number": [_("Give the Commission's register number and date.")]})
    if fields.get("stage") and fields["stage"] not in Dispute.Stage.values:
        raise ValidationError({"stage": [_("Choose the stage.")]})
    dispute, created = Dispute.objects.update_or_create(
        objection=objection, defaults={**fields, "window_until": dispute_window(objection)})
    audit_record(action="ppid.dispute.record" if created else "ppid.dispute.update", actor=actor,
                 actor_label="system", target=dispute, data={"stage": dispute.stage})
    return dispute


def released_document_file(document: ArchiveDocument) -> File:
    """Open a released document for anyone (the PPID confirmed it is public); every download is audited.
    A document with blacked-out regions is served only as its blacked-out copy, never the original."""
    name = document.redacted_name if document.regions else document.attachment.storage_name
    if not name:
        raise FileNotFoundError("the blacked-out copy is missing")
    with transaction.atomic():
        audit_record(action="ppid.archive.download", actor_label="public", target=document.attachment,
                     data={"entry": document.entry_id, "redacted": bool(document.regions)})
    return default_storage.open(name, "rb")


def _original_bytes(document: ArchiveDocument) -> bytes:
    with default_storage.open(document.attachment.storage_name, "rb") as handle:
        return bytes(handle.read())


@transaction.atomic
def archive_redact(*, actor: User | None, document: ArchiveDocument, regions: Iterable[Mapping[str, object]],
                   at: datetime | None = None) -> ArchiveDocument:
    """Partial exemption of a released document: the PPID marks the regions a consequence test excludes
    and the published copy is made with their content removed (balai.ppid.redaction). The original stays
    internal; no regions at all releases the original again. Audited with the regions."""
    _check(actor, rules.ARCHIVE, document.entry)
    content_type = document.attachment.content_type
    if content_type not in redaction.REDACTABLE:
        raise ValidationError(_("Only a PDF or an image can be blacked out."))
    data = _original_bytes(document)
    cleaned = redaction.clean_regions(regions, pages=redaction.page_count(data, content_type))
    old = document.redacted_name
    name = ""
    if cleaned:
        token = secrets.token_hex(16)
        name = default_storage.save(f"ppid/redacted/{token[:2]}/{token}",
                                    ContentFile(redaction.redact(data, content_type, cleaned)))
    document.regions = [r.as_dict() for r in cleaned]
    document.redacted_name = name
    document.redacted_at = (at or timezone.now()) if cleaned else None
    document.save(update_fields=["regions", "redacted_name", "redacted_at"])
    if old and old != name:
        transaction.on_commit(lambda: default_storage.delete(old))
    audit_record(action="ppid.archive.redact", actor=actor, actor_label="system", target=document.attachment,
                 data={"entry": document.entry_id, "document": document.pk, "regions": document.regions})
    return document


def archive_document_page_png(document: ArchiveDocument, *, page: int, published: bool = False) -> bytes:
    """A page of a released document as a PNG with a grid every 10 % (for the officer choosing regions):
    the original with the regions outlined, or the published copy."""
    content_type = document.attachment.content_type
    if published and document.regions:
        with default_storage.open(document.redacted_name, "rb") as handle:
            data = bytes(handle.read())
        regions: list[redaction.Region] = []
    else:
        data = _original_bytes(document)
        regions = redaction.clean_regions(document.regions, pages=redaction.page_count(data, content_type))
    return redaction.page_preview(data, content_type, page=page, outline=regions)


# --- the annual report -------------------------------------------------------------------------------------

REPORT_TEXTS = ("policy", "implementation", "constraints", "recommendations")


@transaction.atomic
def report_annotate(*, actor: User | None, government: Government, year: int, values: Mapping[str, str],
                    publish: bool = False) -> AnnualReport:
    """The main PPID writes the report's text (policy, implementation, constraints, recommendations) on the
    draft and may publish it; publishing freezes the figures as they are then (Perki 1/2021 art. 56)."""
    _check(actor, rules.REPORT, government)
    report, _created = AnnualReport.objects.get_or_create(government=government, year=year)
    if report.status == AnnualReport.Status.PUBLISHED:
        raise ValidationError(_("This report is already published."))
    for name in REPORT_TEXTS:
        if name in values:
            setattr(report, name, (values[name] or "").strip())
    report.annotated_by = actor
    if publish:
        report.figures = annual_figures(government_id=government.pk, year=year)
        report.status = AnnualReport.Status.PUBLISHED
        report.published_at = timezone.now()
    report.save()
    audit_record(action="ppid.report.publish" if publish else "ppid.report.annotate", actor=actor,
                 actor_label="system", target=report, data={"year": year})
    return report


# --- serta-merta announcements ---------------------------------------------------------------------------

HOME_DAYS = 14  # an urgent notice stays on the home page this long unless told otherwise


@transaction.atomic
def announce(*, actor: User | None, item: InformationItem, notice: str, broadcast: bool = False,
             home_until: datetime | None = None, at: datetime | None = None) -> int:
    """Announce a serta-merta item at once (UU 14/2008 art. 10): it is published in the register (no wait for
    the main PPID, who reviews it after), shown on the home page, and, if the PPID chooses, queued in the
    outbox for every subscriber in their language. Returns the number of messages queued."""
    _check(actor, rules.ANNOUNCE, item)
    notice = " ".join((notice or "").split())
    if not notice:
        raise ValidationError({"notice": [_("Write the notice in plain words.")]})
    at = at or timezone.now()
    item.category = Category.IMMEDIATE
    item.announcement = notice
    item.on_home_until = home_until or at + timedelta(days=HOME_DAYS)
    item.content_updated_at = at
    if item.status != ItemStatus.APPROVED:
        item.status, item.approved_by, item.approved_at = ItemStatus.APPROVED, actor, at
    queued = 0
    if broadcast and item.broadcast_at is None:
        link = f"{settings.SITE_URL.rstrip('/')}/informasi/daftar/{item.pk}/"
        for subscriber in NoticeSubscriber.objects.filter(is_active=True).order_by("pk").iterator(chunk_size=500):
            context = {"title": item.title, "notice": notice, "link": link}
            if subscriber.channel == "email":
                context["unsubscribe"] = subscription_link(subscriber, purpose="stop")
            queue_message(channel=subscriber.channel, recipient=subscriber.recipient, language=subscriber.language,
                          event="ppid_notice", context=context, about=item, reference=item.number)
            queued += 1
        item.broadcast_at = at
    item.save()
    audit_record(action="ppid.item.announce", actor=actor, actor_label="system", target=item,
                 data={"broadcast": bool(broadcast), "messages": queued})
    return queued


# --- public subscription to the notices (e-mail, double opt-in) ------------------------------------------

SUBSCRIBE_PER_ADDRESS_HOUR = 5  # requests from one client address (IPv6: its /64) per hour
CONFIRMATIONS_PER_RECIPIENT_DAY = 3  # confirmation e-mails to one address per day, whoever asks
CONFIRM_DAYS = 7  # the confirmation link works this long; an unconfirmed address is then deleted
_CONFIRM_SALT = "balai.ppid.subscribe.confirm"
_STOP_SALT = "balai.ppid.subscribe.stop"


def _count(key: str, *, window: int) -> int:
    """One more in `key`'s fixed window (the shared cache); the count so far."""
    slot = f"ppid:{key}:{int(timezone.now().timestamp()) // window}"
    cache.add(slot, 0, timeout=window + 5)
    try:
        return int(cache.incr(slot))
    except ValueError:  # expired between add and incr
        cache.set(slot, 1, timeout=window + 5)
        return 1


def _fingerprint(subscriber: NoticeSubscriber) -> str:
    """Binds a link to this row and address (a deleted row's id given to someone else opens nothing)."""
    raw = f"{subscriber.pk}:{subscriber.recipient}:{subscriber.created_at.isoformat()}"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def subscription_token(subscriber: NoticeSubscriber, *, purpose: str) -> str:
    """The signed token of a confirmation ("confirm", expires) or unsubscribe ("stop", lasts) link."""
    salt = _CONFIRM_SALT if purpose == "confirm" else _STOP_SALT
    return signing.dumps({"s": subscriber.pk, "f": _fingerprint(subscriber)}, salt=salt, compress=True)


def _subscriber_of(token: str, *, purpose: str) -> NoticeSubscriber | None:
    salt = _CONFIRM_SALT if purpose == "confirm" else _STOP_SALT
    try:
        data = signing.loads(token, salt=salt,
                             max_age=timedelta(days=CONFIRM_DAYS) if purpose == "confirm" else None)
    except signing.BadSignature:  # also SignatureExpired
        return None
    if not isinstance(data, dict):
        return None
    pk = data.get("s")
    if not isinstance(pk, int):
        return None
    subscriber = NoticeSubscriber.objects.filter(pk=pk, channel="email").first()
    if subscriber is None or _fingerprint(subscriber) != data.get("f"):
        return None
    return subscriber


def subscription_link(subscriber: NoticeSubscriber, *, purpose: str) -> str:
    name = "portal:subscribe_confirm" if purpose == "confirm" else "portal:subscribe_stop"
    with translation.override(subscriber.language if subscriber.language in ("id", "en") else "id"):
        path = reverse(name, args=[subscription_token(subscriber, purpose=purpose)])
    return settings.SITE_URL.rstrip("/") + path


@transaction.atomic
def subscription_request(*, email: str, language: str, client_key: str) -> str:
    """Someone asks, on the public page, for the notices by e-mail: the address is kept inactive and sent a
    confirmation link (double opt-in). Returns "sent", or "limited" when this client asked too often.

    The answer never tells whether the address was already subscribed (the same page either way); an
    address gets at most a few confirmation e-mails a day, whoever asks. Only the address and the language
    are kept; the client's address is counted in the cache, hashed, and kept nowhere."""
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": [_("Enter a valid e-mail address.")]}) from None
    language = language if language in ("id", "en") else "id"
    client = hashlib.sha256(client_key.encode()).hexdigest()[:24]
    if _count(f"sub-ip:{client}", window=3600) > SUBSCRIBE_PER_ADDRESS_HOUR:
        return "limited"
    subscriber, created = NoticeSubscriber.objects.get_or_create(
        channel="email", recipient=email, defaults={"language": language, "is_active": False})
    if subscriber.is_active:
        return "sent"  # already subscribed: nothing to confirm, and nothing said about it
    recipient_key = hashlib.sha256(email.encode()).hexdigest()[:24]
    if _count(f"sub-to:{recipient_key}", window=86400) > CONFIRMATIONS_PER_RECIPIENT_DAY:
        return "sent"
    if not created and subscriber.language != language:
        subscriber.language = language
        subscriber.save(update_fields=["language"])
    queue_message(channel="email", recipient=email, language=language, event="ppid_subscribe",
                  context={"link": subscription_link(subscriber, purpose="confirm")}, about=subscriber)
    audit_record(action="ppid.subscriber.request", actor_label="public", target=subscriber, data={})
    return "sent"


@transaction.atomic
def subscription_confirm(*, token: str, at: datetime | None = None) -> NoticeSubscriber | None:
    """The link in the confirmation e-mail was followed (and its button pressed): the address receives the
    notices from now on. None when the link is wrong or older than a week."""
    subscriber = _subscriber_of(token, purpose="confirm")
    if subscriber is None:
        return None
    if not subscriber.is_active:
        subscriber.is_active = True
        subscriber.confirmed_at = at or timezone.now()
        subscriber.save(update_fields=["is_active", "confirmed_at"])
        audit_record(action="ppid.subscriber.confirm", actor_label="public", target=subscriber, data={})
    return subscriber


@transaction.atomic
def subscription_cancel(*, token: str) -> bool:
    """The unsubscribe link of a notice: the address is deleted at once (nothing of it is kept)."""
    subscriber = _subscriber_of(token, purpose="stop")
    if subscriber is None:
        return False
    audit_record(action="ppid.subscriber.cancel", actor_label="public", target=subscriber, data={})
    subscriber.delete()
    return True


def forget_unconfirmed_subscribers(*, now: datetime | None = None) -> int:
    """Addresses never confirmed within a week are deleted (part of the daily sweep)."""
    cutoff = (now or timezone.now()) - timedelta(days=CONFIRM_DAYS)
    deleted, _rows = NoticeSubscriber.objects.filter(channel="email", is_active=False, confirmed_at__isnull=True,
                                                     created_at__lt=cutoff).delete()
    return deleted
