"""Published heads of the audit chain, one a day (ADR 0005)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditHead(models.Model):
    """The audit chain's record count and newest hash as published on a day.

    Anyone who downloaded an earlier head can check later that the chain still contains it (the count-th
    record must still have that hash): history cannot be rewritten without the published heads changing.
    """

    recorded_on = models.DateField(_("day"), unique=True)
    count = models.PositiveBigIntegerField(_("number of records"))
    last_hash = models.CharField(_("latest hash"), max_length=128)
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("published audit head")
        verbose_name_plural = _("published audit heads")
        ordering = ["recorded_on"]

    def __str__(self) -> str:
        return f"{self.recorded_on} {self.count} {self.last_hash[:12]}"
