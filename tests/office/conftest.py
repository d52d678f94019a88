"""Fixtures for the staff-workspace tests: the case engine's `world` and `submit`, plus signed-in staff.

`office_login(client, user)` signs a test client in as a staff user with a verified second factor
(no password or code typed); `totp_token(device)` computes the current code of a TOTP device.
"""

from __future__ import annotations

from typing import Any

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.cases.conftest import World, force_state, submit, wita, world  # noqa: F401 - fixtures re-exported
from tests.otp import totp_device, verified_login  # noqa: F401 - re-exported


def totp_token(device: TOTPDevice, *, offset: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):0{device.digits}d}"


def office_login(client: Any, user: Any) -> Any:
    """Sign `client` in as `user` with a verified second factor."""
    return verified_login(client, user)


@pytest.fixture
def staff_client(client):
    """A factory: staff_client(user) -> the test client signed in as that user (verified)."""

    def make(user: Any) -> Any:
        return office_login(client, user)

    return make
