import pytest

from tests.portal.factories import build_catalog


@pytest.fixture
def catalog(db) -> dict:
    return build_catalog()
