"""The staff search finds only what the officer may read (balai.cases.search, ADR 0016).

An anonymous citizen who typed their name and phone into the complaint is shown to officers as
"[nama disembunyikan]" and "[telepon disembunyikan]"; a search for the name, or for a piece of the phone
number, used to list the case all the same, and so named the reporter. Runs on SQLite and PostgreSQL
(full-text search there); the `postgres` tests look at the index and the stored vector themselves.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from balai.cases import queue as selectors
from balai.cases.models import Case
from balai.cases.visibility import case_view
from tests.cases.conftest import submit, world  # noqa: F401 - fixtures
from tests.office.conftest import office_login

pytestmark = pytest.mark.django_db

NAME = "Siti Nurhaliza"
PHONE = "0813-4777-2198"
HIDDEN_TERMS = ("Nurhaliza", "Siti Nurhaliza", "nurhaliza", "4777-2198", "0813-4777", "4777", "47772198",
                "081347772198", "+6281347772198", "0813 4777 2198")


@pytest.fixture
def anonymous(world, submit):  # noqa: F811 - the fixture above
    return submit("complaint", confidentiality="anonymous", contact_name=NAME, contact_phone=PHONE,
                  title="Pungli di loket perizinan",
                  description=f"Saya {NAME}, HP {PHONE}. Petugas meminta uang tambahan di loket tiga.")


def _queue_codes(client, term: str) -> list[str]:
    response = client.get(reverse("office:queue"), {"q": term, "state": "all"})
    assert response.status_code == 200
    return [row["case"].tracking_code for row in response.context["rows"]]


def test_officers_read_the_case_masked(world, anonymous):  # noqa: F811
    view = case_view(case=anonymous, viewer=world.staff["head"])
    assert "[nama disembunyikan]" in view.description or "[name hidden]" in view.description
    assert NAME not in view.description and "4777" not in view.description


def test_searching_the_name_or_part_of_the_phone_does_not_find_the_anonymous_case(client, world, anonymous):  # noqa: F811
    office_login(client, world.staff["head"])
    for term in HIDDEN_TERMS:
        assert _queue_codes(client, term) == [], term


def test_the_masked_text_and_the_code_are_still_searchable(client, world, anonymous):  # noqa: F811
    office_login(client, world.staff["head"])
    assert _queue_codes(client, "loket") == [anonymous.tracking_code]
    assert _queue_codes(client, "Pungli") == [anonymous.tracking_code]
    assert _queue_codes(client, anonymous.tracking_code) == [anonymous.tracking_code]


def test_a_named_case_is_still_found_by_the_citizens_name(client, world, submit, anonymous):  # noqa: F811
    named = submit("complaint", contact_name=NAME, contact_phone=PHONE, title="Jalan rusak",
                   description=f"Saya {NAME}, HP {PHONE}.")
    office_login(client, world.staff["head"])
    assert _queue_codes(client, "Nurhaliza") == [named.tracking_code]


def test_every_queue_search_uses_the_same_rule(world, anonymous):  # noqa: F811
    # One queue implementation (`balai.cases.queue`) for the workspace, the staff API and the inspectorate.
    for term in HIDDEN_TERMS:
        qs = selectors.apply_filters(Case.objects.all(), selectors.QueueFilters(state="all", search=term))
        assert list(qs) == [], term
        qs = selectors.apply_filters(selectors.base_queue(user=world.staff["head"]),
                                     selectors.QueueFilters(state="all", search=term))
        assert list(qs) == [], term
    assert list(selectors.apply_filters(Case.objects.all(), selectors.QueueFilters(state="all", search="loket"))) \
        == [anonymous]


def test_the_stored_search_text_is_what_officers_read(world, anonymous):  # noqa: F811
    from balai.cases.search import search_text_for

    view = case_view(case=anonymous, viewer=world.staff["head"])
    assert anonymous.search_text == f"{view.title}\n{view.description}"
    assert search_text_for(title="x", description="y", contact_name=NAME, confidentiality="public") == ""


@pytest.mark.postgres
def test_postgres_vector_of_an_anonymous_case_holds_no_identity(world, anonymous):  # noqa: F811
    from balai.cases.search import SEARCH_VECTOR_SQL

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {SEARCH_VECTOR_SQL}::text FROM cases_case WHERE id = %s", [anonymous.pk])  # noqa: S608
        vector = cursor.fetchone()[0]
    assert "'loket'" in vector
    for token in ("nurhaliza", "siti", "4777", "2198", "0813"):
        assert token not in vector, (token, vector)


@pytest.mark.postgres
def test_postgres_search_uses_the_gin_index_over_the_masked_text(world, anonymous):  # noqa: F811
    qs = selectors.apply_filters(Case.objects.all(), selectors.QueueFilters(state="all", search="loket"))
    assert list(qs) == [anonymous]
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'office_case_search'")
        assert "search_text" in cursor.fetchone()[0]
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        sql, params = qs.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "office_case_search" in plan, plan
