"""Public figures and open data read from the replica; a visitor who just wrote reads from the primary
(ADR 0022). The replica alias points at the test database itself: the test checks where queries go."""

from __future__ import annotations

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from balai.dbrouter import PIN_COOKIE, ReplicaRouter, _Route, _route
from balai.people.models import User
from tests.factories import GovernmentFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def replica(settings):
    """A `replica` alias on the same database, with the router and middleware the settings add when
    DATABASE_REPLICA_URL is set."""
    GovernmentFactory()
    connections.settings["replica"] = {**connections.settings["default"], "CONN_MAX_AGE": None,
                                       "TEST": {"MIRROR": "default"}}
    connections["replica"].connect()  # opened here: pytest-django's guard only stops connections it opens
    settings.DATABASE_ROUTERS = ["balai.dbrouter.ReplicaRouter"]
    settings.MIDDLEWARE = ["balai.dbrouter.ReplicaRoutingMiddleware", *settings.MIDDLEWARE]
    settings.BALAI_REPLICA_PIN_SECONDS = 10
    yield connections["replica"]
    connections["replica"].close()
    del connections.settings["replica"]
    if hasattr(connections._connections, "replica"):
        delattr(connections._connections, "replica")


def queries_on(alias: str):
    return CaptureQueriesContext(connections[alias])


def test_public_figures_and_open_data_read_from_the_replica(client, replica):
    for path in ("/kinerja/", "/data/"):
        with queries_on("replica") as on_replica, queries_on("default") as on_primary:
            assert client.get(path).status_code == 200
        assert len(on_replica) > 0, path
        # The page cache lives on the primary (ADR 0044; Redis in production): not a read of the figures.
        assert not [q for q in on_primary.captured_queries if q["sql"].startswith("SELECT")
                    and "balai_page_cache" not in q["sql"]], path


def test_a_streamed_download_reads_from_the_replica_while_it_streams(client, replica):
    with queries_on("replica") as on_replica, queries_on("default") as on_primary:
        response = client.get("/data/kasus-publik.csv")
        body = b"".join(response.streaming_content)  # the rows are read now, after the view returned
    assert response.status_code == 200 and body.startswith(b"id,")
    assert any("cases_case" in q["sql"] for q in on_replica.captured_queries)
    assert not any("cases_case" in q["sql"] for q in on_primary.captured_queries)


def test_other_pages_and_writes_use_the_primary(client, replica):
    with queries_on("replica") as on_replica:
        client.get("/api/v1/services/")
        client.get("/healthz")
        client.post("/kinerja/")  # not a GET: never the replica, whatever it does
    assert len(on_replica) == 0


def test_after_a_write_the_same_visitor_reads_the_primary(client, replica):
    response = client.post("/bahasa/", {"language": "en", "next": "/kinerja/"})  # any POST counts as a write
    assert response.cookies[PIN_COOKIE]["max-age"] == 10
    with queries_on("replica") as on_replica:
        assert client.get("/kinerja/").status_code == 200
    assert len(on_replica) == 0  # pinned to the primary
    client.cookies.pop(PIN_COOKIE)  # the cookie expired
    with queries_on("replica") as on_replica:
        client.get("/kinerja/")
    assert len(on_replica) > 0


def test_a_request_reads_its_own_writes_from_the_primary(replica):
    router = ReplicaRouter()
    token = _route.set(_Route(replica_allowed=True))
    try:
        assert router.db_for_read(User) == "replica"
        assert router.db_for_write(User) == "default"
        assert router.db_for_read(User) is None  # the default alias: the primary
    finally:
        _route.reset(token)


def test_outside_a_request_everything_reads_the_primary():
    router = ReplicaRouter()
    assert router.db_for_read(User) is None
    assert router.allow_migrate("replica", "people") is False and router.allow_migrate("default", "people")


def test_without_a_replica_url_nothing_is_routed(settings):
    assert "replica" not in settings.DATABASES
    assert "balai.dbrouter.ReplicaRoutingMiddleware" not in settings.MIDDLEWARE
