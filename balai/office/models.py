"""Staff-workspace data: canned answers per agency (administered by the agency's administrator)."""

from __future__ import annotations

from django.db import models
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
