"""Shared fixtures. Domain fixtures live in tests/factories.py (factory_boy)."""

from __future__ import annotations

import pytest
from django.db import connection


@pytest.fixture
def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def pytest_collection_modifyitems(config, items):
    """Skip tests marked `postgres` when running on SQLite."""
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (run with DATABASE_URL=postgres://...)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)
