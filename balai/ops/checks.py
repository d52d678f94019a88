"""Production refuses a database that holds demo accounts or demo keys (their secrets are public). ADR 0017.

Two ways in, both querying only when asked, never at import time:
- a Django system check tagged `database` (`manage.py check --database default`, and every `migrate`,
  which runs database checks: a production database with demo data cannot even be migrated);
- `refuse_demo_data_in_production()`, called when a production process starts serving: the WSGI
  application (`balai/wsgi.py`, so gunicorn) and the worker (`manage.py run_worker`).

A table that does not exist yet (an empty database before its first `migrate`) holds no demo data.
"""

from __future__ import annotations

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connections


def demo_data_found(using: str = "default") -> list[str]:
    """What of the demo data (`balai.ops.demo`) is in the database, e.g. ["3 demo accounts"]; [] if none."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from balai.api.models import StaffToken
    from balai.ops.demo.api import DEMO_CLIENT_KEY, DEMO_QUEUED_KEY, DEMO_STAFF_TOKEN
    from balai.ops.demo.office import DOMAIN, TOTP_SECRETS, hex_key
    from balai.people.models import ClientApplication, User
    from balai.people.services import hash_api_key

    tables = set(connections[using].introspection.table_names())
    queries = (
        ("demo accounts", User, lambda qs: qs.filter(email__iendswith="@" + DOMAIN)),
        ("demo client keys", ClientApplication,
         lambda qs: qs.filter(key_hash__in=[hash_api_key(DEMO_CLIENT_KEY), hash_api_key(DEMO_QUEUED_KEY)])),
        ("demo staff tokens", StaffToken, lambda qs: qs.filter(key_hash=hash_api_key(DEMO_STAFF_TOKEN))),
        ("second-factor devices with a public demo secret", TOTPDevice,
         lambda qs: qs.filter(key__in=[hex_key(s) for s in TOTP_SECRETS.values()])),
    )
    found = []
    for label, model, narrow in queries:
        if model._meta.db_table not in tables:
            continue
        count = narrow(model.objects.using(using)).count()
        if count:
            found.append(f"{count} {label}")
    return found


def _message(found: list[str]) -> str:
    return (f"This production database holds demo data whose secrets are public ({', '.join(found)}). "
            "Use a database without demo data, or delete those rows, before starting in production.")


@checks.register(checks.Tags.database, checks.Tags.security)
def check_no_demo_data(app_configs=None, databases=None, **kwargs) -> list[checks.CheckMessage]:
    if not getattr(settings, "PRODUCTION", False) or not databases:
        return []
    errors = []
    for alias in databases:
        try:
            found = demo_data_found(alias)
        except DatabaseError as exc:
            errors.append(checks.Warning(f"Could not look for demo data: {exc}", id="balai.W001"))
            continue
        if found:
            errors.append(checks.Error(_message(found), id="balai.E001"))
    return errors


def refuse_demo_data_in_production() -> None:
    """Raise ImproperlyConfigured in production when the database holds demo data; nothing elsewhere."""
    if not getattr(settings, "PRODUCTION", False):
        return
    found = demo_data_found()
    if found:
        raise ImproperlyConfigured("Refusing to start: " + _message(found))
