"""Writes of the ICT desk, the application registry and the status page (docs/regulations.md §8, §13).

Desk tickets are cases of kind "ict_request" (`balai.cases.services.case_submit`): the requester is the
agency officer's own staff account (the case's requester account, never a citizen), the agency and the
person they ask for are kept in `Case.extra["ict"]`, an approval step in `Case.extra["approval"]` (the
workflow's `GUARD_APPROVED` waits for it).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from balai.cases.commands import CaseCommand
from balai.cases.errors import CaseError
from balai.cases.selectors import open_ict_incidents
from balai.cases.services import case_record_decision, case_submit, case_transition
from balai.cases.submission import Submission
from balai.ict import desk, probes
from balai.ict.models import Application, DailyUptime, ProbeResult, ServiceProfile, StatusNotice, StatusUpdate
from balai.ict.selectors import (
    BOARD_CACHE_KEY,
    BOARD_GENERATION_KEY,
    WARN_DAYS,
    case_targets,
    is_agency_head,
    probe_targets,
    profile_of,
    requester_agencies,
)
from balai.worktime.calendar import LOCAL_TZ, add_office_minutes

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile
    from django.db.models import Model

    from balai.cases.models import Case
    from balai.cases.submission import JSONValue
    from balai.catalog.models import Service
    from balai.people.models import User

CSIRT_FIELDS = ("asset", "taxonomy", "impact_text", "tlp")


def _audit(*, action: str, actor: User | None, target: Model, data: Mapping[str, object]) -> None:
    from balai.audit.services import audit_record

    audit_record(action=action, actor=actor, target=target, data=data)


@dataclass(frozen=True)
class DeskRequest:
    """What an agency officer hands in at the desk (parsed by the face)."""

    service: Service
    requester: User
    agency_id: int
    title: str
    description: str = ""
    on_behalf_of: str = ""
    answers: Mapping[str, JSONValue] | None = None
    files: Mapping[str, UploadedFile] | None = None
    impact: str = ""
    urgency: str = ""
    security: Mapping[str, str] | None = None  # CSIRT intake: asset, taxonomy, impact_text, tlp
    proposal: Mapping[str, str] | None = None  # new application: name, purpose, spbe_code
    language: str = "id"
    submitted_at: datetime | None = None


def desk_submit(req: DeskRequest) -> Case:
    """Register an ICT request from the desk; raises ValidationError (field → messages).

    Incidents get their priority (impact × urgency → P1–P4) and office-hour targets; a service that needs
    it gets an approval step waiting for the head of the requesting agency.
    """
    profile: ServiceProfile = profile_of(req.service)
    errors: dict[str, list[str]] = {}
    agencies = {a.pk: a for a in requester_agencies(req.requester)}
    agency = agencies.get(req.agency_id)
    if agency is None:
        errors["agency"] = [_("Choose one of your own agencies.")]
    info: dict[str, JSONValue] = {"ticket": profile.ticket, "on_behalf_of": (req.on_behalf_of or "").strip()[:150]}
    if agency is not None:
        info.update(agency=agency.pk, agency_name=agency.name_id)
    if profile.ticket in (ServiceProfile.Ticket.INCIDENT, ServiceProfile.Ticket.SECURITY):
        if req.impact not in desk.LEVELS:
            errors["impact"] = [_("Choose the impact.")]
        if req.urgency not in desk.LEVELS:
            errors["urgency"] = [_("Choose the urgency.")]
        if not errors.get("impact") and not errors.get("urgency"):
            info.update(impact=req.impact, urgency=req.urgency, priority=desk.priority_for(req.impact, req.urgency))
    if profile.ticket == ServiceProfile.Ticket.SECURITY:
        sec = dict(req.security or {})
        if not (sec.get("asset") or "").strip():
            errors["asset"] = [_("Name the affected system, site or device.")]
        if sec.get("taxonomy") not in desk.SECURITY_TAXONOMY:
            errors["taxonomy"] = [_("Choose the type of incident.")]
        if sec.get("tlp") not in desk.TLP:
            errors["tlp"] = [_("Choose how far this report may be shared (TLP).")]
        info["csirt"] = {k: (sec.get(k) or "").strip()[:2000] for k in CSIRT_FIELDS}
    if profile.ticket == ServiceProfile.Ticket.APPLICATION:
        prop = {k: (v or "").strip() for k, v in dict(req.proposal or {}).items()}
        if not prop.get("name"):
            errors["app_name"] = [_("Give the application a name.")]
        if len(prop.get("purpose", "")) < 20:
            errors["app_purpose"] = [_("Describe what the application is for in a sentence or two.")]
        if not prop.get("spbe_code"):
            errors["spbe_code"] = [_("Give the business process code of the SPBE reference architecture.")]
        info["proposal"] = {k: prop.get(k, "")[:2000] for k in ("name", "purpose", "spbe_code")}
    if errors:
        raise ValidationError(errors)
    extra: dict[str, JSONValue] = {"ict": info}
    if profile.needs_agency_head_approval and agency is not None:
        extra["approval"] = {"state": "pending", "agency": agency.pk, "by": "agency_head"}
    user = req.requester
    return case_submit(Submission(
            kind="ict_request", channel="web", title=req.title, description=req.description,
            service=req.service, answers=req.answers or {}, files=req.files or {}, citizen=user,
            contact_name=(getattr(user, "full_name", "") or "")[:150], contact_email=user.email or "",
            contact_channel="email" if user.email else "none", language=req.language, extra=extra,
            submitted_at=req.submitted_at))


def decide_approval(*, case: Case, actor: User, approve: bool, note: str = "", at: datetime | None = None) -> Case:
    """The requesting agency's head approves or refuses an ICT request waiting for it (audited)."""
    approval = dict((case.extra or {}).get("approval") or {})
    if approval.get("state") != "pending":
        raise ValidationError({"approval": [_("This request is not waiting for an approval.")]})
    if not is_agency_head(actor, approval.get("agency")):
        raise PermissionDenied
    if not approve and not note.strip():
        raise ValidationError({"note": [_("Say why the request is refused.")]})
    at = at or timezone.now()
    approval.update(state="approved" if approve else "refused", by_user=actor.pk, at=at.isoformat())
    body = (_("Approved by the head of the requesting agency.") if approve
            else _("Refused by the head of the requesting agency."))
    if note.strip():
        body = f"{body} {note.strip()}"
    return case_record_decision(case=case, actor=actor, key="approval", value=approval, body=body, at=at)


