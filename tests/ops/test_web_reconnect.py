"""The web process answers the first request after the database dropped its connections (persistent
connections are health-checked before their first use in a request: CONN_HEALTH_CHECKS, ADR 0021)."""

from __future__ import annotations

import urllib.request

import pytest
from django.conf import settings
from django.db import connection

from tests.ops.processes import admin_connection, child_env, free_port, kill_other_backends, web_process

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_persistent_connections_are_health_checked():
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


def get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - 127.0.0.1 only
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_the_first_request_after_the_database_dropped_its_connections_succeeds(tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    connection.ensure_connection()
    # One gunicorn worker with production's persistent connections: every request reuses one session.
    with web_process(tmp_path / "web.log", port=port, env=child_env(DB_CONN_MAX_AGE="60")), \
            admin_connection() as admin:
        assert get(base + "/api/v1/services/") == 200
        # the web worker's session (and any other left on the test database), as a database restart does
        assert kill_other_backends(admin) >= 1
        assert get(base + "/api/v1/services/") == 200  # not a 500
        assert get(base + "/healthz") == 200
