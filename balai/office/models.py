"""Staff-workspace data: canned answers per agency (administered by the agency's administrator), and the
daily digest's preference and once-a-day key (balai.office.digest)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class CannedAnswer(models.Model):
    """A reusable answer text an officer can insert into a reply; bilingual, per agency."""

    agency = models.ForeignKey("agencies.Agency", verbose_name=_("agency"), on_delete=models.CASCADE,
                               related_name="canned_answers")
    title = models.CharField(_("title"), max_length=120)
    body_id = models.TextField(_("text (Indonesian)"))
    body_en = models.TextField(_("text (English)"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("canned answer")
        verbose_name_plural = _("canned answers")
        ordering = ["agency", "title", "id"]
        indexes = [models.Index(fields=["agency", "is_active"], name="canned_agency_active")]

    def __str__(self) -> str:
        return self.title

    def body_for(self, language: str | None = None) -> str:
        """The text in `language` ("id"/"en"); Indonesian when there is no English text."""
        lang = (language or get_language() or "id")[:2]
        return self.body_en if lang == "en" and self.body_en else self.body_id


class DigestPreference(models.Model):
    """A staff member's choice about the daily digest e-mail (balai.office.digest); no row means "on"."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                                related_name="digest_preference")
    daily_digest = models.BooleanField(_("daily digest e-mail"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("digest preference")
        verbose_name_plural = _("digest preferences")

    def __str__(self) -> str:
        return f"{self.user} · {self.daily_digest}"


class DigestRun(models.Model):
    """One staff member's digest of one local day: the key that makes the periodic job send it once.

    Written even when there was nothing to report (`message` empty), so later runs of the same day skip
    the person without querying their cases again. Rows older than `digest.KEEP_DAYS` are deleted.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="+")
    day = models.DateField(_("day"))
    case_count = models.PositiveIntegerField(_("cases listed"), default=0)
    message = models.ForeignKey("notify.Message", verbose_name=_("message"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("digest run")
        verbose_name_plural = _("digest runs")
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="digest_run_once_a_day")]
        indexes = [models.Index(fields=["day"], name="digest_run_day")]

    def __str__(self) -> str:
        return f"{self.user} · {self.day}"
