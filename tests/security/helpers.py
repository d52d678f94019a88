"""Shared data for the security tests: an agency administrator as the demo has one, a superuser."""

from __future__ import annotations

from django.contrib.auth.models import Permission

from tests.factories import MembershipFactory, StaffFactory, UnitFactory

# The Django model permissions the demo gives its agency administrator (balai/ops/demo/people.py).
DEMO_ADMIN_APPS = ("agencies", "catalog", "people", "worktime")
PASSWORD = "rahasia-demo-123"  # tests/factories.py


def agency_admin(unit=None):
    """An agency's administrator holding every model permission of the demo's administrator."""
    user = StaffFactory(full_name="Sri Admin", email="sri.admin@example.go.id")
    MembershipFactory(user=user, unit=unit or UnitFactory(), role="admin")
    user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=DEMO_ADMIN_APPS))
    return user


def superuser():
    return StaffFactory(full_name="Super Admin", email="super@example.go.id", is_superuser=True)


def user_change_data(user, **overrides) -> dict:
    """What the admin's user change form posts for ``user`` as it is (overrides change fields)."""
    data = {
        "email": user.email or "",
        "phone": user.phone or "",
        "full_name": user.full_name,
        "nik": "",
        "preferred_language": user.preferred_language,
        "preferred_channel": user.preferred_channel,
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    for flag in ("is_active", "is_staff", "is_superuser"):
        if getattr(user, flag):
            data[flag] = "on"
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}
