"""Writes on people: citizens signing in without a password, staff accounts, their roles, flags, passwords
and second factors, and API client applications.

Every change of a privilege is written to the audit chain in the same transaction (ADR 0005, ADR 0015),
whichever face asks for it (Django admin, /kantor/, a management command): the faces call these
functions and never write the flags, roles or keys themselves. The audit record names the actor
pseudonymously (`user:<id>`, or `system:<via>` for commands) and holds ids, never a name, phone or e-mail.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Callable, Iterable, Mapping
from typing import Protocol

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from balai.agencies.models import Agency, Unit
from balai.audit.services import audit_change, system_reference
from balai.memo import Memo
from balai.people.models import ClientApplication, ContactChannel, Language, Membership, Role, User
from balai.people.permissions import clear_permission_cache, has_permission
from balai.people.phone import PhoneError, normalize_phone, validate_phone
from balai.people.selectors import ACCESS_FLAGS, second_factor_resettable, user_access_flags


def actor_reference(actor: User | None, via: str = "") -> str:
    """Who acted, for the audit chain: `user:<id>` (no name, phone or e-mail, so a deletion request can be
    honoured without touching the chain), or `system:<via>` for a command or a job."""
    if actor is not None and actor.pk is not None:
        return f"user:{actor.pk}"
    return system_reference(via)


def _audit(action: str, *, actor: User | None, via: str, target: Model | None,
           data: Mapping[str, object] | None = None) -> None:
    audit_change(action=action, actor=actor, via=via, target=target, data=data)


def _is_superuser(actor: User | None) -> bool:
    return actor is None or bool(actor.is_active and actor.is_superuser)  # None: a command run on the server


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
    phone = validate_phone(phone or "") if (phone or "").strip() else None
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
def membership_grant(*, user: User, unit: Unit, role: str, actor: User | None = None, via: str = "") -> Membership:
    """Give ``user`` the ``role`` in ``unit`` (re-activating a revoked one) and make them staff.

    ``actor`` (None for system/commands) must be allowed "agency.manage_members" on the unit's agency, so
    an agency's administrator grants roles only inside their own agency (of their own government); the
    flags ``is_superuser`` and Django permissions are never touched here. Audited ("membership.grant")
    when anything changed.
    """
    _check_actor(actor, unit.agency)
    validate_membership(unit=unit, role=role)
    membership, created = Membership.objects.get_or_create(user=user, unit=unit, role=role)
    reactivated = not created and not membership.is_active
    if reactivated:
        membership.is_active = True
        membership.save(update_fields=["is_active"])
    made_staff = not user.is_staff
    if made_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    if created or reactivated or made_staff:
        _audit("membership.grant", actor=actor, via=via, target=membership,
               data={"user": user.pk, "unit": unit.pk, "agency": unit.agency_id, "role": role,
                     "made_staff": made_staff})
    clear_permission_cache(user)
    return membership


# Checks run after a membership was ended (revoked, or moved to another unit: called with action="move"), or
# after a staff account was switched off, inside the same transaction: raising a ValidationError undoes the
# change. Domain apps register theirs (the cases app: no route may be left without someone to act, ADR 0040).
class MembershipGuard(Protocol):
    def __call__(self, membership: Membership, *, action: str = ...) -> None: ...


MEMBERSHIP_GUARDS: list[MembershipGuard] = []
ACCOUNT_GUARDS: list[Callable[[User], None]] = []


def register_membership_guard(guard: MembershipGuard) -> None:
    if guard not in MEMBERSHIP_GUARDS:
        MEMBERSHIP_GUARDS.append(guard)


def register_account_guard(guard: Callable[[User], None]) -> None:
    if guard not in ACCOUNT_GUARDS:
        ACCOUNT_GUARDS.append(guard)


def check_membership_revoke(membership: Membership) -> None:
    """Raise the `ValidationError` `membership_revoke` would raise, changing nothing (forms ask first)."""
    if not MEMBERSHIP_GUARDS or not membership.pk:
        return
    with transaction.atomic():
        Membership.objects.filter(pk=membership.pk).update(is_active=False)
        try:
            for guard in MEMBERSHIP_GUARDS:
                guard(membership)
        finally:
            transaction.set_rollback(True)


def check_user_deactivate(user: User) -> None:
    """Raise the `ValidationError` `user_set_access(is_active=False)` would raise, changing nothing."""
    if not ACCOUNT_GUARDS or not user.pk:
        return
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_active=False)
        try:
            for guard in ACCOUNT_GUARDS:
                guard(user)
        finally:
            transaction.set_rollback(True)


@transaction.atomic
def membership_revoke(*, membership: Membership, actor: User | None = None, via: str = "") -> Membership:
    """End a membership (kept inactive for the record, not deleted). Audited ("membership.revoke")."""
    _check_actor(actor, membership.unit.agency)
    was_active = Membership.objects.filter(pk=membership.pk, is_active=True).update(is_active=False) == 1
    membership.is_active = False
    if was_active:
        try:
            for guard in MEMBERSHIP_GUARDS:
                guard(membership)
        except ValidationError:
            membership.is_active = True
            raise
    if was_active:
        _audit("membership.revoke", actor=actor, via=via, target=membership,
               data={"user": membership.user_id, "unit": membership.unit_id,
                     "agency": membership.unit.agency_id, "role": membership.role})
    clear_permission_cache(membership.user)
    return membership


@transaction.atomic
def membership_move(*, membership: Membership, unit: Unit, actor: User | None = None, via: str = "") -> Membership:
    """Move a member's role to another unit: granted there and ended here in one transaction, refused (and
    nothing changed) when a route would then reach nobody who can act. ``actor`` must manage the members
    of both agencies. Audited ("membership.move", besides the grant); returns the membership in `unit`."""
    _check_actor(actor, membership.unit.agency)
    _check_actor(actor, unit.agency)
    if not Membership.objects.filter(pk=membership.pk, is_active=True).exists():
        raise ValidationError(_("This role was already revoked."))
    if unit.pk == membership.unit_id:
        raise ValidationError({"unit": _("The member already holds this role in this unit.")})
    if not unit.is_active:
        raise ValidationError({"unit": _("This unit is no longer active.")})
    moved = membership_grant(user=membership.user, unit=unit, role=membership.role, actor=actor, via=via)
    Membership.objects.filter(pk=membership.pk).update(is_active=False)
    membership.is_active = False
    try:
        for guard in MEMBERSHIP_GUARDS:
            guard(membership, action="move")
    except ValidationError:
        membership.is_active = True
        raise
    _audit("membership.move", actor=actor, via=via, target=membership,
           data={"user": membership.user_id, "from_unit": membership.unit_id, "to_unit": unit.pk,
                 "agency": unit.agency_id, "role": membership.role, "membership": moved.pk})
    clear_permission_cache(membership.user)
    return moved


# --- staff accounts: creation, flags, Django permissions, passwords, second factors --------------------

_FLAG_ACTIONS = {
    "is_active": ("user.activate", "user.deactivate"),
    "is_staff": ("user.staff.grant", "user.staff.revoke"),
    "is_superuser": ("user.superuser.grant", "user.superuser.revoke"),
}


def _check_may_manage_account(actor: User | None, user: User) -> None:
    """A superuser's account (its password, second factor, flags) is changed only by a superuser."""
    if user.is_superuser and not _is_superuser(actor):
        raise PermissionDenied(_("Only a superuser may change a superuser's account."))


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    email: str | None = None,
    phone: str | None = None,
    full_name: str = "",
    password: str | None = None,
    nik: str = "",
    preferred_language: str = Language.INDONESIAN,
    preferred_channel: str = ContactChannel.SMS,
    is_staff: bool = False,
    is_superuser: bool = False,
    via: str = "",
) -> User:
    """Create an account (audited "user.create"). Staff and superuser flags are set by a superuser only
    (or a command on the server), and recorded like any later change of them."""
    if (is_staff or is_superuser) and not _is_superuser(actor):
        raise PermissionDenied(_("Only a superuser may create a staff or superuser account."))
    from balai.people.nik import set_user_nik

    user = User(email=normalize_email(email), phone=phone or None, full_name=(full_name or "").strip()[:150],
                preferred_language=preferred_language, preferred_channel=preferred_channel)
    if password:
        validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    if nik:
        set_user_nik(user, nik, save=False)
    user.full_clean(exclude=["password"])
    user.save()
    _audit("user.create", actor=actor, via=via, target=user, data={"password": bool(password)})
    if is_staff or is_superuser:
        user_set_access(actor=actor, user=user, is_staff=is_staff or is_superuser, is_superuser=is_superuser,
                        via=via)
    return user


