"""Second factor for staff as the workspace's pages need it: the enrolment QR code and key, and the sign-in
lockout as the second-factor step sees it (`balai.people.lockout`). Devices and backup codes themselves
(queries, writes, audit) are `balai.people.second_factor`."""

from __future__ import annotations

import base64
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django_otp.plugins.otp_totp.models import TOTPDevice

from balai.people import lockout
from balai.people.second_factor import (
    BACKUP_CODE_COUNT,
    BACKUP_DEVICE_NAME,
    TOTP_DEVICE_NAME,
    confirm_enrolment,
    confirmed_totp,
    has_second_factor,
    new_backup_codes,
    pending_totp,
    remaining_backup_codes,
    verify_second_factor,
)

__all__ = [  # the second factor itself lives in `balai.people.second_factor`; the workspace's pages use these
    "BACKUP_CODE_COUNT", "BACKUP_DEVICE_NAME", "TOTP_DEVICE_NAME", "confirm_enrolment", "confirmed_totp",
    "has_second_factor", "new_backup_codes", "pending_totp", "remaining_backup_codes", "verify_second_factor",
    "base32_secret", "grouped", "qr_svg", "issuer", "is_locked_out", "record_failure", "lockout_response",
    "forget_failures",
]


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
