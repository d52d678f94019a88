"""Writes of the workspace's own bookkeeping (ADR 0030 §2): canned answers, digest preferences and runs."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from balai.agencies.models import Agency
from balai.agencies.selectors import government_ids
from balai.audit.services import audit_record
from balai.cases import clock
from balai.cases.queue import assignees_of_late_or_due
from balai.notify.outbox import queue_direct_message
from balai.office.digest import digest_context, digest_for
from balai.office.models import CannedAnswer, DigestPreference, DigestRun
from balai.people.models import User
from balai.people.permissions import has_permission
from balai.people.selectors import staff_to_alert


def _check(actor: Any, agency: Agency) -> None:
    if not has_permission(actor, "agency.manage_units", agency):
        raise PermissionDenied(_("You may not manage this agency."))


@transaction.atomic
def canned_answer_save(*, actor: Any, agency: Agency, title: str, body_id: str, body_en: str = "",
                       is_active: bool = True, canned: CannedAnswer | None = None) -> CannedAnswer:
    _check(actor, agency)
    errors = {}
    if not title.strip():
        errors["title"] = _("Enter a title.")
    if not body_id.strip():
        errors["body_id"] = _("Enter the text in Indonesian.")
    if errors:
        raise ValidationError(errors)
    if canned is not None and canned.agency_id != agency.pk:
        raise PermissionDenied(_("You may not manage this agency."))
    canned = canned or CannedAnswer(agency=agency)
    canned.title, canned.body_id, canned.body_en, canned.is_active = (title.strip(), body_id.strip(),
                                                                      body_en.strip(), is_active)
    canned.save()
    audit_record(action="canned_answer.save", actor=actor, target=canned, data={"title": canned.title})
    return canned


# --- the daily digest (`balai.office.digest` says who gets what) ---------------------------------------

DIGEST_TIME = time(7, 0)  # local time (settings.TIME_ZONE); the job sends from then on
USERS_PER_RUN = 300  # the rest waits for the next run, minutes later
KEEP_DAYS = 60  # DigestRun rows older than this are deleted


def set_digest_preference(*, user: User, daily_digest: bool) -> DigestPreference:
    """Turn the daily digest on or off for `user`."""
    pref, _created = DigestPreference.objects.update_or_create(user=user, defaults={"daily_digest": daily_digest})
    return pref


def digest_recipients(*, day: date, governments: list[int], now: datetime, limit: int = USERS_PER_RUN) -> list[User]:
    """Staff with an active membership in one of `governments`, an e-mail address, the digest on, not yet
    done today, and a reason to hear from us (head, inspector, or assignee of a late or nearly due case)."""
    return staff_to_alert(
        governments=governments, assignees=assignees_of_late_or_due(now=now),
        opted_out=DigestPreference.objects.filter(daily_digest=False).values("user_id"),
        done=DigestRun.objects.filter(day=day).values("user_id"), limit=limit)


def send_digest(*, user: User, day: date, now: datetime) -> DigestRun | None:
    """Queue `user`'s digest of `day` in the outbox (nothing when there is nothing to report) and record the
    run; None when this person's digest of that day was already done (by this or another worker)."""
    digest = digest_for(user=user, now=now)
    language = user.preferred_language if user.preferred_language in ("id", "en") else "id"
    try:
        with transaction.atomic():
            run = DigestRun.objects.create(user=user, day=day, case_count=digest.count)
            if digest.count:
                run.message = queue_direct_message(
                    channel="email", recipient=user.email, language=language, event="staff_digest",
                    context=digest_context(digest, language=language, now=now))
                run.save(update_fields=["message"])
    except IntegrityError:  # the (user, day) key exists: already done
        return None
    return run


def send_digests(*, now: datetime | None = None, limit: int = USERS_PER_RUN) -> int:
    """One run of the periodic job: the digests still due today; returns how many e-mails were queued."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    if local.time() < DIGEST_TIME:
        return 0
    governments = [g for g in government_ids() if clock.is_working_day(local.date(), government_id=g)]
    if not governments:  # weekend or holiday everywhere
        return 0
    DigestRun.objects.filter(day__lt=local.date() - timedelta(days=KEEP_DAYS)).delete()
    sent = 0
    for user in digest_recipients(day=local.date(), governments=governments, now=now, limit=limit):
        run = send_digest(user=user, day=local.date(), now=now)
        sent += bool(run and run.message_id)
    return sent
