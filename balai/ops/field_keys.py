"""Rotating the keys of encrypted personal fields (ADR 0019): rewrite every stored ciphertext.

After a new ``FIELD_ENCRYPTION_KEY`` is configured (the previous one moved to ``FIELD_ENCRYPTION_OLD_KEYS``),
`rotate_field_encryption` rewrites each token under the newest key, so the old key can then be removed.
It also recomputes every look-up digest from the decrypted value, which makes it the re-keying step
after ``FIELD_DIGEST_KEY`` changed. Everything written is covered: ``User.nik_encrypted`` and
``nik_digest``, sealed NIKs in case answers and in queued submissions. Portal drafts live only in
sessions (at most ``SESSION_COOKIE_AGE``): keep an old key that long after rotating, or a citizen with an
unsent draft types the NIK again.

Rows are rewritten in small batches, each locked (``select_for_update``) for the moment of its rewrite,
so the site keeps running. Running it again rewrites nothing. A token that no configured key reads is
counted as unreadable and left as it is; the command then fails, so nobody removes a key still needed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction

from balai.people import field_crypto
from balai.people.nik import SEALED_TOKEN, is_sealed_nik, nik_digest, reseal_nik, sealed_is_current

BATCH = 200


@dataclass
class RotationReport:
    checked: dict[str, int] = field(default_factory=dict)
    rewritten: dict[str, int] = field(default_factory=dict)
    unreadable: dict[str, int] = field(default_factory=dict)

    def count(self, table: str, *, checked: int = 0, rewritten: int = 0, unreadable: int = 0) -> None:
        for bucket, n in ((self.checked, checked), (self.rewritten, rewritten), (self.unreadable, unreadable)):
            bucket[table] = bucket.get(table, 0) + n

    @property
    def ok(self) -> bool:
        return not any(self.unreadable.values())


def _resealed(answers: dict | None) -> tuple[dict | None, int]:
    """(answers with every sealed NIK under the current keys or None when nothing changes, unreadable)."""
    out, changed, unreadable = dict(answers or {}), False, 0
    for name, value in out.items():
        if not is_sealed_nik(value):
            continue
        try:
            if sealed_is_current(value):
                continue
            out[name] = reseal_nik(value)
            changed = True
        except ValueError:
            unreadable += 1
    return (out if changed else None), unreadable


def _batches(pks: Iterable[int]) -> Iterable[list[int]]:
    batch: list[int] = []
    for pk in pks:
        batch.append(pk)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _rotate_users(report: RotationReport, *, dry_run: bool) -> None:
    from balai.people.models import User

    pks = User.objects.exclude(nik_encrypted="").order_by("pk").values_list("pk", flat=True)
    for batch in _batches(list(pks)):
        with transaction.atomic():
            for user in User.objects.select_for_update().filter(pk__in=batch).only("nik_encrypted", "nik_digest"):
                report.count("people.user", checked=1)
                try:
                    nik = field_crypto.decrypt_text(user.nik_encrypted)
                except ValueError:
                    report.count("people.user", unreadable=1)
                    continue
                digest = nik_digest(nik)
                if field_crypto.is_current(user.nik_encrypted) and user.nik_digest == digest:
                    continue
                report.count("people.user", rewritten=1)
                if not dry_run:
                    User.objects.filter(pk=user.pk).update(
                        nik_encrypted=field_crypto.rotate_token(user.nik_encrypted), nik_digest=digest)


def _rotate_json(report: RotationReport, *, label: str, model, column: str,
                 get: Callable[[object], dict | None], put: Callable[[object, dict], object],
                 dry_run: bool) -> None:
    pks = (model.objects.filter(**{f"{column}__icontains": SEALED_TOKEN}).order_by("pk")
           .values_list("pk", flat=True))
    for batch in _batches(list(pks)):
        with transaction.atomic():
            changed = []
            for row in model.objects.select_for_update().filter(pk__in=batch).only(column):
                report.count(label, checked=1)
                new, unreadable = _resealed(get(row))
                report.count(label, unreadable=unreadable)
                if new is not None:
                    report.count(label, rewritten=1)
                    changed.append(put(row, new))
            if changed and not dry_run:
                model.objects.bulk_update(changed, [column])


def _with_payload_answers(row, answers: dict):
    row.payload = {**row.payload, "answers": answers}
    return row


def _with_answers(row, answers: dict):
    row.answers = answers
    return row


def rotate_field_encryption(*, dry_run: bool = False) -> RotationReport:
    """Rewrite every stored ciphertext under the newest encryption key and every digest under the
    current digest key; an audit record tells who may later wonder when the keys changed."""
    from balai.audit.services import audit_record
    from balai.cases.models import Case, QueuedSubmission

    report = RotationReport()
    _rotate_users(report, dry_run=dry_run)
    _rotate_json(report, label="cases.case", model=Case, column="answers", get=lambda r: r.answers,
                 put=_with_answers, dry_run=dry_run)
    _rotate_json(report, label="cases.queuedsubmission", model=QueuedSubmission, column="payload",
                 get=lambda r: (r.payload or {}).get("answers"), put=_with_payload_answers, dry_run=dry_run)
    if not dry_run:
        with transaction.atomic():
            audit_record(action="ops.field_encryption_rotate", actor_label="system",
                         data={"rewritten": report.rewritten, "unreadable": report.unreadable,
                               "old_keys": len(field_crypto.encryption_secrets()) - 1})
    return report