# --- the ICT sweep: office-hour targets of incidents ----------------------------------------------------


def sweep_targets(*, now: datetime | None = None) -> dict[str, int]:
    """Escalate open incidents whose resolution target passed: to Diskominfo's head of unit, and when
    half the target again has passed, to its head (workflow `escalation_chain`)."""
    now = now or timezone.now()
    done = {"head": 0, "agency_head": 0}
    for case in open_ict_incidents():
        t = case_targets(case, now=now)
        if t is None or t.resolved_at is not None or case.status == desk.WAITING:
            continue
        half = desk.TARGETS[t.priority][1] // 2
        level = 0
        if now > t.resolution_due:
            level = 1
        if now > add_office_minutes(t.resolution_due, half, government_id=case.government_id):
            level = 2
        if level <= case.escalation_level:
            continue
        to = "head" if case.escalation_level == 0 else "agency_head"
        reason = (_("Resolution target of %(p)s passed: escalated to the head of the unit.") if to == "head"
                  else _("Still unresolved: escalated to the head of Diskominfo.")) % {"p": t.priority}
        try:
            case_transition(case, CaseCommand(action="escalate", actor=None, system=True, at=now, reason=reason,
                            data={"automatic": True, "to": to, "priority": t.priority},
                            expected_version=case.version))
            done[to] += 1
        except CaseError:
            continue
    return done


# --- the registry ------------------------------------------------------------------------------------


def _unique_slug(name: str) -> str:
    base = slugify(name)[:70] or "aplikasi"
    slug, n = base, 2
    while Application.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def application_save(*, actor: User | None, data: Mapping[str, object], instance: Application | None = None) -> Application:
    """Create or change a registry entry (Diskominfo staff); audited."""
    app = instance or Application()
    for name, value in data.items():
        setattr(app, name, value)
    if not app.slug:
        app.slug = _unique_slug(app.name)
    app.spbe_code = (app.spbe_code or "").strip().upper()
    app.full_clean()
    with transaction.atomic():
        app.save()
        _audit(action="ict.application.save", actor=actor, target=app,
               data={"slug": app.slug, "status": app.status, "created": instance is None})
    return app


# --- probes -------------------------------------------------------------------------------------------