@transaction.atomic
def user_record_created_elsewhere(*, user: User, via: str) -> None:
    """Record an account that Django's own tooling created (`createsuperuser`): its creation and the
    flags it was born with, as `user_create` would have."""
    _audit("user.create", actor=None, via=via, target=user, data={"password": user.has_usable_password()})
    for flag in ("is_staff", "is_superuser"):
        if getattr(user, flag):
            _audit(_FLAG_ACTIONS[flag][0], actor=None, via=via, target=user, data={flag: True})


@transaction.atomic
def staff_account_for_login(*, actor: User | None, login: str, full_name: str = "", via: str = "") -> User:
    """The account an agency administrator adds a role to: found by e-mail or phone number, or created
    (e-mail only, no password: the officer sets up the sign-in with the superuser's help). Creating it
    is audited; the role is granted (and audited) by `membership_grant`."""
    login = (login or "").strip()
    if "@" in login:
        email = normalize_email(login)
        user = User.objects.filter(email__iexact=email).first()
        if user is not None:
            return user
        if not full_name.strip():
            raise ValidationError({"full_name": _("This is a new account: enter the officer's full name.")})
        from django.core.validators import validate_email

        try:
            validate_email(email)
        except ValidationError as exc:
            raise ValidationError({"login": _("Enter an e-mail address or an Indonesian phone number.")}) from exc
        return user_create(actor=actor, email=email, full_name=full_name, via=via)
    try:
        phone = normalize_phone(login)
    except (PhoneError, ValueError) as exc:
        raise ValidationError({"login": _("Enter an e-mail address or an Indonesian phone number.")}) from exc
    user = User.objects.filter(phone=phone).first()
    if user is None:
        raise ValidationError({"login": _("No account has this phone number. Use the officer's e-mail address.")})
    return user


