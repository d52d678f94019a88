"""Demo step: one API client application and one staff token with FIXED, PUBLIC keys (listed in README).

Demo mode only (`settings.DEMO_MODE`): a fixed key is a published secret, never acceptable in production.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings

from balai.people.models import ClientApplication, User
from balai.people.services import CLIENT_SCOPES, hash_api_key

DEMO_CLIENT_KEY = "blk_demo2026_coba-api-balai-kaltim-tanpa-rahasia"  # noqa: S105 - public demo key
# A second client with queued intake (ADR 0014): answers 202 + token, the worker registers the case.
DEMO_QUEUED_KEY = "blk_demoqueue_coba-antrean-balai-tanpa-rahasia"  # noqa: S105 - public demo key
DEMO_STAFF_TOKEN = "bst_demo2026_token-petugas-demo-tanpa-rahasia"  # noqa: S105 # nosec B105 # public demo token
DEMO_STAFF_EMAIL = "operator@demo.balai.id"


def load(*, log: Callable[[str], None]) -> None:
    if not settings.DEMO_MODE:
        log("  skipped: not in demo mode")
        return
    from balai.api.models import StaffToken

    for prefix, name, key, queued in (("demo2026", "Aplikasi Demo", DEMO_CLIENT_KEY, False),
                                      ("demoqueue", "Sistem Demo (antrean)", DEMO_QUEUED_KEY, True)):
        client = ClientApplication.objects.filter(key_prefix=prefix).first() or ClientApplication(key_prefix=prefix)
        client.name = name
        client.contact_email = "demo@demo.balai.id"
        client.key_hash = hash_api_key(key)
        client.scopes = list(CLIENT_SCOPES)
        client.rate_limit_per_minute = 120
        client.queued_intake = queued
        client.is_active, client.revoked_at = True, None
        client.save()
        log(f"  client application {client.name}: key {key}")
    user = User.objects.filter(email=DEMO_STAFF_EMAIL).first()
    if user is None:
        log("  no demo operator: staff token skipped")
        return
    StaffToken.objects.update_or_create(
        key_prefix="demo2026",
        defaults={"user": user, "name": "Token demo", "key_hash": hash_api_key(DEMO_STAFF_TOKEN), "revoked_at": None},
    )
    log(f"  staff token for {DEMO_STAFF_EMAIL}: {DEMO_STAFF_TOKEN}")
