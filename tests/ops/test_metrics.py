"""`/metrics`: who may read it, that it is valid Prometheus text, and that its values follow what happens."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from balai.ops import metrics
from balai.ops.metrics_view import metrics_view
from tests.factories import AgencyFactory
from tests.notify.factories import make_case
from tests.notify.fake_gateway import FakeGateway

pytestmark = pytest.mark.django_db
TOKEN = "t0ken-for-the-prometheus-scraper-0123456789"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _metrics_settings(settings):
    settings.BALAI_METRICS_ALLOWED = []
    settings.BALAI_METRICS_TOKEN = ""
    settings.BALAI_METRICS_CACHE_SECONDS = 0  # every scrape reads the database (the cache has its own test)
    metrics.clear_cache()
    yield
    metrics.clear_cache()


def scrape(client, **headers) -> dict[tuple[str, tuple], float]:
    """{(sample name, sorted labels): value} of one authorised scrape."""
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}", **headers)
    assert response.status_code == 200, response.status_code
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


@pytest.fixture
def authorised(settings):
    settings.BALAI_METRICS_TOKEN = TOKEN


# --- access control ----------------------------------------------------------------------------------

def test_strangers_get_404_even_from_localhost(client):
    assert client.get("/metrics").status_code == 404
    assert client.post("/metrics").status_code == 404  # not 405: nothing tells that something is here


@pytest.mark.parametrize(("allowed", "remote", "status"), [
    (["127.0.0.0/8"], "127.0.0.1", 200),
    (["10.20.0.0/16"], "10.20.3.4", 200),
    (["10.20.0.0/16"], "10.21.3.4", 404),
    (["2001:db8::/32"], "2001:db8::7", 200),
    (["2001:db8::/32"], "127.0.0.1", 404),
])
def test_configured_networks_may_scrape(client, settings, allowed, remote, status):
    settings.BALAI_METRICS_ALLOWED = allowed
    assert client.get("/metrics", REMOTE_ADDR=remote).status_code == status


def test_an_allowed_address_behind_the_proxy_is_not_enough(client, settings):
    """Through nginx every visitor comes from the proxy's address: forwarded requests need the token."""
    settings.BALAI_METRICS_ALLOWED = ["127.0.0.0/8"]
    for header in ("HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP", "HTTP_FORWARDED"):
        assert client.get("/metrics", **{header: "203.0.113.9"}).status_code == 404


def test_the_bearer_token_opens_it_from_anywhere(client, settings):
    settings.BALAI_METRICS_TOKEN = TOKEN
    far = {"REMOTE_ADDR": "198.51.100.7", "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}", **far).status_code == 200
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN[:-1]}x", **far).status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Basic {TOKEN}", **far).status_code == 404
    assert client.get("/metrics", **far).status_code == 404


def test_no_token_configured_means_no_token_accepted(client):
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer x").status_code == 404


def test_the_token_is_compared_in_constant_time(rf, settings, monkeypatch):
    settings.BALAI_METRICS_TOKEN = TOKEN
    calls = []
    import balai.ops.metrics_view as view

    def spy(a, b):
        calls.append((a, b))
        return a == b

    monkeypatch.setattr(view.hmac, "compare_digest", spy)
    assert metrics_view(rf.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")).status_code == 200
    assert calls == [(TOKEN.encode(), TOKEN.encode())]


# --- format ------------------------------------------------------------------------------------------

def test_output_is_prometheus_text_with_every_documented_family(client, authorised):
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response["Content-Type"].startswith("text/plain")
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    families = {f.name: f.type for f in text_string_to_metric_families(response.content.decode())}
    expected = {
        "balai_http_requests": "counter",
        "balai_http_request_duration_seconds": "histogram",
        "balai_task_queue_depth": "gauge",
        "balai_task_oldest_waiting_seconds": "gauge",
        "balai_task_running": "gauge",
        "balai_worker_stalled": "gauge",
        "balai_outbox_messages": "gauge",
        "balai_cases_due_soon": "gauge",
        "balai_cases_breached": "gauge",
        "balai_rollup_lag_events": "gauge",
        "balai_rollup_lag_seconds": "gauge",
        "balai_audit_chain_records": "gauge",
        "balai_audit_last_verification_timestamp_seconds": "gauge",
        "balai_audit_last_verification_ok": "gauge",
        "balai_metrics_source_up": "gauge",
        "balai_build_info": "gauge",  # an info metric, as text format 0.0.4 writes it
    }
    assert {name: families.get(name) for name in expected} == expected


# --- values follow what happens -------------------------------------------------------------------

def test_requests_are_counted_by_route_name_never_by_path(client, authorised):
    before = scrape(client)
    key = ("balai_http_requests_total", (("method", "GET"), ("route", "healthz"), ("status", "200")))
    for _ in range(3):
        client.get("/healthz")
    client.get("/lacak/KT-7M4Q-2X9P/tidak-ada/")  # a path with a tracking code that matches nothing
    after = scrape(client)
    assert after[key] - before.get(key, 0) == 3
    bucket = ("balai_http_request_duration_seconds_count", (("method", "GET"), ("route", "healthz")))
    assert after[bucket] - before.get(bucket, 0) == 3
    unmatched = ("balai_http_requests_total", (("method", "GET"), ("route", "<unmatched>"), ("status", "404")))
    assert after[unmatched] - before.get(unmatched, 0) == 1
    client.get("/lacak/KT-7M4Q-2X9P/")  # a named route with the code as its argument
    tracked = ("balai_http_requests_total", (("method", "GET"), ("route", "portal:track_case"), ("status", "404")))
    assert scrape(client)[tracked] - before.get(tracked, 0) == 1
    text = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").content.decode()
    assert "7M4Q" not in text and "/lacak/" not in text and "tidak-ada" not in text


def test_a_queued_job_moves_queue_depth_and_age(client, authorised):
    from django_tasks_db.models import DBTaskResult

    from balai.ops.tasks import heartbeat

    depth = ("balai_task_queue_depth", (("queue", "default"),))
    age = ("balai_task_oldest_waiting_seconds", (("queue", "default"),))
    assert scrape(client)[depth] == 0
    heartbeat.enqueue()
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(seconds=90))
    samples = scrape(client)
    assert samples[depth] == 1
    assert 89 <= samples[age] < 150


