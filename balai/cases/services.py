"""The case engine's writes: submission and the ONE transition function.

Nothing else writes `Case.status` (tests/cases/test_status_writes.py scans the code). Each write checks
permission and preconditions, then changes the case, writes its timeline event(s), an audit record and
the outgoing notifications in one database transaction, or nothing at all (docs/architecture.md, the case engine).
Deadlines are working days (`balai.worktime.calendar`), per docs/regulations.md §3–4.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from balai.cases import checks, clock, workflows
from balai.cases.commands import CaseCommand
from balai.cases.errors import (
    ConflictError,
    MissingRequirement,
    PermissionDeniedError,
    TransitionNotAllowed,
)
from balai.cases.models import Case, CaseKind, ClockState, Confidentiality, Event
from balai.cases.search import search_text_for
from balai.cases.submission import Submission
from balai.cases.workflows import Transition, Workflow
from balai.catalog.choices import Channel
from balai.people.models import ContactChannel, User
from balai.rows import insert_rows

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile
    from django.db.models import Model

    from balai.agencies.models import Agency, Region, Unit
    from balai.audit.models import AuditRecord
    from balai.cases.commands import Actor
    from balai.cases.models import Attachment
    from balai.cases.submission import JSONValue
    from balai.catalog.models import ComplaintCategory, Service
    from balai.notify.models import Message

# A value of a case field or of an event's data, as the engine writes them.
FieldValue = object

CHANNELS = tuple(Channel.values)  # the one definition: catalog.choices.Channel
CONTACT_CHANNELS = tuple(ContactChannel.values)  # the one definition: people.ContactChannel


@dataclass(frozen=True)
class ActionSpec:
    """An action a viewer may take now: for buttons, SMS keywords and the API."""

    name: str
    label: str
    requires: frozenset[str]
    is_public: bool


# --------------------------------------------------------------------------------------------------
# collaborators (base layer and sibling modules, imported lazily)


def _audit(*, action: str, actor: Actor, target: Model, data: Mapping[str, object],
           actor_label: str = "") -> AuditRecord:
    from balai.audit.services import audit_record

    return audit_record(action=action, actor=_user(actor), target=target, data=data, actor_label=actor_label)


def _user(actor: Actor) -> User | None:
    """The account an actor is, for the rows that name it: only a signed-in user reaches the engine's
    writes as an actor (`_may_take`); the citizen proven by a face acts as None."""
    return actor if isinstance(actor, User) else None


def _notify(*, case: Case, event: str, extra: Mapping[str, object] | None = None) -> list[Message]:
    from balai.cases.messages import queue_case_message

    return queue_case_message(case=case, event=event, extra=extra or {})


def _has_permission(user: Actor, action: str, obj: Case) -> bool:
    from balai.people.permissions import has_permission

    return has_permission(user, action, obj)


def _store_files(*, case: Case, files: Iterable[UploadedFile], actor: Actor, is_public: bool,
                 event: Event) -> list[Attachment]:
    from balai.cases.attachments import store_upload

    return [store_upload(case=case, uploaded=f, actor=actor, is_public=is_public, event=event) for f in files]


def _shown_rows_changed() -> None:
    """New cases change what public pages count: this process reads the page cache's stamps again after
    the commit (what a model save's signal does; the lean writer's bulk INSERTs send none)."""
    from balai.pagecache import forget_after_commit

    forget_after_commit()


def _new_code() -> str:
    from balai.cases.tracking import new_tracking_code

    return new_tracking_code()


# --------------------------------------------------------------------------------------------------
# submission


def _days_value(days: int | str | None, *, service: Service | None, category: ComplaintCategory | None) -> int | None:
    if days is None or isinstance(days, int):
        return days
    if days == workflows.DAYS_SERVICE:
        return service.deadline_working_days if service is not None else None
    if days == workflows.DAYS_CATEGORY:
        return category.completion_working_days if category is not None else None
    raise ValueError(days)


def default_unit(agency: Agency, *, kind: str = "") -> Unit | None:
    """The unit that receives a case sent to a whole agency: its intake queue
    (`balai.agencies.selectors.intake_unit`; the PPID for information requests)."""
    from balai.agencies.selectors import intake_unit

    return intake_unit(agency, information=kind == CaseKind.INFORMATION_REQUEST)


def _route(*, kind: str, service: Service | None, category: ComplaintCategory | None, region: Region | None,
           agency: Agency | int | str | None) -> tuple[Agency, Unit | None]:
    """(agency, unit) responsible for a new case."""
    from balai.agencies.models import Agency, Unit

    if kind in (CaseKind.SERVICE_REQUEST, CaseKind.ICT_REQUEST):
        service = cast("Service", service)  # validated: these kinds name a service
        return service.agency, service.unit or default_unit(service.agency, kind=kind)
    if kind in (CaseKind.COMPLAINT, CaseKind.ASPIRATION):
        from balai.catalog.selectors import route_complaint

        routed_agency, routed_unit = route_complaint(cast("ComplaintCategory", category), region)
        return routed_agency, routed_unit or default_unit(routed_agency, kind=kind)
    # Information request: the PPID unit of the agency asked (UU 14/2008 art. 13), else the main PPID.
    target = agency or (service.agency if service is not None else None)
    if target is None:
        unit = (Unit.objects.filter(kind=Unit.Kind.PPID, is_active=True, agency__is_active=True)
                .select_related("agency").order_by("agency__government_id", "id").first())
        if unit is None:
            raise ValidationError({"agency": [_("Choose the agency you are asking.")]})
        return unit.agency, unit
    if isinstance(target, int | str):
        target = Agency.objects.filter(pk=target).first()
        if target is None:
            raise ValidationError({"agency": [_("Choose the agency you are asking.")]})
    return target, default_unit(target, kind=kind)


def _validate_submission(
    sub: Submission, accommodations: Sequence[str],
) -> tuple[dict[str, JSONValue], str, Decimal | None, Decimal | None]:
    """Refuse what cannot be registered (field → messages); the sealed answers, the normalized phone and
    the coordinates of what can."""
    from balai.catalog.models import Accommodation, Service
    from balai.catalog.selectors import is_requestable, offered_on

    kind, channel, title, service = sub.kind, sub.channel, sub.title, sub.service
    complaint_category, answers, files, language = sub.complaint_category, sub.answers, sub.files, sub.language
    contact_phone, contact_email, contact_channel = sub.contact_phone, sub.contact_email, sub.contact_channel
    latitude, longitude, confidentiality = sub.latitude, sub.longitude, sub.confidentiality
    errors: dict[str, list[str]] = {}

    def err(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if kind not in CaseKind.values:
        err("kind", _("Choose what kind of request this is."))
    if channel not in CHANNELS:
        err("channel", _("Unknown channel."))
    if not (title or "").strip():
        err("title", _("Give your request a short title."))
    elif len(title) > 200:
        err("title", _("The title is too long (at most 200 characters)."))
    if kind in (CaseKind.SERVICE_REQUEST, CaseKind.ICT_REQUEST):
        wanted = Service.Kind.ICT if kind == CaseKind.ICT_REQUEST else Service.Kind.SERVICE
        if service is None:
            err("service", _("Choose a service."))
        elif not is_requestable(service, kind=wanted):  # the catalog's one rule (published, agency active)
            err("service", _("This service cannot be requested here."))
        elif not offered_on(service, channel):
            err("service", _("This service is not offered through this channel."))
    if kind in (CaseKind.COMPLAINT, CaseKind.ASPIRATION):
        if complaint_category is None:
            err("complaint_category", _("Choose a category."))
        elif not complaint_category.is_active:
            err("complaint_category", _("This category is no longer in use. Choose another one."))
    if contact_channel not in CONTACT_CHANNELS:
        err("contact_channel", _("Choose how we should contact you."))
    if language not in ("id", "en"):
        err("language", _("Choose Bahasa Indonesia or English."))
    if confidentiality not in Confidentiality.values:
        err("confidentiality", _("Choose public, confidential or anonymous."))
    bad = [a for a in accommodations if a not in Accommodation.values]
    if bad:
        err("accommodations", _("Unknown accommodation need: %(names)s.") % {"names": ", ".join(map(str, bad))})

    phone = ""
    if contact_phone:
        from balai.people.phone import normalize_phone

        try:
            phone = normalize_phone(contact_phone)
        except ValueError as exc:
            err("contact_phone", getattr(exc, "message", "") or _("This is not a valid phone number."))
    if contact_email:
        try:
            validate_email(contact_email)
        except ValidationError:
            err("contact_email", _("Enter a valid e-mail address, like nama@contoh.id."))
    if contact_channel == "email" and not contact_email and "contact_email" not in errors:
        err("contact_email", _("Enter your e-mail address, or choose another way to be contacted."))

    lat = lon = None
    for name, raw, limit in (("latitude", latitude, 90), ("longitude", longitude, 180)):
        if raw in (None, ""):
            continue
        try:
            value = Decimal(str(raw)).quantize(Decimal("0.000001"))
        except (InvalidOperation, ValueError):
            err(name, _("Enter a number."))
            continue
        if abs(value) > limit:
            err(name, _("This coordinate is out of range."))
            continue
        if name == "latitude":
            lat = value
        else:
            lon = value

    from balai.catalog.sealed_answers import seal_answers

    cleaned: dict = dict(answers or {})
    definition = service.form_definition if service is not None else None
    if definition:
        from balai.catalog.form_definition import validate_answers, with_contact

        file_map = files if isinstance(files, Mapping) else None
        # The form's name and phone fields and the contact are one (asked once); a phone is required only
        # when the citizen is to be reached by SMS or WhatsApp.
        definition, answers = with_contact(
            definition, answers or {}, contact={"contact_name": sub.contact_name, "contact_phone": sub.contact_phone},
            reachable_by_phone=sub.contact_channel in ("sms", "whatsapp"))
        cleaned, field_errors = validate_answers(definition, answers or {}, file_map,
                                                 lang=language if language in ("id", "en") else "id")
        for name, messages in field_errors.items():
            for m in messages:
                err(f"answers.{name}" if name not in ("title",) else name, str(m))
    if errors:
        raise ValidationError(errors)
    # Stored sealed: a NIK never lands in the case's JSON in plain text (ADR 0019).
    return seal_answers(definition, cleaned), phone, lat, lon


def case_submit(submission: Submission, *, also: Callable[[Case], object] | None = None,
                replies: Callable[[Case, Message | None], Sequence[Message]] | None = None,
                in_caller_transaction: bool = False) -> Case:
    """Register a new case from any channel and start its deadline clock.

    `submission`: what every face builds (`balai.cases.submission.Submission`: kind, channel, title,
    service or complaint_category, answers, contacts, region, files, ...). Raises `ValidationError` with a field →
    messages dict. Routing: a service to its unit; a complaint or aspiration by its category and region
    (`route_complaint`); an information request to the PPID of the agency asked (UU 14/2008 art. 21–22,
    registered at once with a number); an ICT request to the ICT service's unit at Diskominfo. `files` is
    a sequence of uploads, or a mapping field name → upload for the service form's file fields.
    `also(case)` writes a channel's own rows for the new case in the same transaction (the Open311 request
    token), without the savepoint an outer `atomic()` would cost. `replies(case, acknowledgement)` returns
    a channel's own messages to the citizen (`prepare_case_text`), written with the acknowledgement in one
    INSERT; the acknowledgement (unsaved when `replies` sees it, None when the citizen gets none) is then
    written, so the caller can keep it. `in_caller_transaction`: write in the caller's transaction without
    a savepoint; a tracking-code collision then raises `IntegrityError` and the caller runs its whole
    (still uncommitted) transaction again, as the SMS webhook does (ADR 0042, "One transaction").

    The rows are written by `_write_submissions`, the one writer `case_submit_many` uses too (a batch of one).
    """
    prep = prepare_submission(submission)
    if in_caller_transaction:
        case = Case(tracking_code=_new_code(), **prep.fields)
        with transaction.atomic(savepoint=False):
            insert_rows([case])
            with _audit_batch():
                _write_submissions([(submission, prep)], [case], also=also, replies=replies)
        return case
    # A tracking-code collision (1 in 20^8 per pair) fails the INSERT, the first statement of the
    # transaction: the whole (still empty) transaction is retried with a new code. That costs nothing
    # in the usual case, where a savepoint around the INSERT would cost two round trips per submission.
    for _attempt in range(8):
        code = _new_code()
        try:
            with transaction.atomic():
                case = Case(tracking_code=code, **prep.fields)
                insert_rows([case])
                with _audit_batch():
                    _write_submissions([(submission, prep)], [case], also=also, replies=replies)
            return case
        except IntegrityError:
            if Case.objects.filter(tracking_code=code).exists():
                continue  # a code collision: draw another
            raise
    raise RuntimeError("could not draw a unique tracking code")  # pragma: no cover - 8 collisions


@contextmanager
def _audit_batch() -> Iterator[None]:
    """The audit records of one submission appended together at the end of its writes (one chain lock,
    held only for their INSERT and the COMMIT), or into the caller's batch when there is one."""
    from balai.audit.services import audit_batch, in_audit_batch

    if in_audit_batch():
        yield
        return
    with audit_batch():
        yield