@transaction.atomic
def staff_member_add(*, actor: User | None, login: str, full_name: str, unit: Unit, role: str, via: str = "") -> Membership:
    """/kantor/'s "grant a role": the account by e-mail or phone (created if new, by e-mail) and the role,
    in one transaction: a refused role leaves no new account behind."""
    _check_actor(actor, unit.agency)
    validate_membership(unit=unit, role=role)
    user = staff_account_for_login(actor=actor, login=login, full_name=full_name, via=via)
    return membership_grant(user=user, unit=unit, role=role, actor=actor, via=via)


@transaction.atomic
def user_set_access(
    *,
    actor: User | None,
    user: User,
    is_active: bool | None = None,
    is_staff: bool | None = None,
    is_superuser: bool | None = None,
    via: str = "",
    even_without_actor: bool = False,
) -> list[str]:
    """Change the account flags (None = leave as is); returns the audit actions written, one per change.

    Deactivating a staff account is refused while a route would then reach nobody who can act (ADR 0040),
    unless ``even_without_actor`` (the server's `user_access --no-active --even-without-actor`, to shut a
    compromised account at once): then the routes left without an actor are written in the audit record.

    Who may: a superuser (or a command on the server). An agency's administrator never sets these flags
    (a role granted in their agency makes the person staff through `membership_grant`). Nobody removes
    their own superuser flag or deactivates themselves here, so an instance cannot lose its last way in
    by a slip of the mouse.
    """
    if not _is_superuser(actor):
        raise PermissionDenied(_("Only a superuser may change whether an account is active, staff or superuser."))
    stored = user_access_flags(user)
    wanted = {"is_active": is_active, "is_staff": is_staff, "is_superuser": is_superuser}
    changes = {flag: value for flag, value in wanted.items() if value is not None and value != stored[flag]}
    if actor is not None and actor.pk == user.pk and (
            changes.get("is_superuser") is False or changes.get("is_active") is False):
        raise ValidationError(_("You cannot remove your own superuser status or deactivate yourself."))
    actions = []
    for flag, value in changes.items():
        setattr(user, flag, value)
    left_without_actor = ""
    if changes:
        user.save(update_fields=list(changes))
        if changes.get("is_active") is False:
            try:
                for guard in ACCOUNT_GUARDS:
                    guard(user)
            except ValidationError as exc:
                if not even_without_actor:
                    for flag in ACCESS_FLAGS:
                        setattr(user, flag, stored[flag])
                    raise
                left_without_actor = " ".join(exc.messages)[:500]
        for flag, value in changes.items():
            action = _FLAG_ACTIONS[flag][0 if value else 1]
            data: dict[str, object] = {flag: value}
            if flag == "is_active" and left_without_actor:
                data["left_without_actor"] = left_without_actor
            _audit(action, actor=actor, via=via, target=user, data=data)
            actions.append(action)
    for flag in ACCESS_FLAGS:  # the instance shows the stored truth again
        setattr(user, flag, changes.get(flag, stored[flag]))
    clear_permission_cache(user)
    return actions


