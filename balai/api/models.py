"""Staff API tokens (ADR 0012): a staff member's own key for the staff endpoints.

A token acts as its user: it grants exactly what `balai.people.permissions` grants that user now (a
revoked membership or a deactivated account takes effect at once), so it never holds permissions of its
own. Only a SHA-256 hash of the token is stored, as for client keys (ADR 0012); it is shown once.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StaffToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("staff member"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=120, help_text=_("What the token is for, e.g. a script."))
    key_prefix = models.CharField(_("key prefix"), max_length=12, unique=True, editable=False)
    key_hash = models.CharField(_("key hash"), max_length=128, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("staff API token")
        verbose_name_plural = _("staff API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix})"

    @property
    def is_active(self) -> bool:
        from django.utils import timezone

        return self.revoked_at is None and (self.expires_at is None or self.expires_at > timezone.now())


# Open311 state lives in its own module (owned by the Open311 helper, ADR 0013).
from balai.api.open311.models import ForwardedCase, RemoteEndpoint, RequestToken  # noqa: E402, F401