@dataclass(frozen=True)
class PreparedSubmission:
    """A validated, routed submission: the new case's fields and what its transaction needs."""

    fields: dict[str, FieldValue]
    wf: Workflow
    actor: Actor
    at: datetime
    due_at: datetime
    days: int
    agency: Agency
    unit: Unit | None


def prepare_submission(submission: Submission) -> PreparedSubmission:
    """Everything `case_submit` decides before writing: validation, routing, deadlines (reads only).

    Raises `ValidationError` (field → messages). Queued intake runs it to refuse bad input at once.
    """
    sub = submission
    kind, service, complaint_category, citizen = sub.kind, sub.service, sub.complaint_category, sub.citizen
    title, description, registered_by, confidentiality = sub.title, sub.description, sub.registered_by, sub.confidentiality
    contact_name, contact_address, accommodation_note = sub.contact_name, sub.contact_address, sub.accommodation_note
    at = sub.submitted_at or timezone.now()
    accommodations = list(dict.fromkeys(sub.accommodations or ()))
    region = sub.region
    if isinstance(region, str):
        from balai.agencies.selectors import region_by_code

        region = region_by_code(region)
    cleaned, phone, lat, lon = _validate_submission(sub, accommodations)
    resp_agency, unit = _route(kind=kind, service=service, category=complaint_category, region=region,
                               agency=sub.agency)
    wf = workflows.workflow_for(kind)
    gov_id = resp_agency.government_id
    days = _days_value(wf.start_days, service=service, category=complaint_category) or 0
    due_at = clock.add_working_days(at, days, government_id=gov_id)
    completion_days = _days_value(wf.completion_days, service=service, category=complaint_category)
    completion_due_at = (clock.add_working_days(at, completion_days, government_id=gov_id)
                         if completion_days else None)
    if completion_due_at is not None and completion_due_at < due_at:
        due_at = completion_due_at
    actor = registered_by or citizen
    if confidentiality == Confidentiality.ANONYMOUS and actor is citizen:
        actor = None  # anonymous: the timeline and the audit trail do not name the citizen either

    fields: dict[str, FieldValue] = dict(
        kind=kind, service=service, complaint_category=complaint_category, title=title.strip(),
        description=(description or "").strip(), answers=cleaned, citizen=citizen,
        contact_name=contact_name.strip(), contact_phone=phone, contact_email=sub.contact_email.strip(),
        contact_address=contact_address.strip(), contact_channel=sub.contact_channel, language=sub.language,
        channel=sub.channel, client=sub.client, registered_by=registered_by, region=region, latitude=lat,
        longitude=lon, location_text=sub.location_text.strip(), confidentiality=confidentiality,
        accommodations=accommodations, accommodation_note=accommodation_note.strip(),
        has_accommodations=bool(accommodations or accommodation_note.strip()),
        government_id=gov_id, agency=resp_agency, unit=unit, status=wf.initial, is_open=True, version=1,
        clock_state=ClockState.RUNNING, target_working_days=days, due_at=due_at,
        completion_due_at=completion_due_at, submitted_at=at, extra=dict(sub.extra or {}),
        search_text=search_text_for(title=title.strip(), description=(description or "").strip(),
                                    contact_name=contact_name.strip(), confidentiality=confidentiality),
    )
    return PreparedSubmission(fields=fields, wf=wf, actor=actor, at=at, due_at=due_at, days=days,
                              agency=resp_agency, unit=unit)


