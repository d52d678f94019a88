"""Queued intake (ADR 0014): accept a machine client's submission at once, register it moments later.

A regency's system or a national one may send thousands of cases in a burst. `queue_submission` runs
everything `case_submit` decides before writing (validation, routing, deadlines: bad input is refused
at once, with the same messages) and writes ONE row, whose random token the client keeps (Open311's
`token`). The worker's `register_queued` then calls `case_submit_many` with the moment of acceptance, so the
case, its tracking code, timeline, audit record and acknowledgement to the citizen are exactly those of a
synchronous submission, in one transaction that also marks the row registered. The deadline clock
starts at acceptance.

Only what a client application can send is queued: no uploads, no citizen account, no counter officer.
A NIK among the answers is queued sealed, never in plain text (`balai.catalog.sealed_answers`).
"""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from balai.cases.models import QueuedSubmission
from balai.cases.services import PreparedSubmission, case_submit_many, prepare_submission
from balai.cases.submission import RowCache, Submission

if TYPE_CHECKING:
    from balai.cases.models import Case
    from balai.people.models import ClientApplication

logger = logging.getLogger(__name__)

BATCH = 25  # submissions per transaction (one COMMIT, one append to the audit chain)


def queue_submission(submission: Submission) -> tuple[QueuedSubmission, PreparedSubmission]:
    """Validate and route now, register later; returns (the queued row, the `PreparedSubmission`).

    Raises `ValidationError` exactly as `case_submit` would; TypeError for what cannot be queued
    (`Submission.to_payload`).
    """
    payload = submission.to_payload()
    prepared = prepare_submission(submission)
    row = QueuedSubmission(token=secrets.token_urlsafe(16), payload=payload, client=submission.client,
                           accepted_at=prepared.at)
    row.save(force_insert=True)  # one INSERT, one COMMIT: as cheap as accepting gets
    return row, prepared


def register_queued(*, limit: int = 200) -> dict[str, int]:
    """Register up to `limit` queued submissions, oldest first, `BATCH` per transaction.

    Rows are claimed with SKIP LOCKED, so several workers share the queue without registering one twice,
    and each is marked registered in the transaction that writes its case: a crash or a lost database
    leaves the whole batch queued, to be registered again, never half done. Every case gets its timeline
    event, audit record and acknowledgement exactly as with `case_submit` alone, in that transaction,
    written with one INSERT per table for the whole batch (`case_submit_many`); the batch's audit records
    are appended together at its end (`audit_batch`), each linked to the one before, so the chain lock is
    held for one INSERT and the COMMIT, and one COMMIT serves the whole batch (ADR 0014).
    A submission the engine now refuses (e.g. its category was retired in between) is marked failed with
    the engine's messages, which the client reads on the status / token endpoints.
    """
    totals = {"registered": 0, "failed": 0}
    while sum(totals.values()) < limit:
        size = min(BATCH, limit - sum(totals.values()))
        run = _register_batch(size)
        totals = {k: totals[k] + run[k] for k in totals}
        if sum(run.values()) < size:
            break  # the queue is empty (or the rest is being registered by another worker)
    return totals


def _register_batch(size: int) -> dict[str, int]:
    from balai.audit.services import audit_batch

    refs = RowCache()
    with transaction.atomic():
        rows = list(QueuedSubmission.objects.select_for_update(skip_locked=True, of=("self",))
                    .select_related("client").filter(status=QueuedSubmission.Status.QUEUED)
                    .order_by("id")[:size])
        if not rows:
            return {"registered": 0, "failed": 0}
        submissions = [Submission.from_payload(row.payload, client=row.client, submitted_at=row.accepted_at,
                                               rows=refs) for row in rows]
        with audit_batch():
            # One INSERT per table for the batch; a submission the engine refuses writes nothing.
            outcomes = case_submit_many(submissions)
            _mark(rows, outcomes)  # before the audit append: the chain lock is then held only for its
            # INSERT and the COMMIT
    failed = sum(row.status == QueuedSubmission.Status.FAILED for row in rows)
    return {"registered": len(rows) - failed, "failed": failed}


def _mark(rows: list[QueuedSubmission], outcomes: list[Case | ValidationError]) -> None:
    """Mark each row registered (with its case) or failed (with the engine's messages)."""
    registered: list[tuple[int, int]] = []
    for row, outcome in zip(rows, outcomes, strict=True):
        if isinstance(outcome, ValidationError):
            row.status = QueuedSubmission.Status.FAILED
            row.errors = {k: [str(m) for m in v] for k, v in outcome.message_dict.items()}
            logger.warning("queued submission %s refused: %s", row.pk, row.errors)
            QueuedSubmission.objects.filter(pk=row.pk).update(status=row.status, errors=row.errors)
        else:
            row.status, row.case = QueuedSubmission.Status.REGISTERED, outcome
            registered.append((row.pk, outcome.pk))
    if registered:
        # One UPDATE for the batch (bulk_update's CASE per row cost more than the rest of the batch).
        table = connection.ops.quote_name(QueuedSubmission._meta.db_table)
        values = ", ".join(["(%s, %s)"] * len(registered))
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET status = %s, case_id = v.case_id "  # noqa: S608 # nosec B608 # placeholders only
                f"FROM (SELECT column1 AS id, column2 AS case_id FROM (VALUES {values}) AS pairs) AS v "
                f"WHERE {table}.id = v.id",
                [QueuedSubmission.Status.REGISTERED, *[x for pair in registered for x in pair]])


def helpers_wanted(*, parallel: int) -> int:
    """How many more workers should register a burst beside the periodic job: one per `BATCH` * 4 waiting
    submissions, up to `parallel` - 1 (a small backlog is registered faster than another worker starts)."""
    if parallel <= 1:
        return 0
    waiting = QueuedSubmission.objects.filter(status=QueuedSubmission.Status.QUEUED)[: BATCH * 4 * parallel].count()
    return min(parallel - 1, waiting // (BATCH * 4))


def register_all() -> dict[str, int]:
    """Register queued submissions until none is left; totals."""
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


def queued_by_token(token: str, *, client: ClientApplication | None = None) -> QueuedSubmission | None:
    """The queued submission with `token`; with `client`, only if that client application sent it."""
    rows = QueuedSubmission.objects.filter(token=token)
    if client is not None:
        rows = rows.filter(client=client)
    return rows.select_related("case").first()
