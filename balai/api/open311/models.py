"""Open311 state: tokens handed to clients, and forwarding of cases to other governments' endpoints (ADR 0013)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestToken(models.Model):
    """The `token` of a POST requests answer, resolved by GET tokens/{token_id} (GeoReport v2).

    Balai registers a case synchronously, so every token already points to its case; tokens still exist
    because clients written for queueing servers expect one.
    """

    token = models.CharField(_("token"), max_length=40, unique=True)
    case = models.ForeignKey("cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="+")
    client = models.ForeignKey("people.ClientApplication", verbose_name=_("client application"), null=True,
                               blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("Open311 token")
        verbose_name_plural = _("Open311 tokens")

    def __str__(self) -> str:
        return self.token


class RemoteEndpoint(models.Model):
    """Another government's Open311 GeoReport v2 endpoint to which cases may be forwarded."""

    name = models.CharField(_("name"), max_length=160)
    base_url = models.URLField(_("base URL"), help_text=_("The endpoint's root, e.g. https://…/open311/v2/"))
    api_key = models.CharField(_("API key"), max_length=200, blank=True)
    jurisdiction_id = models.CharField(_("jurisdiction ID"), max_length=100, blank=True)
    service_codes = models.JSONField(
        _("service code mapping"), default=dict, blank=True,
        help_text=_("Our service code → their service code; \"*\" is used for any code not listed."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("Open311 remote endpoint")
        verbose_name_plural = _("Open311 remote endpoints")

    def __str__(self) -> str:
        return self.name


class ForwardedCase(models.Model):
    """A case sent to a remote endpoint, and what we last learned of it there."""

    case = models.ForeignKey("cases.Case", verbose_name=_("case"), on_delete=models.CASCADE,
                             related_name="open311_forwards")
    endpoint = models.ForeignKey(RemoteEndpoint, verbose_name=_("remote endpoint"), on_delete=models.PROTECT,
                                 related_name="forwards")
    remote_service_code = models.CharField(_("remote service code"), max_length=100)
    remote_id = models.CharField(_("remote request ID"), max_length=100, blank=True)
    remote_token = models.CharField(_("remote token"), max_length=100, blank=True)
    remote_status = models.CharField(_("remote status"), max_length=20, blank=True)
    remote_status_notes = models.TextField(_("remote status notes"), blank=True)
    remote_updated = models.CharField(_("remote update time"), max_length=40, blank=True)
    forwarded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("forwarded by"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")
    forwarded_at = models.DateTimeField(_("forwarded"), auto_now_add=True)
    last_polled_at = models.DateTimeField(_("last polled"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    is_final = models.BooleanField(_("closed remotely"), default=False)

    class Meta:
        verbose_name = _("forwarded case")
        verbose_name_plural = _("forwarded cases")

    def __str__(self) -> str:
        return f"{self.case_id} → {self.endpoint_id}"
