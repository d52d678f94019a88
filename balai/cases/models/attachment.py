"""Files attached to a case, stored under random names outside the web root."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Attachment(models.Model):
    case = models.ForeignKey("cases.Case", verbose_name=_("case"), on_delete=models.CASCADE,
                             related_name="attachments")
    event = models.ForeignKey("cases.Event", verbose_name=_("event"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="attachments")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    original_name = models.CharField(_("file name"), max_length=255)
    storage_name = models.CharField(_("storage name"), max_length=80, unique=True, editable=False)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    is_public = models.BooleanField(_("public"), default=False,
                                    help_text=_("Shown to the citizen (e.g. attached to the answer)."))
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.original_name
