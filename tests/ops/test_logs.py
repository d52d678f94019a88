"""Structured logs: one line per request and per job, a request id carried into the jobs a request enqueues,
no personal data, levels and format from the environment."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest
from django_tasks import task
from django_tasks_db.management.commands.db_worker import Worker

from balai.ops.logs import default_format, logging_config, parse_levels, scrub
from tests.api.conftest import ALL_SCOPES, api, api_world, as_client, client_key, submission  # noqa: F401
from tests.ops.log_scan import Capture, personal_data, phone_forms, pytest_runtest_call, request_lines, scan

ROOT = Path(__file__).resolve().parents[2]


def json_lines(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def run_worker() -> None:
    Worker(queue_names=["default"], interval=0, batch=True, backend_name="default", startup_delay=False,
           max_tasks=None, worker_id="test-worker", excluded_queue_names=[]).run()


@task()
def explode(contact: str) -> None:
    """A job failing with personal data in its exception message."""
    raise ValueError(f"cannot reach {contact} (Siti Aminah, siti@example.id, NIK 6472015507900001)")


# --- the request line and the request id ------------------------------------------------------------

@pytest.mark.django_db
def test_one_json_line_per_request_with_route_status_duration_and_request_id(client):
    with Capture() as capture:
        response = client.get("/healthz?kode=KT-7M4Q-2X9P&nama=Siti")
        client.get("/lacak/KT-7M4Q-2X9P/")
    lines = request_lines(capture.output)
    assert len(lines) == 2
    first = lines[0]
    assert {k: first[k] for k in ("level", "message", "method", "route", "status")} == {
        "level": "INFO", "message": "request", "method": "GET", "route": "healthz", "status": 200}
    assert isinstance(first["duration_ms"], float) and first["time"].endswith("Z")
    assert first["request_id"] == response["X-Request-ID"] and len(first["request_id"]) == 32
    assert lines[1]["route"] == "portal:track_case" and lines[1]["status"] == 404
    assert lines[0]["request_id"] != lines[1]["request_id"]
    assert "7M4Q" not in capture.output and "kode" not in capture.output and "Siti" not in capture.output


@pytest.mark.django_db
@pytest.mark.parametrize(("trusted", "offered", "kept"), [
    (True, "3f2a9c0d4b5e6f708192a3b4c5d6e7f8", True),
    (True, "8d6b1d4e-4c1f-4a7b-9c55-8a0d3e1f2b6c", True),
    (True, "short", False),
    (True, "x" * 65, False),
    (True, "abc def ghi jkl", False),
    (True, '3f2a9c0d4b5e"}{"level":"CRITICAL', False),
    (False, "3f2a9c0d4b5e6f708192a3b4c5d6e7f8", False),  # not behind a proxy that sets it: not trusted
])
def test_request_id_from_a_trusted_proxy_when_well_formed(client, settings, trusted, offered, kept):
    settings.BALAI_REQUEST_ID_FROM_PROXY = trusted
    with Capture() as capture:
        response = client.get("/healthz", HTTP_X_REQUEST_ID=offered)
    line = request_lines(capture.output)[0]
    assert (line["request_id"] == offered) is kept
    assert response["X-Request-ID"] == line["request_id"]


@pytest.mark.django_db(transaction=True)
def test_jobs_carry_the_request_id_of_the_request_that_enqueued_them(api, api_world, client_key):  # noqa: F811
    """A real flow: an API submission writes the acknowledgement to the outbox and enqueues its delivery;
    the worker's line for that job carries the submission's request id."""
    from django_tasks_db.models import DBTaskResult

    _client, key = client_key
    with Capture() as capture:
        response = as_client(api, key).post("/api/v1/cases/", submission(api_world), format="json")
        assert response.status_code == 201, response.content
        request_id = response["X-Request-ID"]
        stored = DBTaskResult.objects.get(task_path="balai.notify.tasks.deliver_message")
        assert stored.args_kwargs["request_id"] == request_id
        run_worker()
    jobs = [line for line in json_lines(capture.output) if line["logger"] == "balai.job"]
    assert len(jobs) == 1
    job = jobs[0]
    assert (job["task"], job["outcome"], job["request_id"], job["job_id"]) == (
        "balai.notify.tasks.deliver_message", "successful", request_id, str(stored.id))
    assert job["duration_ms"] >= 0
    assert not scan(capture.output, personal_data()), scan(capture.output, personal_data())
    assert "Siti" not in capture.output and "81250000001" not in capture.output


@pytest.mark.django_db(transaction=True)
def test_a_failed_job_is_one_warning_line_without_the_exception_message():
    explode.enqueue("+6281250000001")
    with Capture() as capture:
        run_worker()
    jobs = [line for line in json_lines(capture.output) if line["logger"] == "balai.job"]
    assert len(jobs) == 1
    assert (jobs[0]["level"], jobs[0]["outcome"], jobs[0]["error"]) == ("WARNING", "failed", "builtins.ValueError")
    assert jobs[0]["request_id"] is None  # nobody's request: a job enqueued outside one
    for secret in ("81250000001", "Siti", "siti@example.id", "6472015507900001"):
        assert secret not in capture.output
    # django-tasks' own per-job lines (which log the raw exception) are replaced by ours
    assert not [line for line in json_lines(capture.output) if line["logger"].startswith("django_tasks")
                and "state=" in line["message"]]


# --- no personal data ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "clean"), [
    ("sent to +62 812-5000-0001 ok", "sent to [number] ok"),
    ("nik 6472015507900001 refused", "nik [number] refused"),
    ("mail warga1@demo.balai.id bounced", "mail [email] bounced"),
    ("case KT-7M4Q-2X9P closed", "case [code] closed"),
    ('Key (phone)=(+6281250000001) already exists.', "Key (phone)=(…) already exists."),
    ("attachment 'KTP Siti Aminah.jpg' refused", "attachment '…' refused"),
    ("unregistered action 'cases.assign' refused", "unregistered action 'cases.assign' refused"),
    ("took 0.25 s for 12 rows", "took 0.25 s for 12 rows"),
])
def test_scrub(raw, clean):
    assert scrub(raw) == clean


def test_exceptions_keep_their_frames_and_lose_their_values():
    logger = logging.getLogger("balai.test")
    with Capture() as capture:
        try:
            try:
                raise KeyError("siti@example.id")
            except KeyError as inner:
                raise ValueError("+6281250000001 'Siti Aminah' failed") from inner
        except ValueError:
            logger.exception("delivery failed for 081250000001")
    line = json_lines(capture.output)[0]
    assert line["message"] == "delivery failed for [number]"
    assert line["exc_type"] == "builtins.ValueError" and line["exc_message"] == "[number] '…' failed"
    assert line["caused_by"] == ["builtins.KeyError: '[email]'"]
    assert any("test_logs.py" in frame and "test_exceptions_keep" in frame for frame in line["traceback"])
    for secret in ("siti", "Siti", "81250000001"):
        assert secret not in capture.output


def test_djangos_path_bearing_request_and_server_lines_are_replaced():
    with Capture() as capture:
        logging.getLogger("django.request").warning("Not Found: %s", "/lacak/KT-7M4Q-2X9P/")
        logging.getLogger("django.server").info('"GET /lacak/?kode=KT-7M4Q-2X9P HTTP/1.1" 200 10')
        logging.getLogger("django.request").error("Internal Server Error: %s", "/lacak/KT-7M4Q-2X9P/",
                                                  extra={"status_code": 500, "request": object()})
    lines = json_lines(capture.output)
    assert [(line["logger"], line["message"]) for line in lines] == [("django.request", "server error 500")]


@pytest.mark.django_db
def test_the_scan_finds_personal_data_of_the_database_and_fails_the_test():
    """The browser journeys' guard (tests/ops/log_scan.py) is not blind: a line naming a citizen fails."""
    from tests.factories import UserFactory

    UserFactory(full_name="Siti Aminah", email="warga1@demo.balai.id", phone="+6281250000001")
    data = personal_data()
    assert "Siti Aminah" in data["name"] and "081250000001" in data["phone"]
    assert phone_forms("+62 812-5000-0001") == {"6281250000001", "81250000001", "081250000001"}
    item = SimpleNamespace(fixturenames=[], user_properties=[])
    hook = pytest_runtest_call(item)
    next(hook)  # the test body runs now
    logging.getLogger("balai.test").warning("reminder for %s", "Siti Aminah")
    with pytest.raises(AssertionError, match="personal data in the log output"):
        hook.send(None)
    assert scan('{"message":"sms to 0812 5000 0001"}', data)  # written with spaces, still found