@transaction.atomic
def user_set_django_permissions(
    *, actor: User | None, user: User, groups: Iterable[Group], permissions: Iterable[Permission], via: str = ""
) -> bool:
    """Replace the account's Django groups and model permissions (what the Django admin lets them edit).

    Superusers only: these are raw privileges no agency administrator may hand out. Audited
    ("user.permissions.set") with what was added and removed; returns whether anything changed.
    """
    if not _is_superuser(actor):
        raise PermissionDenied(_("Only a superuser may change groups and permissions."))
    _check_may_manage_account(actor, user)
    groups, permissions = list(groups), list(permissions)
    old_groups = set(user.groups.values_list("pk", flat=True))
    old_perms = set(user.user_permissions.values_list("pk", flat=True))
    new_groups, new_perms = {g.pk for g in groups}, {p.pk for p in permissions}
    if old_groups == new_groups and old_perms == new_perms:
        return False
    user.groups.set(groups)
    user.user_permissions.set(permissions)

    def names(ids: set[int]) -> list[str]:
        return sorted(f"{app}.{code}" for app, code in Permission.objects.filter(pk__in=ids)
                      .values_list("content_type__app_label", "codename"))

    _audit("user.permissions.set", actor=actor, via=via, target=user, data={
        "groups_added": sorted(new_groups - old_groups), "groups_removed": sorted(old_groups - new_groups),
        "permissions_added": names(new_perms - old_perms), "permissions_removed": names(old_perms - new_perms),
    })
    return True


@transaction.atomic
def user_set_password(*, actor: User | None, user: User, password: str | None, via: str = "") -> User:
    """Set (or, with None, remove) the account's password. Audited: "user.password.change" when the
    person changes their own, "user.password.reset" when someone else (a superuser, a command) does.

    Only the person themselves or a superuser may; a superuser's password only they or another superuser.
    Other sessions of the account end (Django checks the password hash of every session).
    """
    own = actor is not None and actor.pk == user.pk
    if not own:
        if not _is_superuser(actor):
            raise PermissionDenied(_("Only a superuser may reset another person's password."))
        _check_may_manage_account(actor, user)
    if password:
        validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save(update_fields=["password"])
    _audit("user.password.change" if own else "user.password.reset", actor=actor, via=via, target=user,
           data={"usable": bool(password)})
    return user


def may_reset_second_factor(actor: User | None, user: User) -> bool:
    """See `balai.people.selectors.second_factor_resettable`."""
    return user.pk in second_factor_resettable(actor, [user])