def _submitted_event(*, case: Case, wf: Workflow, actor: Actor, channel: str, due_at: datetime, days: int,
                     at: datetime) -> Event:
    """A new case's first timeline event (not saved)."""
    return Event(
        case=case, kind=Event.Kind.SUBMITTED, action="submit", to_status=wf.initial, actor=_user(actor),
        actor_label=_actor_label(actor, channel=channel), is_public=True,
        data={"channel": channel, "due_at": due_at.isoformat(), "target_working_days": days}, at=at,
    )


def _audit_submitted(*, case: Case, actor: Actor, kind: str, channel: str, resp_agency: Agency,
                     unit: Unit | None) -> AuditRecord:
    return _audit(action="case.submit", actor=actor, target=case,
                  data={"kind": kind, "channel": channel, "agency": resp_agency.pk,
                        "unit": unit.pk if unit else None, "tracking_code": case.tracking_code},
                  actor_label=_actor_label(actor, channel=channel))


def case_submit_many(submissions: Sequence[Submission]) -> list[Case | ValidationError]:
    """Register many submissions without files together (the worker's batch of queued intake, ADR 0014):
    for each, its case or the `ValidationError` that refused it, in order.

    Each case is exactly what `case_submit` makes of its submission (the same fields, timeline event,
    acknowledgement in the outbox with its delivery job, audit record), written with one INSERT per
    table for the whole batch instead of one per case. Call it inside the caller's transaction; inside
    `balai.audit.services.audit_batch` the audit records are appended to the chain together, in the
    order of the submissions, each still linked to the one before it.
    """
    results: list[Case | ValidationError | None] = [None] * len(submissions)
    ready: list[tuple[int, Submission, PreparedSubmission]] = []
    for i, submission in enumerate(submissions):
        if submission.files:
            raise ValueError("case_submit_many registers submissions without files")
        try:
            ready.append((i, submission, prepare_submission(submission)))
        except ValidationError as exc:
            results[i] = exc
    if ready:
        with transaction.atomic(savepoint=False):
            cases = _insert_cases([prep for _i, _sub, prep in ready])
            _write_submissions([(sub, prep) for _i, sub, prep in ready], cases)
        for case, (i, _sub, _prep) in zip(cases, ready, strict=True):
            results[i] = case
    return cast("list[Case | ValidationError]", results)  # every entry is set above


