"""Demo step: one API client application and one staff token with FIXED, PUBLIC keys (listed in README).

Demo mode only (`settings.DEMO_MODE`): a fixed key is a published secret, never acceptable in production
(the services refuse a chosen key outside demo mode). Created and kept through the audited services, so
the demo's audit chain shows them as any other key (ADR 0015).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings

from balai.ops.demo.people import VIA
from balai.people.models import ClientApplication, User
from balai.people.services import CLIENT_SCOPES, client_application_create, client_application_update

DEMO_CLIENT_KEY = "blk_demo2026_coba-api-balai-kaltim-tanpa-rahasia"  # noqa: S105 - public demo key
# A second client with queued intake (ADR 0014): answers 202 + token, the worker registers the case.
DEMO_QUEUED_KEY = "blk_demoqueue_coba-antrean-balai-tanpa-rahasia"  # noqa: S105 - public demo key
DEMO_STAFF_TOKEN = "bst_demo2026_token-petugas-demo-tanpa-rahasia"  # noqa: S105 # nosec B105 # public demo token
DEMO_STAFF_EMAIL = "operator@demo.balai.id"


def _client(*, name: str, key: str, queued: bool, log: Callable[[str], None]) -> None:
    """The demo client holding `key`, registered and kept through the audited services (ADR 0015)."""
    prefix = key.split("_")[1]
    settings_ = {"name": name, "contact_email": "demo@demo.balai.id", "scopes": list(CLIENT_SCOPES),
                 "rate_limit_per_minute": 120, "queued_intake": queued}
    client = ClientApplication.objects.filter(key_prefix=prefix).first()
    if client is None:
        client_application_create(**settings_, key=key, via=VIA)
    elif client.revoked_at is not None:
        log(f"  client application {client.name}: revoked, left as it is")
        return
    else:
        client_application_update(client=client, actor=None, **settings_, is_active=True, via=VIA)
    log(f"  client application {name}: key {key}")


def load(*, log: Callable[[str], None]) -> None:
    if not settings.DEMO_MODE:
        log("  skipped: not in demo mode")
        return
    from balai.api.models import StaffToken
    from balai.api.services import staff_token_create

    _client(name="Aplikasi Demo", key=DEMO_CLIENT_KEY, queued=False, log=log)
    _client(name="Sistem Demo (antrean)", key=DEMO_QUEUED_KEY, queued=True, log=log)
    user = User.objects.filter(email=DEMO_STAFF_EMAIL).first()
    if user is None:
        log("  no demo operator: staff token skipped")
        return
    token = StaffToken.objects.filter(key_prefix=DEMO_STAFF_TOKEN.split("_")[1]).first()
    if token is None:
        staff_token_create(user=user, name="Token demo", key=DEMO_STAFF_TOKEN, via=VIA)
    elif token.revoked_at is not None:
        log("  staff token: revoked, left as it is")
        return
    log(f"  staff token for {DEMO_STAFF_EMAIL}: {DEMO_STAFF_TOKEN}")
