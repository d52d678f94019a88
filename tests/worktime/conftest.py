"""Worktime fixtures: an empty calendar cache around every test (rolled-back rows must not linger)."""

from __future__ import annotations

import pytest

from balai.worktime import calendar
from tests.factories import GovernmentFactory, RegionFactory


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    calendar.clear_cache()
    yield
    calendar.clear_cache()


@pytest.fixture
def kaltim(db):
    return GovernmentFactory()


@pytest.fixture
def samarinda(db):
    region = RegionFactory(code="64.72", name="Kota Samarinda", level="city")
    return GovernmentFactory(region=region, name="Pemerintah Kota Samarinda", short_name="Pemkot Samarinda")