def _write_submissions(ready: Sequence[tuple[Submission, PreparedSubmission]], cases: Sequence[Case], *,
                       also: Callable[[Case], object] | None = None,
                       replies: Callable[[Case, Message | None], Sequence[Message]] | None = None) -> None:
    """Everything a submission writes after its case row, for one or many inserted cases (in order):
    timeline events (one INSERT), files (a single submission's), popularity of the services, the
    acknowledgements in the outbox with their delivery jobs (one INSERT each), `also`, audit records.

    Runs in the caller's transaction; the audit records go into the caller's `audit_batch`, so the chain
    lock is taken last, for their INSERT and the COMMIT only.
    """
    from balai.cases.messages import case_message
    from balai.notify.outbox import prepare_message, queue_messages

    events = insert_rows([
        _submitted_event(case=case, wf=prep.wf, actor=prep.actor, channel=sub.channel, due_at=prep.due_at,
                         days=prep.days, at=prep.at)
        for case, (sub, prep) in zip(cases, ready, strict=True)])
    for case, event, (sub, prep) in zip(cases, events, ready, strict=True):
        files = sub.files or ()
        uploads = files.values() if isinstance(files, Mapping) else files
        if uploads:
            stored = _store_files(case=case, files=uploads, actor=prep.actor, is_public=False, event=event)
            if isinstance(files, Mapping):
                for name, attachment in zip(files.keys(), stored, strict=True):
                    case.answers[name] = {"attachment": attachment.pk, "name": attachment.original_name}
                Case.objects.filter(pk=case.pk).update(answers=case.answers)
    popular: dict[int, int] = {}
    service_model: type[Service] | None = None
    for sub, _prep in ready:
        if sub.service is not None:
            service_model = type(sub.service)
            popular[sub.service.pk] = popular.get(sub.service.pk, 0) + 1
    if service_model is not None:
        for service_pk, count in popular.items():
            service_model.objects.filter(pk=service_pk).update(popularity=F("popularity") + count)
    messages: list[Message] = []
    for case, (sub, prep) in zip(cases, ready, strict=True):
        # The message (whose recipient an anonymous case reads through the audited `reveal_identity`),
        # then the submission's audit record: both collected by the audit batch in this order.
        message = case_message(case=case, event="received", extra={"due_at": prep.due_at.isoformat()})
        acknowledgement = prepare_message(**message) if message is not None else None
        if acknowledgement is not None:
            messages.append(acknowledgement)
        if replies is not None:
            messages.extend(replies(case, acknowledgement))
        if also is not None:
            also(case)
        _audit_submitted(case=case, actor=prep.actor, kind=sub.kind, channel=sub.channel,
                         resp_agency=prep.agency, unit=prep.unit)
    queue_messages(messages)
    _shown_rows_changed()


def _insert_cases(prepared: Sequence[PreparedSubmission]) -> list[Case]:
    """One INSERT for the cases of a batch. A tracking-code collision (1 in 20^8 per pair) undoes that
    INSERT (its savepoint) and draws new codes for the whole batch."""
    for _attempt in range(8):
        cases = [Case(tracking_code=_new_code(), **prep.fields) for prep in prepared]
        if len({c.tracking_code for c in cases}) < len(cases):
            continue  # two of the batch drew the same code
        try:
            with transaction.atomic():
                insert_rows(cases)
        except IntegrityError:
            if Case.objects.filter(tracking_code__in=[c.tracking_code for c in cases]).exists():
                continue  # a code collision: draw others
            raise
        if any(c.pk is None for c in cases):  # pragma: no cover - every supported database returns ids
            raise RuntimeError("the ids of the new cases were not returned")
        return cases
    raise RuntimeError("could not draw unique tracking codes")  # pragma: no cover - 8 collisions


# --------------------------------------------------------------------------------------------------
# transitions


def _actor_label(actor: Actor, *, channel: str | None = None, system: bool = False) -> str:
    if system:
        return "system"
    if actor is not None:
        return (getattr(actor, "full_name", "") or str(actor))[:120]
    return f"citizen:{channel}" if channel else "citizen"


def _staff_roles(t: Transition) -> frozenset[str]:
    return t.roles - {workflows.CITIZEN, workflows.SYSTEM}


def _is_citizen_actor(case: Case, actor: Actor) -> bool:
    return actor is not None and case.citizen_id is not None and actor.pk == case.citizen_id


def _may_take(case: Case, t: Transition, actor: Actor, *, system: bool) -> bool:
    if system:
        return workflows.SYSTEM in t.roles
    if actor is None or _is_citizen_actor(case, actor):
        if workflows.CITIZEN in t.roles:
            return True
        if actor is None:
            return False
    if not _staff_roles(t) or not getattr(actor, "is_authenticated", False):
        return False
    return (_has_permission(actor, f"case.{t.name}", case)
            and _has_permission(actor, f"case.{case.kind}.{t.name}", case))


