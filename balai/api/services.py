"""Writes of the API's own state: staff tokens (create, change expiry, revoke), each in the audit chain.

A staff token acts as its user without a second factor at each call (ADR 0012), so handing one out is a
privilege change like granting a role: superusers only (or a command on the server), audited with the
same pseudonymous actor reference as the people services (ADR 0015).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from balai.api.models import StaffToken
from balai.audit.services import audit_change
from balai.people.models import User
from balai.people.services import hash_api_key, new_api_key

STAFF_TOKEN_PREFIX = "bst"  # nosec B105 # the public prefix of every staff key, not a secret


def _check_actor(actor: User | None) -> None:
    if actor is not None and not (actor.is_active and actor.is_superuser):
        raise PermissionDenied(_("Only a superuser may manage staff API tokens."))


def _audit(action: str, *, actor: User | None, via: str, token: StaffToken, data: dict[str, Any]) -> None:
    audit_change(action=action, actor=actor, via=via, target=token, data=data)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


@transaction.atomic
def staff_token_create(
    *, user: User, name: str, expires_at: datetime | None = None, actor: User | None = None, via: str = "",
    key: str | None = None,
) -> tuple[StaffToken, str]:
    """A new token for staff member `user`; returns it and the key, shown once (`bst_<prefix>_<secret>`).
    Audited ("staff_token.create"). `key`: the demo's published token (demo mode only, `new_api_key`)."""
    _check_actor(actor)
    if not user.is_staff:
        raise ValidationError({"user": _("Staff API tokens are for staff members only.")})
    prefix, key = new_api_key(STAFF_TOKEN_PREFIX, StaffToken, given=key)
    token = StaffToken.objects.create(
        user=user, name=name, key_prefix=prefix, key_hash=hash_api_key(key), expires_at=expires_at
    )
    _audit("staff_token.create", actor=actor, via=via, token=token,
           data={"user": user.pk, "key_prefix": prefix, "expires_at": _iso(expires_at)})
    return token, key


@transaction.atomic
def staff_token_update(
    *, token: StaffToken, name: str, expires_at: datetime | None, actor: User | None = None, via: str = ""
) -> StaffToken:
    """Rename a token or change when it expires (its user never changes). A new expiry is audited
    ("staff_token.update"): extending a token is extending a privilege."""
    _check_actor(actor)
    stored = StaffToken.objects.select_for_update().get(pk=token.pk)
    token.user_id = stored.user_id
    changed = [f for f, new in (("name", name), ("expires_at", expires_at)) if getattr(stored, f) != new]
    token.name, token.expires_at = name, expires_at
    if changed:
        token.save(update_fields=changed)
    if "expires_at" in changed:
        _audit("staff_token.update", actor=actor, via=via, token=token,
               data={"user": token.user_id, "expires_at": [_iso(stored.expires_at), _iso(expires_at)]})
    return token


@transaction.atomic
def staff_token_revoke(*, token: StaffToken, actor: User | None = None, via: str = "") -> StaffToken:
    """Revoke a token for good. Audited ("staff_token.revoke")."""
    _check_actor(actor)
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    _audit("staff_token.revoke", actor=actor, via=via, token=token,
           data={"user": token.user_id, "key_prefix": token.key_prefix})
    return token


def staff_token_touch(*, token: StaffToken, at: datetime) -> None:
    """Record the token's last use (callers write it at most once a minute): it helps spot forgotten tokens."""
    StaffToken.objects.filter(pk=token.pk).update(last_used_at=at)
