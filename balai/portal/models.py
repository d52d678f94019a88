"""One-time codes and the counters that limit them, as database rows (balai.portal.services.otp); the
same counters limit the cases a client sends from the portal (balai.portal.submit_limits, ADR 0047).

Rows, not cache entries: a limit is only a limit if parallel requests cannot all read "4 tries so far"
and all try once more. Each check locks its row (`select_for_update`; SQLite serialises writers with
BEGIN IMMEDIATE), which a cache cannot promise (the database cache's `incr` is a read and a write, and
it evicts entries when full, which would reset a counter). Expired rows are deleted hourly.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OneTimeCode(models.Model):
    # An HMAC of purpose and target: the table never names a case, a phone number or an e-mail address.
    key = models.CharField(_("key"), max_length=64, unique=True)
    code_hash = models.CharField(_("code hash"), max_length=64)
    attempts = models.PositiveSmallIntegerField(_("wrong attempts"), default=0)
    expires_at = models.DateTimeField(_("expires"), db_index=True)

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")

    def __str__(self) -> str:
        return self.key[:12]


class RateCounter(models.Model):
    """Hits in one fixed window of one rate limit (key = HMAC of the limit's name and subject)."""

    key = models.CharField(_("key"), max_length=64, unique=True)
    count = models.PositiveIntegerField(_("count"), default=0)
    window_start = models.FloatField(_("window start (Unix time)"))
    expires_at = models.DateTimeField(_("expires"), db_index=True)

    class Meta:
        verbose_name = _("rate counter")
        verbose_name_plural = _("rate counters")

    def __str__(self) -> str:
        return f"{self.key[:12]}: {self.count}"
