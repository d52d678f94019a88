"""Queued intake (ADR 0014): accept a machine client's submission at once, register it moments later.

A regency's system or a national one may send thousands of cases in a burst. `queue_submission` runs
everything `case_submit` decides before writing (validation, routing, deadlines: bad input is refused
at once, with the same messages) and writes ONE row, whose random token the client keeps (Open311's
`token`). The worker's `register_queued` then calls `case_submit` with the moment of acceptance, so the
case, its tracking code, timeline, audit record and acknowledgement to the citizen are exactly those of a
synchronous submission, in one transaction that also marks the row registered. The deadline clock
starts at acceptance.

Only what a client application can send is queued: no uploads, no citizen account, no counter officer.
A NIK among the answers is queued sealed, never in plain text (`balai.catalog.sealed_answers`).
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from balai.cases.models import QueuedSubmission
from balai.cases.services import case_submit, prepare_submission

logger = logging.getLogger(__name__)

# case_submit's arguments that refer to rows: stored by primary key.
_REFS = {"service": ("catalog", "Service"), "complaint_category": ("catalog", "ComplaintCategory"),
         "region": ("agencies", "Region"), "agency": ("agencies", "Agency")}
_PLAIN = ("kind", "channel", "title", "description", "answers", "contact_name", "contact_phone", "contact_email",
          "contact_address", "contact_channel", "language", "location_text", "confidentiality",
          "accommodations", "accommodation_note", "extra")
BATCH = 200


def _payload(kwargs: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(kwargs) - set(_REFS) - set(_PLAIN) - {"latitude", "longitude"}
    if unknown:
        raise TypeError(f"not queueable: {sorted(unknown)}")
    data = {k: kwargs[k] for k in _PLAIN if k in kwargs}
    if data.get("answers"):
        from balai.catalog.sealed_answers import seal_answers

        # Sealed as the case will store them (ADR 0019); the engine opens them again when it registers.
        service = kwargs.get("service")
        data["answers"] = seal_answers(getattr(service, "form_definition", None), data["answers"])
    for name in _REFS:
        obj = kwargs.get(name)
        if isinstance(obj, str):  # a region code, as case_submit accepts
            from balai.agencies.selectors import region_by_code

            obj = region_by_code(obj)
        data[name] = obj.pk if obj is not None else None
    for name in ("latitude", "longitude"):
        value = kwargs.get(name)
        data[name] = None if value in (None, "") else str(value)
    return data


def _arguments(payload: Mapping[str, Any]) -> dict[str, Any]:
    from django.apps import apps

    args = {k: payload[k] for k in _PLAIN if k in payload}
    for name, (app, model) in _REFS.items():
        pk = payload.get(name)
        args[name] = apps.get_model(app, model).objects.filter(pk=pk).first() if pk is not None else None
    args["latitude"], args["longitude"] = payload.get("latitude"), payload.get("longitude")
    return args


def queue_submission(*, client: Any, **kwargs: Any) -> tuple[QueuedSubmission, Any]:
    """Validate and route now, register later; returns (the queued row, the `PreparedSubmission`).

    Raises `ValidationError` exactly as `case_submit` would.
    """
    prepared = prepare_submission(client=client, **kwargs)
    row = QueuedSubmission(token=secrets.token_urlsafe(16), payload=_payload(kwargs), client=client,
                           accepted_at=prepared.at)
    row.save(force_insert=True)  # one INSERT, one COMMIT: as cheap as accepting gets
    return row, prepared


def register_queued(*, limit: int = BATCH) -> dict[str, int]:
    """Register up to `limit` queued submissions, oldest first; each in its own transaction.

    Rows are claimed with SKIP LOCKED, so several workers share the queue without registering one twice.
    A submission the engine now refuses (e.g. its category was retired in between) is marked failed with
    the engine's messages, which the client reads on the status / token endpoints.
    """
    done = failed = 0
    for _ in range(limit):
        with transaction.atomic():
            row = (QueuedSubmission.objects.select_for_update(skip_locked=True)
                   .filter(status=QueuedSubmission.Status.QUEUED).order_by("id").first())
            if row is None:
                break
            try:
                with transaction.atomic():
                    case = case_submit(client=row.client, submitted_at=row.accepted_at,
                                       **_arguments(row.payload))
            except ValidationError as exc:
                row.status = QueuedSubmission.Status.FAILED
                row.errors = {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
                row.save(update_fields=["status", "errors"])
                failed += 1
                logger.warning("queued submission %s refused: %s", row.pk, row.errors)
                continue
            row.status, row.case = QueuedSubmission.Status.REGISTERED, case
            row.save(update_fields=["status", "case"])
            done += 1
    return {"registered": done, "failed": failed}


def register_all() -> dict[str, int]:
    """Register queued submissions until none is left (batches of `BATCH`); totals."""
    total = {"registered": 0, "failed": 0}
    while True:
        run = register_queued()
        total = {k: total[k] + run[k] for k in total}
        if not sum(run.values()):
            return total


def forget_registered(*, days: int = 30) -> int:
    """Delete rows registered or failed more than `days` ago (their tokens then resolve no more)."""
    cutoff = timezone.now() - timedelta(days=days)
    return QueuedSubmission.objects.filter(accepted_at__lt=cutoff).exclude(
        status=QueuedSubmission.Status.QUEUED).delete()[0]


def queued_by_token(token: str, *, client: Any = None) -> QueuedSubmission | None:
    """The queued submission with `token`; with `client`, only if that client application sent it."""
    rows = QueuedSubmission.objects.filter(token=token)
    if client is not None:
        rows = rows.filter(client=client)
    return rows.select_related("case").first()
