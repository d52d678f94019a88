"""A searched page of the register or the archive is the same whichever way the selector reads it (a probe
of the search index for a rare word, the date index for a common one; balai.ppid.selectors._searched_page),
and the register's list of years is remembered but follows changes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from balai.ppid import selectors
from balai.ppid.models import ArchiveEntry, InformationItem
from balai.ppid.services import item_review, item_update
from tests.cases.conftest import wita
from tests.ppid.helpers import approved_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(world):
    made = []
    for n in range(7):
        made.append(approved_item(world.agency, title=f"Laporan puskesmas {n}", at=wita(2026, 1, 1 + n, 9)))
    approved_item(world.agency, title="Rencana kerja", at=wita(2026, 2, 1, 9))
    # two items updated at the same moment: the id breaks the tie, newest id first
    InformationItem.objects.filter(pk__in=[made[2].pk, made[3].pk]).update(content_updated_at=wita(2026, 1, 20, 9))
    return made


@pytest.mark.parametrize("probe", [2, 3, 7, 8, 2000])
def test_register_search_page_is_the_same_with_a_small_or_a_large_probe(items, monkeypatch, probe):
    expected = [i.pk for i in selectors.public_items(q="puskesmas")]
    assert len(expected) == 7 and expected[:2] == [items[3].pk, items[2].pk]
    monkeypatch.setattr(selectors, "SEARCH_PROBE", probe)
    for offset, limit in ((0, 3), (3, 3), (6, 3), (0, 26), (9, 3)):
        page = selectors.public_items_page(q="puskesmas", offset=offset, limit=limit)
        assert [i.pk for i in page] == expected[offset:offset + limit], (probe, offset)
    assert selectors.public_items_page(q="tidakada") == []


@pytest.mark.parametrize("probe", [1, 2, 2000])
def test_archive_search_and_similar_requests_with_a_small_or_a_large_probe(world, submit, monkeypatch, probe):
    for n in range(4):
        case = submit("information_request", title="Anggaran puskesmas", description=f"Anggaran puskesmas {n}",
                      submitted_at=wita(2026, 3, 2 + n, 9))
        ArchiveEntry.objects.create(case=case, government=world.government, agency=world.agency,
                                    question=f"Mohon anggaran puskesmas {n}", answer="Terlampir.", outcome="granted",
                                    submitted_at=case.submitted_at, answered_at=case.submitted_at + timedelta(days=n),
                                    legal_days=10, on_time=True, online=True, status="published")
    expected = [e.pk for e in selectors.public_archive(q="puskesmas")]
    assert len(expected) == 4
    monkeypatch.setattr(selectors, "SEARCH_PROBE", probe)
    assert [e.pk for e in selectors.public_archive_page(q="puskesmas", offset=1, limit=2)] == expected[1:3]
    assert [e.pk for e in selectors.similar_requests("anggaran puskesmas", limit=3)] == expected[:3]


def test_register_years_follow_a_change(world, items):
    assert selectors.register_years() == [2026]
    item = item_update(actor=None, item=items[0], values={"year": 2025})
    item_review(actor=None, item=item, approve=True)
    assert selectors.register_years() == [2026, 2025]
