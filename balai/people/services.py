"""Writes on people: citizens signing in without a password, staff memberships."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from balai.agencies.models import Agency, Unit
from balai.people.models import ClientApplication, ContactChannel, Language, Membership, Role, User
from balai.people.permissions import clear_permission_cache, has_permission
from balai.people.phone import validate_phone


def normalize_email(email: str | None) -> str | None:
    """Trimmed and lower-cased (we treat addresses as case-insensitive); None when empty."""
    email = (email or "").strip()
    return email.lower() or None


def citizen_get_or_create(
    *,
    email: str | None = None,
    phone: str | None = None,
    full_name: str = "",
    language: str = Language.INDONESIAN,
    channel: str | None = None,
) -> User:
    """The citizen account for a proven e-mail address or phone number, created if there is none.

    Used by the portal's one-time-code sign-in and by channels that identify a citizen by number.
    An existing account is returned unchanged (we never attach an unproven identifier to it). A new
    account gets no usable password, the given language, and as preferred channel ``channel`` or
    SMS when there is a phone number, else e-mail. Raises ValidationError for a malformed e-mail or
    phone, when neither is given, or when they belong to two different accounts.
    """
    email = normalize_email(email)
    phone = validate_phone(phone) if (phone or "").strip() else None
    if email:
        from django.core.validators import validate_email

        validate_email(email)
    if not email and not phone:
        raise ValidationError(_("Give an e-mail address or a phone number."), code="no_contact")
    if language not in Language.values:
        language = Language.INDONESIAN
    if channel is None:
        channel = ContactChannel.SMS if phone else ContactChannel.EMAIL
    elif channel not in ContactChannel.values:
        raise ValidationError(_("Unknown contact channel."), code="channel")

    for _attempt in range(2):  # a concurrent sign-in may create the same account between look-up and insert
        by_email = User.objects.filter(email__iexact=email).first() if email else None
        by_phone = User.objects.filter(phone=phone).first() if phone else None
        if by_email and by_phone and by_email.pk != by_phone.pk:
            raise ValidationError(
                _("This e-mail address and this phone number belong to different accounts."), code="conflict"
            )
        existing = by_email or by_phone
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                user = User(
                    email=email,
                    phone=phone,
                    full_name=(full_name or "").strip()[:150],
                    preferred_language=language,
                    preferred_channel=channel,
                )
                user.set_unusable_password()
                user.save()
                return user
        except IntegrityError:
            continue
    raise ValidationError(_("The account could not be created; please try again."), code="race")


def _check_actor(actor: User | None, agency: Agency) -> None:
    if actor is not None and not has_permission(actor, "agency.manage_members", agency):
        raise PermissionDenied(_("You may not manage the members of this agency."))


def validate_membership(*, unit: Unit, role: str) -> None:
    """The role exists, and the inspector role is held only in an inspectorate (it grants oversight
    of the whole government, PP 12/2017)."""
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")}, code="role")
    Membership(unit=unit, role=role).clean()


@transaction.atomic
def membership_grant(*, user: User, unit: Unit, role: str, actor: User | None = None) -> Membership:
    """Give ``user`` the ``role`` in ``unit`` (re-activating a revoked one) and make them staff.

    ``actor`` (None for system/commands) must be allowed "agency.manage_members" on the unit's agency.
    """
    _check_actor(actor, unit.agency)
    validate_membership(unit=unit, role=role)
    membership, created = Membership.objects.get_or_create(user=user, unit=unit, role=role)
    if not created and not membership.is_active:
        membership.is_active = True
        membership.save(update_fields=["is_active"])
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    clear_permission_cache(user)
    return membership


@transaction.atomic
def membership_revoke(*, membership: Membership, actor: User | None = None) -> Membership:
    """End a membership (kept inactive for the record, not deleted)."""
    _check_actor(actor, membership.unit.agency)
    if membership.is_active:
        membership.is_active = False
        membership.save(update_fields=["is_active"])
    clear_permission_cache(membership.user)
    return membership


# --- API client applications ---------------------------------------------------------------------------

CLIENT_KEY_PREFIX = "blk"
# What a client application may be allowed to do (balai.api checks them; ADR 0012).
CLIENT_SCOPES: dict[str, object] = {
    "catalog:read": _("Read the catalog (services, categories, agencies, regions)"),
    "cases:submit": _("Submit cases"),
    "cases:read": _("Read a case's public status by tracking code"),
    "stats:read": _("Read the public statistics"),
}


def hash_api_key(key: str) -> str:
    """SHA-256 of a whole API key (client keys and staff tokens alike).

    The key holds 256 random bits, so a fast hash is enough: there is no dictionary to attack, unlike
    passwords, and a slow hash would cost every API request.
    """
    return hashlib.sha256(key.encode()).hexdigest()


_hash_client_key = hash_api_key


@transaction.atomic
def client_application_create(
    *,
    name: str,
    contact_email: str = "",
    agency: Agency | None = None,
    scopes: Iterable[str] = (),
    rate_limit_per_minute: int = 60,
    queued_intake: bool = False,
) -> tuple[ClientApplication, str]:
    """Register an API client; returns it and its key, which is shown once and stored only as a hash.

    The key looks like ``blk_<prefix>_<secret>``; the prefix identifies the client in logs.
    """
    scopes = list(scopes)
    unknown = sorted(set(scopes) - set(CLIENT_SCOPES))
    if unknown:
        raise ValidationError({"scopes": _("Unknown scope: %(scopes)s.") % {"scopes": ", ".join(unknown)}})
    prefix = secrets.token_hex(4)
    while ClientApplication.objects.filter(key_prefix=prefix).exists():
        prefix = secrets.token_hex(4)
    key = f"{CLIENT_KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    client = ClientApplication.objects.create(
        name=name,
        contact_email=contact_email,
        agency=agency,
        scopes=list(scopes),
        rate_limit_per_minute=rate_limit_per_minute,
        queued_intake=queued_intake,
        key_prefix=prefix,
        key_hash=_hash_client_key(key),
    )
    return client, key


def client_application_for_key(key: str) -> ClientApplication | None:
    """The active client application holding ``key``, or None (constant-time comparison)."""
    parts = (key or "").strip().split("_", 2)
    if len(parts) != 3 or parts[0] != CLIENT_KEY_PREFIX:
        return None
    client = ClientApplication.objects.filter(
        key_prefix=parts[1], is_active=True, revoked_at__isnull=True
    ).first()
    if client is None or not hmac.compare_digest(client.key_hash, _hash_client_key(key.strip())):
        return None
    return client


def client_application_revoke(*, client: ClientApplication) -> ClientApplication:
    """Revoke a client's key for good."""
    client.is_active = False
    client.revoked_at = timezone.now()
    client.save(update_fields=["is_active", "revoked_at"])
    return client