def _guard_failure(case: Case, t: Transition, at: datetime) -> str | None:
    """Why a guard blocks `t` now (translated), or None."""
    gov = case.government_id
    for guard in t.guards:
        if guard == workflows.GUARD_NOT_EXTENDED and case.extended:
            return _("The deadline has already been extended once; the law allows only one extension.")
        if guard == workflows.GUARD_OVERDUE:
            if case.due_at is None or at <= case.due_at or case.clock_state != ClockState.RUNNING:
                return _("An objection for a late answer is possible only after the deadline has passed.")
            limit = clock.add_working_days(case.due_at, workflows.INFO_OBJECTION_WINDOW_DAYS, government_id=gov)
            if at > limit:
                return _("The 30 working days to file an objection have passed.")
        if guard == workflows.GUARD_WINDOW_OPEN and case.auto_close_at is not None and at > case.auto_close_at:
            return _("The period for this has ended.")
        if guard == workflows.GUARD_AUTO_CLOSE_DUE and (case.auto_close_at is None or at < case.auto_close_at):
            return _("The period for the citizen to reply has not ended yet.")
        if guard == workflows.GUARD_APPROVED and (case.extra or {}).get("approval", {}).get(
                "state", "approved") != "approved":
            return _("This request still needs the approval of the requesting agency's head.")
        if guard == workflows.GUARD_REOPEN_WINDOW:
            days = int(getattr(settings, "BALAI_REOPEN_DAYS", 10))
            if case.closed_at is None or at > clock.add_working_days(case.closed_at, days, government_id=gov):
                return _("A case can be reopened only within %(days)d working days of its closure.") % {
                    "days": days}
    return None


def _check_requirements(
    case: Case, t: Transition, *, reason: str, body: str, target_unit: Unit | None, target_agency: Agency | None,
    assignee: User | None,
    exemption: str,
) -> tuple[Agency, Unit | None]:
    """Raise MissingRequirement; return the (agency, unit) of a disposition."""
    from balai.cases.selectors import may_dispose_to
    from balai.people.models import Membership

    errors: dict[str, list[str]] = {}
    req = t.requires
    if workflows.REASON in req and not (reason or "").strip():
        errors["reason"] = [_("Give the reason.")]
    if workflows.BODY in req and not (body or "").strip():
        errors["body"] = [_("Write the text.")]
    if workflows.EXEMPTION in req and exemption not in workflows.EXEMPTIONS:
        errors["exemption"] = [_("Cite the exemption (UU 14/2008 art. 17) the refusal rests on.")]
    if workflows.EXEMPTION in req and "reason" in req and "reason" in errors:
        errors["reason"] = [_("Write the consequence test: what harm disclosure would cause.")]
    if workflows.ASSIGNEE in req:
        if assignee is None:
            errors["assignee"] = [_("Choose an officer.")]
        else:
            members = Membership.objects.filter(user=assignee, is_active=True, user__is_active=True)
            members = (members.filter(unit=case.unit_id) if case.unit_id
                       else members.filter(unit__agency=case.agency_id))
            if not members.exists():
                errors["assignee"] = [_("This officer does not work in the responsible unit.")]
    new_agency, new_unit = case.agency, case.unit
    if workflows.TARGET in req:
        if target_unit is None and target_agency is None:
            errors["target"] = [_("Choose the unit or agency to forward the case to.")]
        elif target_unit is not None and target_agency is not None and target_unit.agency_id != target_agency.pk:
            errors["target_unit"] = [_("The unit does not belong to the chosen agency.")]
        else:
            new_agency = target_unit.agency if target_unit is not None else cast("Agency", target_agency)
            new_unit = target_unit or default_unit(new_agency, kind=case.kind)
            if new_agency.pk == case.agency_id and (new_unit.pk if new_unit else None) == case.unit_id:
                errors["target"] = [_("The case is already with this unit.")]
            elif not new_agency.is_active or (new_unit is not None and not new_unit.is_active):
                errors["target"] = [_("This unit or agency is not active.")]
            elif not may_dispose_to(case, agency=new_agency, unit=new_unit):
                errors["target"] = [_("A case can be forwarded only to an agency of its own government.")]
    if errors:
        raise MissingRequirement(errors)
    return new_agency, new_unit


def _clock_changes(case: Case, t: Transition, at: datetime) -> dict[str, FieldValue]:
    """Field updates for the transition's clock effect (working days, pauses excluded)."""
    gov = case.government_id
    c = t.clock
    changes: dict[str, FieldValue] = {}
    if c is None:
        return changes
    paused_extra = 0
    if case.clock_state == ClockState.PAUSED and case.paused_at is not None:
        paused_extra = clock.working_days_between(case.paused_at, at, government_id=gov)
    if c.op == workflows.PAUSE:
        changes.update(clock_state=ClockState.PAUSED, paused_at=at, due_soon=False)
    elif c.op == workflows.RESUME:
        changes.update(clock_state=ClockState.RUNNING, paused_at=None,
                       paused_working_days=case.paused_working_days + paused_extra)
        if paused_extra:
            if case.due_at is not None:
                changes["due_at"] = clock.add_working_days(case.due_at, paused_extra, government_id=gov)
            if case.completion_due_at is not None:
                changes["completion_due_at"] = clock.add_working_days(case.completion_due_at, paused_extra,
                                                                      government_id=gov)
            new_due = changes.get("due_at")
            if isinstance(new_due, datetime) and new_due > at and case.breached_at is None:
                changes["due_soon"] = False
    elif c.op == workflows.STOP:
        paused = case.paused_working_days + paused_extra
        taken = clock.working_days_between(case.submitted_at, at, government_id=gov) - paused
        changes.update(clock_state=ClockState.STOPPED, stopped_at=at, paused_at=None, due_soon=False,
                       paused_working_days=paused, elapsed_working_days=max(taken, 0))
    elif c.op == workflows.RESTART:
        idle = paused_extra
        if case.clock_state == ClockState.STOPPED and case.stopped_at is not None:
            # time between an answer and a dispute/reopen is the citizen's, not the agency's
            idle += clock.working_days_between(case.stopped_at, at, government_id=gov)
        days = _days_value(c.days, service=case.service, category=case.complaint_category) or 0
        due = clock.add_working_days(at, days, government_id=gov)
        if case.completion_due_at is not None and at < case.completion_due_at < due:
            due = case.completion_due_at
        changes.update(clock_state=ClockState.RUNNING, paused_at=None, stopped_at=None, due_at=due,
                       target_working_days=days, due_soon=False, breached_at=None, escalation_level=0,
                       escalated_at=None, paused_working_days=case.paused_working_days + idle,
                       elapsed_working_days=None)
    elif c.op == workflows.EXTEND:
        days = _days_value(c.days, service=case.service, category=case.complaint_category) or 0
        base = case.due_at or at
        new_due = clock.add_working_days(base, days, government_id=gov)
        changes.update(due_at=new_due, extended=True, due_soon=False,
                       target_working_days=(case.target_working_days or 0) + days)
        if new_due > at:
            changes.update(breached_at=None, escalation_level=0, escalated_at=None)
    return changes