def test_lines_from_server_threads_are_captured():
    with Capture() as capture:
        thread = threading.Thread(target=lambda: logging.getLogger("balai.request").info("from a thread"))
        thread.start()
        thread.join()
    assert [line["message"] for line in json_lines(capture.output)] == ["from a thread"]


# --- configuration ------------------------------------------------------------------------------------

def test_levels_and_format_come_from_the_environment():
    config = logging_config(level="warning", fmt="json", overrides=parse_levels("django.db.backends=DEBUG, balai.notify=ERROR"))
    assert config["root"]["level"] == "WARNING"
    assert config["handlers"]["console"]["formatter"] == "json"
    assert config["loggers"]["django.db.backends"]["level"] == "DEBUG"
    assert config["loggers"]["balai.notify"]["level"] == "ERROR"
    assert config["loggers"]["balai.request"]["level"] == "INFO"  # the request line survives WARNING
    with pytest.raises(ValueError):
        parse_levels("balai=LOUD")
    with pytest.raises(ValueError):
        logging_config(level="INFO", fmt="xml")


CHILD = """
import django
django.setup()
from django.test import Client
Client().get("/healthz?nama=Siti")
"""


@pytest.mark.parametrize(("env", "json_expected"), [
    ({"LOG_FORMAT": "json"}, True),
    ({}, False),  # text by default outside production
])
def test_the_configured_process_writes_the_chosen_format(tmp_path, env, json_expected):
    full_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "balai.settings", "BALAI_ENV": "development",
                "LOG_LEVEL": "INFO", "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
                "BALAI_VAR_DIR": str(tmp_path), **env}
    if "LOG_FORMAT" not in env:
        full_env.pop("LOG_FORMAT", None)
    done = subprocess.run([sys.executable, "-c", CHILD], cwd=ROOT, env=full_env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    request = [line for line in done.stderr.splitlines() if "balai.request" in line]
    assert len(request) == 1, done.stderr
    if json_expected:
        line = json.loads(request[0])
        assert (line["route"], line["status"]) == ("healthz", 503)  # an empty database: unhealthy
    else:
        assert "route=healthz" in request[0] and not request[0].startswith("{")
    assert "Siti" not in done.stderr


def test_production_writes_json_by_default():
    assert default_format(production=True) == "json" and default_format(production=False) == "text"
