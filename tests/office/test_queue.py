"""Queues: scope, filters, ordering by deadline, search, keyset pagination, anonymous identity."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from balai.cases import queue as selectors
from balai.cases.models import Case
from tests.office.conftest import force_state, office_login

pytestmark = pytest.mark.django_db


def _codes(response) -> list[str]:
    return [row["case"].tracking_code for row in response.context["rows"]]


def test_queue_shows_my_units_cases_by_deadline(client, world, submit):
    a = submit(title="Izin A")
    b = submit(title="Izin B")
    other = submit("ict_request", title="Printer rusak")  # Diskominfo, not this unit
    Case.objects.filter(pk=a.pk).update(due_at=timezone.now() + timedelta(days=9))
    Case.objects.filter(pk=b.pk).update(due_at=timezone.now() + timedelta(days=2))
    office_login(client, world.staff["operator"])
    response = client.get(reverse("office:queue"))
    assert response.status_code == 200
    codes = _codes(response)
    assert codes == [b.tracking_code, a.tracking_code]
    assert other.tracking_code not in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"


def test_my_queue_lists_only_assigned_cases(client, world, submit):
    mine = submit(title="Punya saya")
    submit(title="Bukan punya saya")
    Case.objects.filter(pk=mine.pk).update(assignee=world.staff["operator"])
    office_login(client, world.staff["operator"])
    assert _codes(client.get(reverse("office:my_queue"))) == [mine.tracking_code]


@pytest.mark.parametrize(("query", "expected"), [
    ({"kind": "complaint"}, {"complaint", "anon"}),
    ({"status": "verified"}, {"verified"}),
    ({"channel": "sms"}, {"sms"}),
    ({"confidentiality": "anonymous"}, {"anon"}),
    ({"accommodation": "any"}, {"acc"}),
    ({"accommodation": "sign_language"}, {"acc"}),
    ({"accommodation": "wheelchair"}, set()),
    ({"deadline": "breached"}, {"late"}),
    ({"deadline": "due_soon"}, {"soon"}),
    ({"state": "closed"}, {"closed"}),
])
def test_filters(client, world, submit, query, expected):
    world.service.channels = [*world.service.channels, "sms"]  # a service request by SMS (catalog.offered_on)
    world.service.save()
    made = {
        "complaint": submit("complaint", title="Jalan rusak"),
        "verified": force_state(submit(title="Sudah verifikasi"), "verified"),
        "sms": submit(title="Dari SMS", channel="sms"),
        "anon": submit("complaint", title="Rahasia", confidentiality="anonymous"),
        "acc": submit(title="Butuh juru bahasa", accommodations=["sign_language"]),
        "late": submit(title="Terlambat"),
        "soon": submit(title="Segera"),
        "closed": force_state(submit(title="Selesai"), "completed"),
    }
    Case.objects.filter(pk=made["late"].pk).update(breached_at=timezone.now(), due_at=timezone.now() - timedelta(days=1))
    Case.objects.filter(pk=made["soon"].pk).update(due_soon=True)
    office_login(client, world.staff["head"])
    codes = set(_codes(client.get(reverse("office:queue"), query)))
    assert codes == {made[k].tracking_code for k in expected}


def test_service_category_and_region_filters(client, world, submit):
    from tests.factories import RegionFactory

    samarinda = RegionFactory(code="64.72", name="Samarinda", level="city")
    village = RegionFactory(code="64.72.01.1001", name="Kelurahan", level="urban_village", parent=samarinda)
    service_case = submit(title="Layanan")
    complaint = submit("complaint", title="Aduan", region=village)
    office_login(client, world.staff["head"])
    assert _codes(client.get(reverse("office:queue"), {"service": world.service.pk})) == [service_case.tracking_code]
    assert _codes(client.get(reverse("office:queue"), {"category": world.category.pk})) == [complaint.tracking_code]
    assert _codes(client.get(reverse("office:queue"), {"region": samarinda.pk})) == [complaint.tracking_code]


def test_search_by_code_and_words(client, world, submit):
    a = submit(title="Sertifikat halal usaha", description="Mohon dibantu")
    b = submit(title="Izin reklame", description="Papan di jalan Pahlawan")
    office_login(client, world.staff["operator"])
    assert _codes(client.get(reverse("office:queue"), {"q": a.tracking_code.lower().replace("-", " ")})) == [a.tracking_code]
    assert _codes(client.get(reverse("office:queue"), {"q": "reklame"})) == [b.tracking_code]
    assert _codes(client.get(reverse("office:queue"), {"q": "pahlawan"})) == [b.tracking_code]


def test_search_for_a_phone_number_never_points_at_an_anonymous_case(client, world, submit):
    submit("complaint", title="Pungli", description="Hubungi saya 081234567890", confidentiality="anonymous")
    office_login(client, world.staff["head"])
    assert _codes(client.get(reverse("office:queue"), {"q": "081234567890"})) == []


def test_bad_filter_values_are_shown_not_a_500(client, world, submit):
    submit()
    office_login(client, world.staff["operator"])
    response = client.get(reverse("office:queue"), {"kind": "nonsense", "service": "abc", "after": "%%%"})
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    assert len(response.context["rows"]) == 1


def test_keyset_pagination_walks_every_case_once_both_ways(world, submit):
    cases = [submit(title=f"Berkas {i}") for i in range(7)]
    base = timezone.now()
    # Ties on due_at and a NULL deadline: the id breaks ties, NULLs come last.
    for i, case in enumerate(cases):
        due = None if i == 6 else base + timedelta(days=i // 2)
        Case.objects.filter(pk=case.pk).update(due_at=due)
    qs = selectors.base_queue(user=world.staff["operator"])
    expected = [c.pk for c in qs.order_by("due_at", "id") if c.due_at] + [cases[6].pk]
    seen, pages, cursor = [], [], ""
    while True:
        page = selectors.queue_page(qs, after=cursor, size=3)
        pages.append(page)
        seen += [c.pk for c in page.cases]
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert seen == expected
    assert len(pages) == 3 and pages[0].prev_cursor is None
    back = selectors.queue_page(qs, before=pages[2].prev_cursor, size=3)
    assert [c.pk for c in back.cases] == [c.pk for c in pages[1].cases]
    assert back.next_cursor and back.prev_cursor
    first = selectors.queue_page(qs, before=back.prev_cursor, size=3)
    assert [c.pk for c in first.cases] == [c.pk for c in pages[0].cases] and first.prev_cursor is None
    newest = selectors.queue_page(qs, sort="newest", size=10)
    assert [c.pk for c in newest.cases] == [c.pk for c in qs.order_by("-submitted_at", "-id")]


def test_count_is_capped(world, submit, monkeypatch):
    for i in range(4):
        submit(title=f"Berkas {i}")
    qs = selectors.base_queue(user=world.staff["operator"])
    assert selectors.capped_count(qs, cap=3) == (3, True)
    assert selectors.capped_count(qs, cap=10) == (4, False)


def test_pagination_links_keep_filters(client, world, submit):
    for i in range(selectors.PAGE_SIZE + 2):
        submit(title=f"Berkas {i}")
    office_login(client, world.staff["operator"])
    response = client.get(reverse("office:queue"), {"kind": "service_request"})
    html = response.content.decode()
    assert 'rel="next"' in html and "kind=service_request" in html
    nxt = response.context["page"].next_cursor
    second = client.get(reverse("office:queue"), {"kind": "service_request", "after": nxt})
    assert len(second.context["rows"]) == 2


def test_anonymous_identity_never_in_the_queue(client, world, submit):
    submit("complaint", title="Pungli di loket, hubungi 081299887766", confidentiality="anonymous",
           contact_name="Rahasia Sekali", contact_phone="0812-9988-7766", contact_email="rahasia@contoh.id")
    office_login(client, world.staff["head"])
    html = client.get(reverse("office:queue")).content.decode()
    assert "Pungli di loket" in html
    for secret in ("Rahasia Sekali", "081299887766", "+6281299887766", "rahasia@contoh.id"):
        assert secret not in html


@pytest.mark.postgres
def test_full_text_search_uses_the_gin_index(world, submit):
    from django.db import connection

    submit(title="Sertifikat halal")
    qs = selectors.apply_filters(Case.objects.all(), selectors.QueueFilters(state="all", search="halal"))
    assert [c.title for c in qs] == ["Sertifikat halal"]
    with connection.cursor() as cursor:
        # A handful of rows: make the planner show whether the GIN index CAN serve this expression (plain
        # scans of other indexes, e.g. submitted_at for the ordering, would win on a tiny table).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        sql, params = qs.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "office_case_search" in plan, plan
