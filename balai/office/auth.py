"""Second factor for staff: TOTP devices (django-otp), enrolment QR code, one-time backup codes, and the
sign-in lockout as the second-factor step sees it (balai/people/lockout.py)."""

from __future__ import annotations

import base64
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from balai.audit.services import audit_record
from balai.people import lockout
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


def base32_secret(device: TOTPDevice) -> str:
    """The key as authenticator apps take it for manual entry (base32, no padding)."""
    return base64.b32encode(device.bin_key).decode("ascii").rstrip("=")


def grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// URL as an inline SVG QR code (no external request, works without JavaScript)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    svg = image.to_string(encoding="unicode")
    return svg[svg.index("<svg") :] if "<svg" in svg else svg


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


def issuer() -> str:
    return getattr(settings, "OTP_TOTP_ISSUER", "Balai")


# --- lockout at the second-factor step ----------------------------------------------------------------


def is_locked_out(request: HttpRequest, user: Any) -> bool:
    """Whether sign-in for ``user`` from this address is locked (a right code is refused too)."""
    from axes.handlers.proxy import AxesProxyHandler

    return not AxesProxyHandler.is_allowed(request, lockout.credentials_for(user))


def record_failure(request: HttpRequest, user: Any) -> bool:
    """Count a wrong code like a wrong password (same account key, same limits); True when it locked."""
    user_login_failed.send(sender=__name__, credentials=lockout.credentials_for(user), request=request)
    return bool(getattr(request, "axes_locked_out", False))


def lockout_response(request: HttpRequest, user: Any) -> HttpResponse:
    """The "blocked for a while" page (429), as for a locked password step."""
    from axes.helpers import get_lockout_response

    return get_lockout_response(request, credentials=lockout.credentials_for(user))


def forget_failures(request: HttpRequest, user: Any) -> None:
    lockout.forget_failures(request, user)
