"""The audit trail: append-only, hash-chained records (ADR 0005)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from balai.audit.hashing import record_hash


class AuditImmutableError(Exception):
    """Raised on any attempt to change or delete an audit record through the ORM."""


class AuditRecordQuerySet(models.QuerySet):
    def delete(self):
        raise AuditImmutableError("audit records cannot be deleted")

    delete.queryset_only = True  # type: ignore[attr-defined]

    def update(self, **kwargs):
        # The only update allowed: forgetting a deleted user (on_delete=SET_NULL). The actor's label,
        # which is what the hash covers, stays.
        if set(kwargs) <= {"actor", "actor_id"} and all(v is None for v in kwargs.values()):
            return super().update(**kwargs)
        raise AuditImmutableError("audit records cannot be changed")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AuditImmutableError("audit records cannot be changed")


class AuditRecord(models.Model):
    """One thing that happened, and the hash linking it to everything before it.

    Written only by `balai.audit.services.audit_record`. The database refuses UPDATE and DELETE too
    (trigger on PostgreSQL; UPDATE trigger on SQLite), so the chain is evidence, not a convenience.
    """

    at = models.DateTimeField(_("time"), db_index=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,  # the audit table never blocks or cascades from a user deletion
    )
    actor_label = models.CharField(_("actor label"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    target_type = models.CharField(_("target type"), max_length=100, blank=True)
    target_id = models.CharField(_("target id"), max_length=100, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    objects = AuditRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit record")
        verbose_name_plural = _("audit records")
        ordering = ["id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target_idx")]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.target_type}:{self.target_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None or not self._state.adding:
            raise AuditImmutableError("audit records cannot be changed")
        if not self.hash or self.hash != self.compute_hash():
            raise AuditImmutableError("audit records are written only by balai.audit.services.audit_record")
        kwargs["force_insert"] = True
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditImmutableError("audit records cannot be deleted")

    def compute_hash(self) -> str:
        return record_hash(
            prev_hash=self.prev_hash,
            at=self.at,
            actor_label=self.actor_label,
            action=self.action,
            target_type=self.target_type,
            target_id=self.target_id,
            data=self.data,
        )
