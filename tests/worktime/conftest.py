"""Worktime fixtures (the calendar cache is emptied around every test by tests/conftest.py)."""

from __future__ import annotations

import pytest

from tests.factories import GovernmentFactory, RegionFactory


@pytest.fixture
def kaltim(db):
    return GovernmentFactory()


@pytest.fixture
def samarinda(db):
    region = RegionFactory(code="64.72", name="Kota Samarinda", level="city")
    return GovernmentFactory(region=region, name="Pemerintah Kota Samarinda", short_name="Pemkot Samarinda")
