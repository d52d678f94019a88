"""Signing a test client in the way staff are: password AND a verified second factor.

`verified_login(client, user)` gives the session what /kantor/masuk/ gives after the code (a confirmed TOTP
device marked as the one that verified it) without typing either; `/kantor/` and `/admin/` both need it.
"""

from __future__ import annotations

from typing import Any

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice


def totp_device(user: Any, *, key: str | None = None) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        kwargs = {"key": key} if key else {}
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True, **kwargs)
    return device


def verified_login(client: Any, user: Any) -> Any:
    """Sign `client` in as `user` with a verified second factor."""
    device = totp_device(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