def test_a_failed_message_moves_the_failed_count_of_its_channel(client, authorised, settings):
    from balai.notify.outbox import deliver, queue_direct_message

    failed = ("balai_outbox_messages", (("channel", "sms"), ("status", "failed_permanent")))
    queued = ("balai_outbox_messages", (("channel", "sms"), ("status", "queued")))
    with FakeGateway() as gateway:
        settings.BALAI_SMS_GATEWAY = gateway.config()
        queue_direct_message(channel="sms", recipient="+6281200001111", language="id", event="otp",
                             context={"otp": "1"})
        samples = scrape(client)
        assert (samples[queued], samples[failed]) == (1, 0)
        gateway.fail_next("400")  # the provider refuses it for good
        deliver()
    samples = scrape(client)
    assert (samples[queued], samples[failed]) == (0, 1)
    assert samples[("balai_outbox_messages", (("channel", "email"), ("status", "failed_permanent")))] == 0


def test_due_soon_and_breached_cases_are_counted_per_agency(client, authorised):
    river = AgencyFactory(slug="dinas-sungai")
    road = AgencyFactory(slug="dinas-jalan")
    make_case(agency=river, due_soon=True)
    make_case(agency=river, breached_at=timezone.now() - timedelta(days=1))
    make_case(agency=river, breached_at=timezone.now() - timedelta(days=2))
    make_case(agency=river, breached_at=timezone.now() - timedelta(days=2), is_open=False)  # closed: not counted
    make_case(agency=road)
    samples = scrape(client)
    assert samples[("balai_cases_due_soon", (("agency", "dinas-sungai"),))] == 1
    assert samples[("balai_cases_breached", (("agency", "dinas-sungai"),))] == 2
    assert samples[("balai_cases_breached", (("agency", "dinas-jalan"),))] == 0


def test_rollup_lag_grows_with_unread_events_and_returns_to_zero(client, authorised):
    from balai.cases.models import Event
    from balai.transparency.rollup import update

    update()
    assert scrape(client)[("balai_rollup_lag_events", ())] == 0
    case = make_case()
    Event.objects.create(case=case, kind="status", at=timezone.now() - timedelta(minutes=5))
    samples = scrape(client)
    assert samples[("balai_rollup_lag_events", ())] >= 1
    assert samples[("balai_rollup_lag_seconds", ())] >= 299
    update()
    samples = scrape(client)
    assert samples[("balai_rollup_lag_events", ())] == 0 and samples[("balai_rollup_lag_seconds", ())] == 0


def test_audit_chain_length_and_last_verification(client, authorised):
    from django.db import transaction

    from balai.audit.services import audit_record
    from balai.ops.services import verify_audit_chain
    from tests.audit.helpers import raw_update

    with transaction.atomic():
        for n in range(3):
            audit_record(action="test.thing", target_type="x", target_id=str(n))
    samples = scrape(client)
    assert samples[("balai_audit_chain_records", ())] == 3
    assert samples[("balai_audit_last_verification_timestamp_seconds", ())] == 0
    assert samples[("balai_audit_last_verification_ok", ())] == 0  # never verified is not "fine"

    assert verify_audit_chain().ok
    samples = scrape(client)
    assert samples[("balai_audit_chain_records", ())] == 4  # the verification is itself recorded
    assert samples[("balai_audit_last_verification_ok", ())] == 1
    assert samples[("balai_audit_last_verification_records", ())] == 3
    assert abs(samples[("balai_audit_last_verification_timestamp_seconds", ())] - timezone.now().timestamp()) < 60

    from balai.audit.models import AuditRecord

    first = AuditRecord.objects.order_by("id").first()
    raw_update(first.pk, action="test.rewritten")
    result = verify_audit_chain()
    assert not result.ok and result.chain.first_bad_id == first.pk
    assert scrape(client)[("balai_audit_last_verification_ok", ())] == 0