def _lock(pk: int) -> Case:
    try:
        return (Case.objects.select_for_update(of=("self",))
                .select_related("service", "complaint_category").get(pk=pk))
    except Case.DoesNotExist as exc:
        raise ConflictError(_("This case no longer exists.")) from exc


def case_transition(case: Case, command: CaseCommand) -> Case:
    """Apply one workflow action (`command`, see `balai.cases.commands.CaseCommand`) to `case`, atomically,
    and return the case as it now is.

    Raises the errors of `balai.cases.errors`. The given `case` instance is refreshed in place.
    """
    action, actor, expected_version, system = command.action, command.actor, command.expected_version, command.system
    reason, body, exemption, channel = command.reason, command.body, command.exemption, command.channel
    target_unit, target_agency, assignee = command.target_unit, command.target_agency, command.assignee
    files, is_public = command.files, command.is_public
    data: Mapping[str, JSONValue] | None = command.data
    at = command.at or timezone.now()
    wf = workflows.workflow_for(case.kind)
    t = wf.transition(action)
    if t is None:
        raise TransitionNotAllowed(_("Unknown action: %(action)s.") % {"action": action})
    with transaction.atomic():
        locked = _lock(case.pk)
        if expected_version is not None and locked.version != expected_version:
            raise ConflictError()
        if not _may_take(locked, t, actor, system=system):
            raise PermissionDeniedError()
        if locked.status not in t.sources:
            raise TransitionNotAllowed(
                _("“%(action)s” is not possible while the case is “%(status)s”.")
                % {"action": t.label, "status": workflows.status_label(locked.kind, locked.status)})
        why = _guard_failure(locked, t, at)
        if why:
            raise TransitionNotAllowed(why)
        new_agency, new_unit = _check_requirements(
            locked, t, reason=reason, body=body, target_unit=target_unit, target_agency=target_agency,
            assignee=assignee, exemption=exemption)
        extra_errors = checks.transition_errors(case=locked, action=t.name, actor=actor, exemption=exemption,
                                                data=data)
        if extra_errors:
            raise MissingRequirement(extra_errors)
        before = locked.status
        if t.name == "dispose":  # the former agency keeps sight of the case (visibility.former_agency_ids)
            data = {**(data or {}), "from_agency_id": locked.agency_id, "from_unit_id": locked.unit_id}
        changes = _apply(locked, wf, t, at=at, new_agency=new_agency, new_unit=new_unit, assignee=assignee)
        changes.update(version=locked.version + 1, updated_at=timezone.now())
        updated = Case.objects.filter(pk=locked.pk, version=locked.version).update(**changes)
        if updated != 1:
            raise ConflictError()
        for name, value in changes.items():
            setattr(locked, name, value)
        event = _record(locked, t, before=before, actor=actor, system=system, channel=channel, at=at,
                        reason=reason, body=body, exemption=exemption, is_public=is_public, data=data)
        if files:
            _store_files(case=locked, files=files, actor=actor, is_public=event.is_public, event=event)
        checks.run_effects(case=locked, action=t.name, event=event, actor=actor, data=data)
        for name in t.notify:
            _notify(case=locked, event=name, extra=_notify_extra(t, reason=reason, body=body,
                                                                 public=event.is_public))
    case.refresh_from_db()
    return case


def _apply(case: Case, wf: Workflow, t: Transition, *, at: datetime, new_agency: Agency, new_unit: Unit | None,
           assignee: User | None) -> dict[str, FieldValue]:
    """All field changes of the transition (status, openness, clock, routing)."""
    changes = _clock_changes(case, t, at)
    gov = case.government_id
    if t.target is not None and t.target != case.status:
        changes["status"] = t.target
        closing = t.target in wf.closed_states
        changes["is_open"] = not closing
        changes["closed_at"] = at if closing else None
        if closing and case.clock_state in (ClockState.RUNNING, ClockState.PAUSED) and "clock_state" not in changes:
            stop = workflows.Transition(t.name, t.label, t.sources, t.target, t.roles,
                                        clock=workflows.Clock(workflows.STOP))
            changes.update(_clock_changes(case, stop, at))
        period = workflows.AUTO_CLOSE_PERIODS.get((case.kind, t.target))
        changes["auto_close_at"] = clock.add_working_days(at, period, government_id=gov) if period else None
    if t.name == "verify" and case.verified_at is None:
        changes["verified_at"] = at  # from now on a public case may be listed (selectors.publicly_listable_cases)
    if t.name == "assign":
        changes["assignee"] = assignee
    elif t.name == "dispose":
        changes.update(agency=new_agency, unit=new_unit, assignee=None, government_id=new_agency.government_id)
    elif t.name == "escalate":
        changes.update(escalation_level=case.escalation_level + 1, escalated_at=at)
    return changes


AUDIT_ACTIONS = {"assign": "case.assign", "dispose": "case.dispose"}


