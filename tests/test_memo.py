"""balai/memo.py: answers are kept a few seconds, and forgotten at once when a watched row changes."""

from __future__ import annotations

import pytest

from balai import memo as memo_module
from balai.agencies.selectors import region_by_code
from balai.catalog.selectors import complaint_category_by_slug, route_complaint
from balai.notify.rendering import resolve_template
from tests.factories import AgencyFactory, ComplaintCategoryFactory, RegionFactory, UnitFactory


def test_an_answer_is_kept_for_ttl_seconds_then_read_again(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(memo_module.time, "monotonic", lambda: now[0])
    memo = memo_module.Memo("test", watch=(), ttl=5.0)
    loads = []

    def load():
        loads.append(1)
        return len(loads)

    assert memo.get("k", load) == 1
    now[0] += 4.9
    assert memo.get("k", load) == 1
    now[0] += 0.2
    assert memo.get("k", load) == 2
    memo_module._MEMOS.remove(memo)


@pytest.mark.django_db
def test_a_deactivated_category_is_refused_at_once(django_assert_num_queries):
    category = ComplaintCategoryFactory(slug="jalan")
    assert complaint_category_by_slug("jalan") == category
    with django_assert_num_queries(0):
        assert complaint_category_by_slug("jalan").is_active
    category.is_active = False
    category.save()
    assert complaint_category_by_slug("jalan").is_active is False
    assert complaint_category_by_slug("no-such") is None


@pytest.mark.django_db
def test_a_new_route_applies_at_once():
    from balai.catalog.models import ComplaintRoute

    category = ComplaintCategoryFactory()
    region = RegionFactory(code="64.72")
    assert route_complaint(category, region)[0] == category.agency
    other = AgencyFactory()
    ComplaintRoute.objects.create(category=category, region=region, agency=other,
                                  unit=UnitFactory(agency=other))
    assert route_complaint(category, region)[0] == other
    assert region_by_code("64.72") == region


@pytest.mark.django_db
def test_an_edited_template_applies_at_once():
    from balai.notify.models import MessageTemplate

    assert resolve_template(event="received", channel="sms", language="id").version.startswith("default:")
    tpl = MessageTemplate.objects.create(event="received", channel="sms", language="id", body="Diterima {code}")
    assert resolve_template(event="received", channel="sms", language="id").body == "Diterima {code}"
    tpl.is_active = False
    tpl.save()
    assert resolve_template(event="received", channel="sms", language="id").version.startswith("default:")
