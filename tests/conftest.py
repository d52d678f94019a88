"""Shared fixtures. Domain fixtures live in tests/factories.py (factory_boy)."""

from __future__ import annotations

import pytest
from django.db import connection


@pytest.fixture
def is_postgres() -> bool:
    return connection.vendor == "postgresql"


@pytest.fixture(autouse=True)
def _fresh_worktime_cache():
    """Calendar rows a test created are rolled back: do not let the in-process calendar cache keep them."""
    from balai.worktime.calendar import clear_cache

    clear_cache()
    yield
    clear_cache()


@pytest.fixture(autouse=True)
def _fresh_memos():
    """Reference rows a test created are rolled back without signals: empty the per-process memos."""
    from balai.memo import clear_all

    clear_all()
    yield
    clear_all()


@pytest.fixture(autouse=True)
def _fresh_page_cache_memory():
    """Pages kept in this process's memory belong to the test that rendered them (ADR 0044)."""
    from balai.pagecache import GENERATIONS, LOCAL

    LOCAL.clear()
    GENERATIONS.forget()
    yield
    LOCAL.clear()
    GENERATIONS.forget()


@pytest.fixture(autouse=True)
def _default_language():
    """A test that activates English (directly or through a request handled in-process) must not leave it
    active for the next test in the same worker: `reverse()` would then produce /en/ addresses."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Real hashers cost ~0.3 s per password; tests do not test the hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_collection_modifyitems(config, items):
    """Skip tests marked `postgres` when running on SQLite; run `cluster` tests only when asked for
    (`-m cluster`, `make cluster-test`): they start nginx, two web nodes and two workers."""
    wants_cluster = "cluster" in (config.getoption("markexpr", "") or "")
    skip_cluster = pytest.mark.skip(reason="cluster test: run it with -m cluster (make cluster-test)")
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL (run with DATABASE_URL=postgres://...)")
    for item in items:
        if "cluster" in item.keywords and not wants_cluster:
            item.add_marker(skip_cluster)
        elif "postgres" in item.keywords and connection.vendor != "postgresql":
            item.add_marker(skip_pg)