def _record(case: Case, t: Transition, *, before: str, actor: Actor, system: bool, channel: str | None,
            at: datetime, reason: str, body: str, exemption: str, is_public: bool,
            data: Mapping | None) -> Event:
    """The timeline event and the audit record of a transition."""
    ev_data: dict[str, JSONValue] = dict(data or {})
    if reason:
        ev_data["reason"] = reason
    if exemption:
        ev_data["exemption"] = exemption
    if t.clock is not None or t.target is not None:
        ev_data["due_at"] = case.due_at.isoformat() if case.due_at else None
    if case.clock_state == ClockState.STOPPED and case.stopped_at == at:
        ev_data["elapsed_working_days"] = case.elapsed_working_days
        ev_data["on_time"] = bool(case.due_at is None or at <= case.due_at)
    if case.auto_close_at is not None and t.target is not None:
        ev_data["auto_close_at"] = case.auto_close_at.isoformat()
        if case.kind == CaseKind.INFORMATION_REQUEST and case.status == "objection_answered":
            # UU 14/2008 art. 37(2): the requester may take it to the Komisi Informasi until then.
            ev_data["komisi_informasi_until"] = case.auto_close_at.isoformat()
    if t.name == "assign":
        ev_data["assignee"] = case.assignee_id
    elif t.name == "dispose":
        ev_data.update(agency=case.agency_id, unit=case.unit_id)
    elif t.name == "escalate":
        ev_data["level"] = case.escalation_level
        ev_data.setdefault("to", "head" if case.escalation_level <= 1 else "inspectorate")
    if actor is None and not system and channel:
        ev_data["channel"] = channel
    if _is_citizen_actor(case, actor) and case.confidentiality == Confidentiality.ANONYMOUS:
        actor = None  # anonymous: no officer may learn who the citizen is, not even from the timeline
    label = _actor_label(actor, channel=channel, system=system)
    event = Event.objects.create(
        case=case, kind=t.event_kind, action=t.name, from_status=before,
        to_status=case.status, actor=_user(actor) if not system else None, actor_label=label,
        is_public=bool(t.is_public and is_public), body=(body or "").strip(), data=ev_data, at=at,
    )
    _audit(action=AUDIT_ACTIONS.get(t.name, f"case.transition.{t.name}"), actor=actor, target=case,
           data={"event": event.pk, "from": before, "to": case.status, "version": case.version,
                 **{k: v for k, v in ev_data.items() if k != "reason"}},
           actor_label=label)
    return event


def _notify_extra(t: Transition, *, reason: str, body: str, public: bool) -> dict[str, str]:
    extra: dict[str, str] = {"action": t.name}
    if public and body:
        extra["body"] = body
    if public and reason:
        extra["reason"] = reason
    return extra


# --------------------------------------------------------------------------------------------------
# convenience wrappers


def case_add_note(*, case: Case, actor: Actor, body: str, files: Iterable[UploadedFile] = (),
                  expected_version: int | None = None, at: datetime | None = None) -> Case:
    """An internal note: a timeline event and an audit record, no status change."""
    return case_transition(case, CaseCommand(action="note", actor=actor, body=body, files=files,
                                             expected_version=expected_version, is_public=False, at=at))


def case_assign(*, case: Case, actor: Actor, assignee: User | None, expected_version: int | None = None,
                at: datetime | None = None) -> Case:
    """Assign the case to an officer of its unit."""
    return case_transition(case, CaseCommand(action="assign", actor=actor, assignee=assignee,
                                             expected_version=expected_version, at=at))


def case_dispose(*, case: Case, actor: Actor, reason: str, target_unit: Unit | None = None,
                 target_agency: Agency | None = None,
                 expected_version: int | None = None, at: datetime | None = None) -> Case:
    """Forward (disposisi) to another unit or agency with a reason; the clock keeps running (LAPOR!)."""
    return case_transition(case, CaseCommand(action="dispose", actor=actor, reason=reason, target_unit=target_unit,
                                             target_agency=target_agency, expected_version=expected_version, at=at))


def case_record_decision(*, case: Case, actor: Actor, key: str, value: Mapping[str, object], body: str,
                         is_public: bool = True, at: datetime | None = None) -> Case:
    """Store a decision taken outside the case's own agency in `case.extra[key]` (an approval step the
    workflow guards on, e.g. `GUARD_APPROVED`), with a timeline event and an audit record, atomically.

    The caller (a domain service) has checked that `actor` may decide; the engine only records it.
    """
    at = at or timezone.now()
    with transaction.atomic():
        locked = _lock(case.pk)
        extra = dict(locked.extra or {})
        extra[key] = dict(value)
        updated = Case.objects.filter(pk=locked.pk, version=locked.version).update(
            extra=extra, version=locked.version + 1, updated_at=timezone.now())
        if updated != 1:
            raise ConflictError()
        Event.objects.create(case=locked, kind=Event.Kind.NOTE, action=f"decision:{key}", actor=_user(actor),
                             actor_label=_actor_label(actor), is_public=is_public, body=body,
                             data={key: dict(value)}, at=at)
        _audit(action="case.decision", actor=actor, target=locked,
               data={"key": key, "value": dict(value), "tracking_code": locked.tracking_code},
               actor_label=_actor_label(actor))
    case.refresh_from_db()
    return case


# --------------------------------------------------------------------------------------------------
# what may be done now


def _spec(t: Transition) -> ActionSpec:
    return ActionSpec(name=t.name, label=str(t.label), requires=t.requires, is_public=t.is_public)


def available_actions(*, case: Case, user: Actor, at: datetime | None = None) -> list[ActionSpec]:
    """Staff actions `user` may take on `case` now (permission, state and guards)."""
    at = at or timezone.now()
    wf = workflows.workflow_for(case.kind)
    out = []
    for t in wf.from_state(case.status):
        if not _staff_roles(t) or _guard_failure(case, t, at):
            continue
        if _may_take(case, t, user, system=False) and not (_is_citizen_actor(case, user)
                                                           and workflows.CITIZEN in t.roles):
            out.append(_spec(t))
    return out


def citizen_actions(*, case: Case, at: datetime | None = None) -> list[ActionSpec]:
    """Actions the (proven) citizen may take on `case` now."""
    at = at or timezone.now()
    wf = workflows.workflow_for(case.kind)
    return [_spec(t) for t in wf.from_state(case.status)
            if workflows.CITIZEN in t.roles and not _guard_failure(case, t, at)]


# --------------------------------------------------------------------------------------------------
# citizen accounts


def case_link_account(*, case: Case, user: User) -> bool:
    """Attach a case without an account to `user` after they proved it is theirs (a one-time code to the
    case's contact). Only a case with no account yet; written to the audit chain. Returns False when the
    case already had an account."""
    with transaction.atomic():
        updated = Case.objects.filter(pk=case.pk, citizen__isnull=True).update(citizen=user)
        if updated:
            _audit(action="case.link_account", actor=user, target=case, data={"tracking_code": case.tracking_code})
    return bool(updated)


# --------------------------------------------------------------------------------------------------
# replies to a citizen's own message