def test_a_cut_short_chain_fails_against_the_published_head(client, authorised):
    from django.db import transaction

    from balai.audit.models import AuditRecord
    from balai.audit.services import audit_record
    from balai.opendata.services import record_audit_head
    from balai.ops.services import verify_audit_chain
    from tests.audit.helpers import raw_delete

    with transaction.atomic():
        for n in range(3):
            audit_record(action="test.thing", target_type="x", target_id=str(n))
    record_audit_head()
    raw_delete(AuditRecord.objects.order_by("-id").values_list("id", flat=True).first())
    result = verify_audit_chain()
    assert result.chain.ok and not result.published_heads_ok and not result.ok


def test_periodic_verification_runs_once_per_period():
    from balai.ops.selectors import AUDIT_VERIFIED
    from balai.ops.tasks import verify_audit_chain

    assert verify_audit_chain.call()["ok"] is True
    assert verify_audit_chain.call() == {"skipped": True}
    from balai.audit.models import AuditRecord

    assert AuditRecord.objects.filter(action=AUDIT_VERIFIED).count() == 1


def test_a_failing_source_is_reported_and_the_rest_still_served(client, authorised, monkeypatch):
    from balai.ops import selectors

    def broken():
        raise RuntimeError("database gone")

    monkeypatch.setattr(selectors, "rollup_lag", broken)
    samples = scrape(client)
    assert samples[("balai_metrics_source_up", (("source", "rollups"),))] == 0
    assert samples[("balai_metrics_source_up", (("source", "outbox"),))] == 1
    assert ("balai_rollup_lag_events", ()) not in samples
    assert ("balai_task_queue_depth", (("queue", "default"),)) in samples


def test_database_readings_are_kept_for_a_few_seconds(client, authorised, settings):
    from balai.ops.tasks import heartbeat

    settings.BALAI_METRICS_CACHE_SECONDS = 60
    depth = ("balai_task_queue_depth", (("queue", "default"),))
    assert scrape(client)[depth] == 0
    heartbeat.enqueue()
    assert scrape(client)[depth] == 0  # cached
    metrics._local.clear()  # another gunicorn worker, or another node: the reading is shared
    assert scrape(client)[depth] == 0
    metrics.clear_cache()
    assert scrape(client)[depth] == 1


def probe_results():
    """Stands in for the status page's probes (BALAI_METRICS_COLLECTORS extension point)."""
    from prometheus_client.core import GaugeMetricFamily

    family = GaugeMetricFamily("balai_probe_up", "Probe result.", labels=["target"])
    family.add_metric(["portal"], 1)
    yield family


def test_more_sources_plug_in_through_settings(client, authorised, settings):
    settings.BALAI_METRICS_COLLECTORS = ["tests.ops.test_metrics.probe_results"]
    samples = scrape(client)
    assert samples[("balai_probe_up", (("target", "portal"),))] == 1
    assert samples[("balai_metrics_source_up", (("source", "probe_results"),))] == 1


# --- several processes ------------------------------------------------------------------------------

CHILD = """
import os, sys
import django
django.setup()
from balai.ops import metrics
for _ in range(int(sys.argv[1])):
    metrics.observe_request(route="portal:home", method="GET", status=200, seconds=0.02)
"""


def test_request_counts_add_up_across_processes(client, authorised, tmp_path, monkeypatch):
    """Gunicorn's workers are separate processes: with PROMETHEUS_MULTIPROC_DIR each writes its counts
    to the shared directory and a scrape served by any process sums them."""
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "balai.settings"}
    children = [subprocess.Popen([sys.executable, "-c", CHILD, str(n)], cwd=ROOT, env=env) for n in (3, 5)]
    assert [child.wait(timeout=120) for child in children] == [0, 0]
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    samples = scrape(client)
    key = ("balai_http_requests_total", (("method", "GET"), ("route", "portal:home"), ("status", "200")))
    assert samples[key] == 8
    assert samples[("balai_http_request_duration_seconds_count", (("method", "GET"), ("route", "portal:home")))] == 8
    assert samples[("balai_task_queue_depth", (("queue", "default"),))] == 0  # database state still there


def test_route_of_a_response_given_before_url_resolution(rf):
    """A middleware may answer before the URL is resolved (a cached page): the route is still named."""
    from balai.ops.middleware import UNMATCHED, route_of

    assert route_of(rf.get("/lacak/KT-7M4Q-2X9P/")) == "portal:track_case"
    assert route_of(rf.get("/tidak/ada/")) == UNMATCHED
