"""Writing and verifying the audit chain (ADR 0005)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import connections, router, transaction
from django.db.models import Model
from django.utils import timezone

from balai.audit.hashing import GENESIS_HASH, normalize_data, record_hash
from balai.audit.models import AuditRecord
from balai.rows import insert_rows

if TYPE_CHECKING:
    from balai.people.models import User

# Key of the PostgreSQL transaction-level advisory lock that serialises appends ("BALAIAUD" in ASCII).
ADVISORY_LOCK_KEY = 0x42414C4149415544  # fits a signed bigint


def actor_reference(actor: User | None) -> str:
    """How the chain names a user who acted: ``user:<id>``, never a name, phone number or e-mail address.

    The chain can never be edited, so it must hold no personal data a deletion request (UU 27/2022
    art. 8) would have to reach: deleting the person's row is then enough, and the chain keeps a
    reference that nothing resolves any more. The same form `balai.people.services.actor_reference`
    writes for the privilege services; the actor's name is shown from the `actor` link while it exists.
    """
    return f"user:{actor.pk}" if actor is not None and actor.pk is not None else ""


def system_reference(via: str = "") -> str:
    """How the chain names an act without a user: ``system:<via>`` (a command, a job), or ``system``."""
    return f"system:{via}" if via else "system"


def audit_change(*, action: str, actor: User | None, via: str = "", target: Model | None = None,
                 data: Mapping[str, object] | None = None) -> AuditRecord:
    """`audit_record` for a change made by `actor` (None: a command or a job) through `via` (an admin page,
    a command, the API: recorded in the data): the one form privilege and reference-data changes take."""
    return audit_record(action=action, actor=actor, actor_label="" if actor is not None else system_reference(via),
                        target=target, data={**(data or {}), **({"via": via} if via else {})})


def contact_reference(kind: str, value: str) -> str:
    """A keyed pseudonym for a contact that acted without an account: ``phone:3f9a…``, ``email:…``.

    The same contact always gives the same reference (so its records can be found again, through the
    same function), and without the digest key nobody can reverse it or confirm a guess.
    """
    from balai.people.field_crypto import keyed_reference

    return keyed_reference(kind, value.strip().lower())


_EMAIL = re.compile(r"[^\s@<>()]+@[^\s@<>()]+\.[^\s@<>()]+")
_PHONE = re.compile(r"\+?\d[\d\s\-.()]{6,}\d")
_CONTACT = re.compile(f"(?P<email>{_EMAIL.pattern})|(?P<phone>{_PHONE.pattern})")


def _pseudonymous(label: str) -> str:
    """A label given without an actor, with any e-mail address or phone number in it replaced by its
    keyed reference: labels are meant to be "system", "citizen:sms" and the like, and a mistake must
    not write a contact into a record nobody can erase."""
    # One pass over both patterns: a reference written for an e-mail address is hexadecimal and may
    # hold a run of digits that a second pass would take for a phone number.
    def replace(match: re.Match) -> str:
        if match.lastgroup == "email":
            return contact_reference("email", match.group())
        return contact_reference("phone", re.sub(r"\D", "", match.group()))

    return _CONTACT.sub(replace, label)


def _lock_chain_and_read_head(using: str) -> str | None:
    """Serialise appends so two transactions never link to the same previous record (no forks), and
    return the newest record's hash (None for an empty chain).

    PostgreSQL: a transaction-level advisory lock, released at COMMIT/ROLLBACK of the caller's
    transaction. The lock and the read go in one round trip, as two statements of one simple query:
    in READ COMMITTED every statement takes its own snapshot, so the read sees every record committed
    before the lock was granted (tests/audit/test_concurrency.py). SQLite: writers are already
    serialised (BEGIN IMMEDIATE, see settings).
    """
    connection = connections[using]
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(AuditRecord._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT pg_advisory_xact_lock({ADVISORY_LOCK_KEY:d}); "  # noqa: S608 # nosec B608 # constants only
                           f"SELECT hash FROM {table} ORDER BY id DESC LIMIT 1")
            if not cursor.nextset():  # pragma: no cover - the driver always returns both results
                raise RuntimeError("the audit chain head was not read")
            row = cursor.fetchone()
        return row[0] if row else None
    return AuditRecord.objects.using(using).order_by("-id").values_list("hash", flat=True).first()


def audit_record(
    *,
    action: str,
    actor: User | None = None,
    target: Model | None = None,
    target_type: str = "",
    target_id: str = "",
    data: Mapping[str, object] | None = None,
    actor_label: str = "",
) -> AuditRecord:
    """Append one hash-chained record.

    Call it inside the caller's `transaction.atomic()`, so the record commits (or rolls back) with the
    change it describes. The chain lock is held until that transaction ends: keep such transactions short.
    The record names `actor` by `actor_reference` (no citizen's name, phone or e-mail); `actor_label`
    is only for acts without a user ("system", "citizen:sms", a `contact_reference`).
    `target` (any model instance) fills `target_type` ("app_label.model") and `target_id` (its pk).
    """
    if not action:
        raise ValueError("audit_record needs an action")
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_id = target_id or str(target.pk)
    # With an actor, the chain names it the one way above, whatever the caller passed as a label.
    actor_label = (actor_reference(actor) if actor is not None else _pseudonymous(actor_label or ""))[:200]
    data = normalize_data(data)
    batch = _batch.get()
    if batch is not None:  # appended, linked and hashed when the batch ends (see `audit_batch`)
        record = AuditRecord(actor=actor, actor_label=actor_label, action=action[:100],
                             target_type=str(target_type)[:100], target_id=str(target_id)[:100], data=data)
        batch.records.append(record)
        return record
    using = router.db_for_write(AuditRecord)
    # savepoint=False: joins the caller's transaction without a savepoint, or opens one if there is none
    # (the lock must live inside a transaction to mean anything).
    with transaction.atomic(using=using, savepoint=False):
        prev_hash = _lock_chain_and_read_head(using) or GENESIS_HASH
        at = timezone.now()
        record = AuditRecord(
            at=at,
            actor=actor,
            actor_label=actor_label,
            action=action[:100],
            target_type=str(target_type)[:100],
            target_id=str(target_id)[:100],
            data=data,
            prev_hash=prev_hash,
        )
        record.hash = record.compute_hash()
        record.save(using=using)
    return record


@dataclass
class AuditBatch:
    records: list[AuditRecord] = field(default_factory=list)

    @contextmanager
    def unit(self) -> Iterator[None]:
        """Records made inside are kept only if the block completes (pair it with the savepoint or the
        `atomic()` that undoes the block's writes)."""
        start = len(self.records)
        try:
            yield
        except BaseException:
            del self.records[start:]
            raise


_batch: ContextVar[AuditBatch | None] = ContextVar("audit_batch", default=None)


@contextmanager
def audit_batch() -> Iterator[AuditBatch]:
    """Append the records of many changes made in ONE transaction with one lock, one read and one INSERT.

    For a job that writes many changes in one transaction (the worker registering queued submissions):
    `audit_record` inside the block collects its record; when the block ends without an error, the
    records are linked in the order they were made and inserted, still inside the caller's transaction,
    so each commits (or rolls back) with the change it describes. The chain lock is then held only for
    that INSERT and the COMMIT, not for the whole transaction (ADR 0005, ADR 0014).
    """
    if _batch.get() is not None:
        raise RuntimeError("audit batches do not nest")
    using = router.db_for_write(AuditRecord)
    if not connections[using].in_atomic_block:
        raise RuntimeError("an audit batch must run inside the transaction of the changes it records")
    batch = AuditBatch()
    token = _batch.set(batch)
    try:
        yield batch
    finally:
        _batch.reset(token)
    _append(batch.records, using=using)


def in_audit_batch() -> bool:
    """Whether `audit_record` now collects into an `audit_batch` (so a caller does not open another)."""
    return _batch.get() is not None


def _append(records: list[AuditRecord], *, using: str) -> None:
    if not records:
        return
    prev_hash = _lock_chain_and_read_head(using) or GENESIS_HASH
    at = timezone.now()
    for record in records:
        record.at, record.prev_hash = at, prev_hash
        record.hash = prev_hash = record.compute_hash()
    saved = insert_rows(records, using=using)
    ids = [r.pk for r in saved]
    if None in ids or ids != sorted(ids):  # the chain's order is the id order (verify_chain)
        raise RuntimeError("audit records were not inserted in chain order")


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    first_bad_id: int | None = None
    reason: str = ""
    head: str = GENESIS_HASH


def verify_chain(
    *,
    chunk_size: int = 5000,
    progress: Callable[[int], None] | None = None,
    progress_every: int = 100_000,
) -> ChainReport:
    """Walk the chain in id order, recompute every hash and check every link; report the FIRST break.

    A changed record: its stored hash no longer matches its content. A missing (deleted) or reordered
    record: the next record's `prev_hash` is not the hash of the record before it. A gap in ids alone
    is not a break (sequences skip ids on rollback). Deleting the newest records cannot be seen from the
    chain alone: compare with a published head (`chain_head()`, published daily on /data/).
    """
    rows = (
        AuditRecord.objects.order_by("id")
        .values_list(
            "id", "at", "actor_label", "action", "target_type", "target_id", "data", "prev_hash", "hash"
        )
        .iterator(chunk_size=chunk_size)
    )
    expected_prev = GENESIS_HASH
    checked = 0
    for pk, at, actor_label, action, target_type, target_id, data, prev_hash, stored in rows:
        computed = record_hash(
            prev_hash=prev_hash,
            at=at,
            actor_label=actor_label,
            action=action,
            target_type=target_type,
            target_id=target_id,
            data=data,
        )
        if computed != stored:
            return ChainReport(
                False, checked, pk, "content does not match its hash (record changed)", expected_prev
            )
        if prev_hash != expected_prev:
            why = (
                "first record does not start the chain (earlier records missing)"
                if checked == 0
                else "previous hash does not match the record before it (a record is missing or was changed)"
            )
            return ChainReport(False, checked, pk, why, expected_prev)
        expected_prev = stored
        checked += 1
        if progress is not None and checked % progress_every == 0:
            progress(checked)
    return ChainReport(True, checked, None, "", expected_prev)