def case_reply(*, channel: str, recipient: str, language: str, body: str, subject: str = "",
               case: Case | None = None) -> Message:
    """A channel's free-text answer (a keyword reply) to `recipient`, about `case` if any, written to the
    one outbox in the current transaction (ADR 0027); never suppressed for a failing recipient, who has
    just written to us from that address."""
    from balai.cases.messages import queue_case_text

    return queue_case_text(channel=channel, recipient=recipient, language=language, body=body,
                           subject=subject, case=case, template_version="channels")


def prepare_case_reply(*, channel: str, recipient: str, language: str, body: str, case: Case) -> Message:
    """`case_reply`'s message, not saved: for `case_submit(replies=...)`, which writes it with the new
    case's acknowledgement in one INSERT."""
    from balai.cases.messages import prepare_case_text

    return prepare_case_text(channel=channel, recipient=recipient, language=language, body=body, case=case,
                             template_version="channels")


# --------------------------------------------------------------------------------------------------
# what a citizen adds after submitting through a channel without a form (SMS, WhatsApp)


def case_set_publication(*, case: Case, public: bool, channel: str, actor: User | None = None) -> bool:
    """The citizen's answer to "may this report be published?" (docs/regulations.md §3: publication
    only with consent). Moves a confidential case to public or back; an anonymous case never changes.
    It is listed only once staff verified it (`selectors.publicly_listable_cases`). Returns True when
    something changed; the change is a timeline event and an audit record."""
    before = Confidentiality.CONFIDENTIAL if public else Confidentiality.PUBLIC
    after = Confidentiality.PUBLIC if public else Confidentiality.CONFIDENTIAL
    with transaction.atomic():
        updated = Case.objects.filter(pk=case.pk, confidentiality=before).update(
            confidentiality=after, search_text=search_text_for(title=case.title, description=case.description,
                                                               contact_name=case.contact_name,
                                                               confidentiality=after))
        if not updated:
            return False
        case.confidentiality = after
        label = _actor_label(actor, channel=channel)
        Event.objects.create(case=case, kind=Event.Kind.NOTE, action="publication", actor=actor,
                             actor_label=label, is_public=False, at=timezone.now(),
                             data={"confidentiality": after, "channel": channel})
        _audit(action="case.publication", actor=actor, target=case, actor_label=label,
               data={"from": before, "to": after, "channel": channel, "tracking_code": case.tracking_code})
    return True


def case_add_place(*, case: Case, channel: str, region: Region | None = None, text: str = "",
                   actor: User | None = None) -> Case:
    """The place a citizen names after submitting (an answer to "which village or district?"): sets the
    region when the case has none and adds the words to the location. The case keeps its route: a
    verifier forwards it when the place calls for another unit."""
    text = " ".join((text or "").split())[:120]
    with transaction.atomic():
        fields: dict[str, object] = {}
        if region is not None and case.region_id is None:
            fields["region"] = region
        if text:
            joined = f"{case.location_text}; {text}" if case.location_text else text
            fields["location_text"] = joined[:255]
        if not fields:
            return case
        Case.objects.filter(pk=case.pk).update(**fields)
        for key, value in fields.items():
            setattr(case, key, value)
        label = _actor_label(actor, channel=channel)
        Event.objects.create(case=case, kind=Event.Kind.NOTE, action="place", actor=actor, actor_label=label,
                             is_public=False, body=text, at=timezone.now(),
                             data={"region": region.code if region is not None else "", "channel": channel})
        _audit(action="case.place", actor=actor, target=case, actor_label=label,
               data={"region": region.code if region is not None else "", "tracking_code": case.tracking_code})
    return case


def case_edit_public_version(*, case: Case, actor: User, title: str, description: str) -> Case:
    """A moderator (whoever may verify the case) writes the text the public reads of a public complaint:
    the citizen's original title and description stay as they are (staff and the citizen keep reading
    them), and the audit record holds both the original and the public version (ADR 0043). The public text
    is still masked (`visibility.redact_public`) when shown."""
    from balai.cases.errors import PermissionDeniedError
    from balai.cases.selectors import LISTABLE_KINDS

    if not _has_permission(actor, "case.verify", case):
        raise PermissionDeniedError(_("Only staff who may verify this case can edit its public version."))
    title, description = " ".join((title or "").split())[:200], (description or "").strip()[:5000]
    errors: dict[str, list[str]] = {}
    if case.kind not in LISTABLE_KINDS:
        errors["kind"] = [_("Only complaints and aspirations have a public version.")]
    if not title:
        errors["title"] = [_("Give the public version a title.")]
    if errors:
        raise ValidationError(errors)
    at = timezone.now()
    with transaction.atomic():
        locked = _lock(case.pk)
        previous = dict((locked.extra or {}).get("public_version") or {})
        public = {"title": title, "description": description}
        extra = {**(locked.extra or {}), "public_version": {**public, "by": actor.pk, "at": at.isoformat()}}
        Case.objects.filter(pk=case.pk).update(extra=extra)
        case.extra = extra
        label = _actor_label(actor)
        Event.objects.create(case=case, kind=Event.Kind.NOTE, action="moderate", actor=actor, actor_label=label,
                             is_public=False, at=at, data={"public_version": public})
        _audit(action="case.moderate", actor=actor, target=case, actor_label=label,
               data={"tracking_code": case.tracking_code,
                     "original": {"title": locked.title, "description": locked.description},
                     "previous_public": {k: previous.get(k, "") for k in ("title", "description")},
                     "public": public})
    return case


# --------------------------------------------------------------------------------------------------
# timeline events that are not transitions


def case_record_event(*, case: Case, kind: str, action: str, at: datetime, actor: User | None = None,
                      actor_label: str = "", body: str = "", is_public: bool = True,
                      data: Mapping[str, JSONValue] | None = None) -> Event:
    """A timeline entry that changes nothing of the case: a rating (`Event.Kind.RATING`), a status read back
    from another government's endpoint (`Event.Kind.FORWARDING`). The status stays what it is (from = to);
    the caller writes its own audit record in the same transaction where the event needs one."""
    if kind not in (Event.Kind.RATING, Event.Kind.FORWARDING):
        raise ValueError(f"not a timeline-only event kind: {kind}")
    return Event.objects.create(
        case=case, kind=kind, action=action, from_status=case.status, to_status=case.status, actor=actor,
        actor_label=actor_label, is_public=is_public, body=body, data=dict(data or {}), at=at)
