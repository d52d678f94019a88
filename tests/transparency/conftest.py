"""Transparency tests reuse the case-engine world; helpers to dump and compare the roll-ups."""

from __future__ import annotations

from typing import Any

import pytest

from balai.transparency.models import MEASURES, CaseFact, RollupCell
from tests.cases.conftest import submit, world  # noqa: F401  (fixtures)


@pytest.fixture(autouse=True)
def _service_on_every_channel(request):
    """The figures are split by channel, so the test services take requests on every channel
    (`Service.channels` empty: `catalog.selectors.offered_on`)."""
    if "world" in request.fixturenames:
        world = request.getfixturevalue("world")
        for service in (world.service, world.ict_service):
            service.channels = []
            service.save(update_fields=["channels"])


def dump_cells() -> dict[str, dict[str, Any]]:
    out = {}
    for cell in RollupCell.objects.all():
        out[cell.key] = {"government_id": cell.government_id, "month": cell.month.isoformat(),
                         "hist": {k: v for k, v in cell.close_hist.items() if v},
                         **{m: getattr(cell, m) for m in MEASURES}}
    return out


def dump_facts() -> dict[int, dict[str, Any]]:
    return {f.case_id: f.data for f in CaseFact.objects.all()}