def record_probe(*, application: Application, outcome: probes.Outcome, at: datetime) -> ProbeResult:
    """Store one probe and add it to the application's daily roll-up."""
    day = at.astimezone(LOCAL_TZ).date()
    with transaction.atomic():
        row = ProbeResult.objects.create(
            application=application, checked_at=at, is_up=outcome.is_up, status_code=outcome.status_code,
            response_ms=outcome.response_ms, error=outcome.error[:200], cert_expires_at=outcome.cert_expires_at)
        ms = (outcome.response_ms or 0) if outcome.is_up else 0
        updated = DailyUptime.objects.filter(application=application, day=day).update(
            checks=F("checks") + 1, up=F("up") + int(outcome.is_up), total_ms=F("total_ms") + ms)
        if not updated:
            DailyUptime.objects.create(application=application, day=day, checks=1, up=int(outcome.is_up),
                                       total_ms=ms)
    return row


def probe_round(*, now: datetime | None = None, concurrency: int | None = None,
                timeout: float | None = None) -> dict[str, int]:
    """Probe every target once, `concurrency` at a time (threads: the work is waiting on sockets), and
    store the results. Returns counts."""
    now = now or timezone.now()
    targets = list(probe_targets())
    allowed = tuple(getattr(settings, "BALAI_PROBE_ALLOWED_HOSTS", ()))
    timeout = timeout or float(getattr(settings, "BALAI_PROBE_TIMEOUT_SECONDS", 5))
    workers = max(1, min(concurrency or int(getattr(settings, "BALAI_PROBE_CONCURRENCY", 32)), len(targets) or 1))

    def one(app: Application) -> probes.Outcome:
        return probes.probe(app.url, keyword=app.probe_keyword, timeout=timeout, allowed=allowed)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        outcomes = list(pool.map(one, targets))
    counts = {"checked": 0, "up": 0, "down": 0}
    for app, outcome in zip(targets, outcomes, strict=True):
        record_probe(application=app, outcome=outcome, at=now)
        counts["checked"] += 1
        counts["up" if outcome.is_up else "down"] += 1
    forget_status_board()
    return counts


def forget_status_board() -> None:
    """Drop the cached board of /status/ and start a new generation of its page fragments, so the next
    view shows the new round."""
    cache.set(BOARD_GENERATION_KEY, uuid.uuid4().hex, None)
    cache.delete(BOARD_CACHE_KEY)


def forget_old_probes(*, now: datetime | None = None, days: int = 400) -> int:
    """Raw probe rows older than `days` (the daily roll-ups stay)."""
    cutoff = (now or timezone.now()) - timedelta(days=days)
    deleted, _rows = ProbeResult.objects.filter(checked_at__lt=cutoff).delete()
    return deleted


# --- status notices --------------------------------------------------------------------------------------


def notice_open(*, actor: User | None, kind: str, title: str, body: str, starts_at: datetime | None = None,
                ends_at: datetime | None = None, applications: list[Application] | None = None,
                case: Case | None = None) -> StatusNotice:
    """Publish an incident (from a desk ticket) or a planned maintenance on the status page; audited."""
    if kind not in StatusNotice.Kind.values:
        raise ValidationError({"kind": [_("Choose incident or planned maintenance.")]})
    if not title.strip():
        raise ValidationError({"title": [_("Give a title.")]})
    with transaction.atomic():
        notice = StatusNotice.objects.create(kind=kind, title=title.strip()[:200], starts_at=starts_at or timezone.now(),
                                             ends_at=ends_at, case=case, created_by=actor)
        if applications:
            notice.applications.set(applications)
        if body.strip():
            StatusUpdate.objects.create(notice=notice, at=timezone.now(), body=body.strip())
        _audit(action="ict.notice.open", actor=actor, target=notice, data={"kind": kind})
    return notice


def notice_update(*, actor: User | None, notice: StatusNotice, body: str, close: bool = False,
                  at: datetime | None = None) -> StatusUpdate:
    at = at or timezone.now()
    if not body.strip():
        raise ValidationError({"body": [_("Write the update.")]})
    with transaction.atomic():
        update = StatusUpdate.objects.create(notice=notice, at=at, body=body.strip())
        if close and notice.ends_at is None:
            StatusNotice.objects.filter(pk=notice.pk).update(ends_at=at)
        _audit(action="ict.notice.update", actor=actor, target=notice, data={"closed": close})
    return update


__all__ = ["DeskRequest", "desk_submit", "decide_approval", "sweep_targets", "application_save", "record_probe",
           "probe_round", "forget_old_probes", "notice_open", "notice_update", "WARN_DAYS"]
