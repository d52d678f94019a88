"""The second factor of staff accounts: TOTP devices (django-otp) and one-time backup codes, with every
own change in the audit chain. The workspace's enrolment and sign-in pages (`balai.office.auth`) call
these; an administrator's reset is `balai.people.services`."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from balai.audit.services import audit_record
from balai.people.services import actor_reference

BACKUP_DEVICE_NAME = "backup"
BACKUP_CODE_COUNT = 10
TOTP_DEVICE_NAME = "authenticator"


def confirmed_totp(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def has_second_factor(user: Any) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_totp(user: Any) -> TOTPDevice:
    """The unconfirmed device being enrolled (created once, so a reload shows the same QR code)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)


def confirm_enrolment(*, device: TOTPDevice, token: str) -> bool:
    """Confirm the pending device when `token` is a current code from it."""
    token = "".join(ch for ch in (token or "") if ch.isdigit())
    if not token or not device.verify_token(token):
        return False
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=device.user, confirmed=False).exclude(pk=device.pk).delete()
        _audit_own("user.second_factor.enrol", device.user)
    return True


def _audit_own(action: str, user: Any) -> None:
    """A person's own change of their second factor, in the audit chain like a reset by someone else."""
    audit_record(action=action, actor=user, actor_label=actor_reference(user), target=user,
                 data={"via": "kantor"})


@transaction.atomic
def new_backup_codes(user: Any, *, count: int = BACKUP_CODE_COUNT) -> list[str]:
    """Replace the user's backup codes with `count` fresh ones; each works once (shown to the user once)."""
    device, _created = StaticDevice.objects.get_or_create(user=user, name=BACKUP_DEVICE_NAME,
                                                           defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(count)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    _audit_own("user.backup_codes.renew", user)
    return codes


def verify_second_factor(user: Any, token: str) -> Any | None:
    """The confirmed device that accepts `token` (a TOTP code, or a backup code, used up), else None."""
    raw = (token or "").strip().replace(" ", "").replace("-", "")
    if not raw:
        return None
    if raw.isdigit():
        device = confirmed_totp(user)
        if device is not None and device.verify_token(raw):
            return device
    for device in StaticDevice.objects.filter(user=user, confirmed=True):
        if device.verify_token(raw.lower()):
            return device
    return None


def remaining_backup_codes(user: Any) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
