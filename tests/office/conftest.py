"""Fixtures for the staff-workspace tests: the case engine's `world` and `submit`, plus signed-in staff.

`office_login(client, user)` signs a test client in as a staff user with a verified second factor
(no password or code typed); `totp_token(device)` computes the current code of a TOTP device.
"""

from __future__ import annotations

from typing import Any

import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.cases.conftest import World, force_state, submit, wita, world  # noqa: F401 - fixtures re-exported


def totp_device(user: Any, *, key: str | None = None) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        kwargs = {"key": key} if key else {}
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True, **kwargs)
    return device


def totp_token(device: TOTPDevice, *, offset: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):0{device.digits}d}"


def office_login(client: Any, user: Any) -> Any:
    """Sign `client` in as `user` with a verified second factor."""
    device = totp_device(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def staff_client(client):
    """A factory: staff_client(user) -> the test client signed in as that user (verified)."""

    def make(user: Any) -> Any:
        return office_login(client, user)

    return make