@transaction.atomic
def user_reset_second_factor(*, actor: User | None, user: User, via: str = "") -> int:
    """Remove every second-factor device of the account (authenticator apps and backup codes): at the next
    sign-in the person enrols a new one. For a lost or stolen phone. Audited ("user.second_factor.reset");
    returns how many devices were removed. Who may: `may_reset_second_factor`.
    """
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if not may_reset_second_factor(actor, user):
        raise PermissionDenied(_("You may not reset this person's second factor."))
    removed = 0
    for model in (TOTPDevice, StaticDevice):
        _total, per_model = model.objects.filter(user=user).delete()
        removed += per_model.get(model._meta.label, 0)
    _audit("user.second_factor.reset", actor=actor, via=via, target=user, data={"devices": removed})
    return removed


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

_GIVEN_KEY = re.compile(r"(?P<scheme>[a-z]+)_(?P<prefix>[a-z0-9]{1,12})_(?P<secret>[A-Za-z0-9_-]{16,})")


def new_api_key(scheme: str, model: type[models.Model], *, given: str | None = None) -> tuple[str, str]:
    """A key `<scheme>_<prefix>_<secret>` whose prefix no row of `model` holds yet: (prefix, key).

    `given`: a key the caller chose instead, in the same form: the demo's keys, published in the README,
    so demo mode only (ADR 0017); anywhere else a chosen key is refused."""
    if given is not None:
        match = _GIVEN_KEY.fullmatch(given)
        if not settings.DEMO_MODE:
            raise ValueError("a chosen API key is for demo mode only")
        if match is None or match["scheme"] != scheme:
            raise ValueError(f"a chosen key must look like {scheme}_<prefix>_<secret of 16+ characters>")
        if model._default_manager.filter(key_prefix=match["prefix"]).exists():
            raise ValueError(f"the key prefix {match['prefix']!r} is taken")
        return match["prefix"], given
    prefix = secrets.token_hex(4)
    while model._default_manager.filter(key_prefix=prefix).exists():
        prefix = secrets.token_hex(4)
    return prefix, f"{scheme}_{prefix}_{secrets.token_urlsafe(32)}"


def _check_may_manage_clients(actor: User | None) -> None:
    if not _is_superuser(actor):
        raise PermissionDenied(_("Only a superuser may manage API client applications."))


def _clean_scopes(scopes: Iterable[str]) -> list[str]:
    scopes = list(scopes)
    unknown = sorted(set(scopes) - set(CLIENT_SCOPES))
    if unknown:
        raise ValidationError({"scopes": _("Unknown scope: %(scopes)s.") % {"scopes": ", ".join(unknown)}})
    return scopes


@transaction.atomic
def client_application_create(
    *,
    name: str,
    contact_email: str = "",
    agency: Agency | None = None,
    scopes: Iterable[str] = (),
    rate_limit_per_minute: int = 60,
    queued_intake: bool = False,
    actor: User | None = None,
    via: str = "",
    key: str | None = None,
) -> tuple[ClientApplication, str]:
    """Register an API client; returns it and its key, which is shown once and stored only as a hash.

    The key looks like ``blk_<prefix>_<secret>``; the prefix identifies the client in logs. Superusers
    only (``actor`` None: a command or the system). Audited ("client.create") with scopes and limit.
    ``key``: the demo's published key (demo mode only, `new_api_key`).
    """
    _check_may_manage_clients(actor)
    scopes = _clean_scopes(scopes)
    prefix, key = new_api_key(CLIENT_KEY_PREFIX, ClientApplication, given=key)
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
    _audit("client.create", actor=actor, via=via, target=client, data={
        "key_prefix": prefix, "scopes": sorted(scopes), "rate_limit_per_minute": rate_limit_per_minute,
        "queued_intake": queued_intake, "agency": agency.pk if agency else None})
    return client, key


# What a change of a client application records: values for the privileges, "changed" for the rest.
_CLIENT_AUDITED_VALUES = ("scopes", "rate_limit_per_minute", "queued_intake", "is_active", "agency_id")


@transaction.atomic
def client_application_update(
    *,
    client: ClientApplication,
    actor: User | None,
    name: str,
    contact_email: str = "",
    agency: Agency | None = None,
    scopes: Iterable[str] = (),
    rate_limit_per_minute: int = 60,
    queued_intake: bool = False,
    is_active: bool = True,
    via: str = "",
) -> ClientApplication:
    """Change a client application: its scopes, rate limit, queued intake, agency and whether it is on.
    Superusers only; audited ("client.update") with the old and new value of each privilege changed."""
    _check_may_manage_clients(actor)
    stored = ClientApplication.objects.select_for_update().get(pk=client.pk)
    if is_active and stored.revoked_at is not None:
        raise ValidationError({"is_active": _("A revoked key stays revoked. Register the client again.")})
    new = {"name": name, "contact_email": contact_email, "agency_id": agency.pk if agency else None,
           "scopes": sorted(_clean_scopes(scopes)), "rate_limit_per_minute": rate_limit_per_minute,
           "queued_intake": queued_intake, "is_active": is_active}
    old = {field: getattr(stored, field) for field in new}
    old["scopes"] = sorted(old["scopes"] or [])
    changed = [field for field in new if new[field] != old[field]]
    for field in new:
        setattr(client, field, new[field])
    if changed:
        client.save(update_fields=changed)
        _audit("client.update", actor=actor, via=via, target=client, data={
            field: ([old[field], new[field]] if field in _CLIENT_AUDITED_VALUES else "changed")
            for field in changed})
    return client


# Every API request checks its key: the answer (the client, or None for an unknown key) is remembered for
# at most CLIENT_KEY_MEMO_SECONDS per process, keyed by the key's hash, never the key (ADR 0046). A key
# revoked or deactivated in this process is forgotten at once (the save empties the memo); in another
# process it is refused at most that long after the revocation commits.
CLIENT_KEY_MEMO_SECONDS = 2.0
_client_keys = Memo("client-keys", watch=("people.ClientApplication",), ttl=CLIENT_KEY_MEMO_SECONDS)


def client_application_for_key(key: str) -> ClientApplication | None:
    """The active client application holding ``key``, or None (constant-time comparison).

    Remembered for `CLIENT_KEY_MEMO_SECONDS`: treat the returned instance as read-only."""
    parts = (key or "").strip().split("_", 2)
    if len(parts) != 3 or parts[0] != CLIENT_KEY_PREFIX:
        return None
    key_hash = _hash_client_key(key.strip())
    found: ClientApplication | None = _client_keys.get(key_hash, lambda: _client_for_key(parts[1], key_hash))
    return found


def _client_for_key(prefix: str, key_hash: str) -> ClientApplication | None:
    client = ClientApplication.objects.filter(key_prefix=prefix, is_active=True, revoked_at__isnull=True).first()
    if client is None or not hmac.compare_digest(client.key_hash, key_hash):
        return None
    return client


@transaction.atomic
def client_application_revoke(
    *, client: ClientApplication, actor: User | None = None, via: str = ""
) -> ClientApplication:
    """Revoke a client's key for good (superusers only). Audited ("client.revoke")."""
    _check_may_manage_clients(actor)
    if client.revoked_at is not None:
        return client
    client.is_active = False
    client.revoked_at = timezone.now()
    client.save(update_fields=["is_active", "revoked_at"])
    _audit("client.revoke", actor=actor, via=via, target=client, data={"key_prefix": client.key_prefix})
    return client


def citizen_profile_update(*, user: User, full_name: str, preferred_language: str, preferred_channel: str) -> User:
    """Change what a citizen may change about their account themselves: their name, the language and the
    channel of the messages we send them (the page checks the channel has an address)."""
    if preferred_language not in Language.values or preferred_channel not in ContactChannel.values:
        raise ValueError(f"unknown language {preferred_language!r} or channel {preferred_channel!r}")
    user.full_name = full_name.strip()
    user.preferred_language = preferred_language
    user.preferred_channel = preferred_channel
    user.save(update_fields=["full_name", "preferred_language", "preferred_channel"])
    return user
