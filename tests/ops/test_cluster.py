"""Two web nodes behind nginx and two workers on one PostgreSQL database, under a bounded load of
synchronous and queued submissions while periodic jobs run: every acknowledged submission is a case,
no message reaches the gateway twice, no period of a periodic job runs twice (ADR 0021, deploy/).

Run with `make cluster-test` (or `pytest -m cluster` with DATABASE_URL set to PostgreSQL); needs Debian's
nginx (`nginx-light`). Everything listens on 127.0.0.1 only.
"""

from __future__ import annotations

import json
import os
import shutil
import ssl
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections import Counter
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from balai.audit.services import verify_chain
from balai.cases.models import Case, QueuedSubmission
from balai.catalog.models import ComplaintCategory
from balai.notify.models import Message
from balai.ops.demo.api import DEMO_CLIENT_KEY, DEMO_QUEUED_KEY
from balai.people.models import ClientApplication
from tests.notify.fake_gateway import FakeGateway
from tests.ops.processes import ROOT, child_env, free_port, wait_for, web_process, worker_process

pytestmark = [pytest.mark.cluster, pytest.mark.postgres, pytest.mark.django_db(transaction=True), pytest.mark.timeout(900)]

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SYNC, QUEUED = 120, 240  # submissions sent through the proxy
PERIODIC = ("balai.ops.tasks.heartbeat", "balai.cases.tasks.register_queued_submissions",
            "balai.notify.tasks.deliver_due_messages", "balai.cases.tasks.sweep_deadlines",
            "balai.transparency.tasks.update_rollups")
INSECURE = ssl.create_default_context()
INSECURE.check_hostname = False
INSECURE.verify_mode = ssl.CERT_NONE  # our own self-signed certificate on 127.0.0.1


def render_site(tmp: Path, *, upstreams: list[str], https_port: int, http_port: int) -> str:
    sys.path.insert(0, str(ROOT / "deploy"))
    try:
        from render_nginx import render
    finally:
        sys.path.pop(0)
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",  # noqa: S607
                    "/CN=127.0.0.1", "-keyout", str(tmp / "tls.key"), "-out", str(tmp / "tls.crt")],
                   check=True, capture_output=True)
    return render(server_name="127.0.0.1", upstreams=upstreams, certificate=str(tmp / "tls.crt"),
                  certificate_key=str(tmp / "tls.key"), static_root=str(tmp / "static"),
                  upload_max_bytes=1024 * 1024, https_listen=f"127.0.0.1:{https_port}",
                  http_listen=f"127.0.0.1:{http_port}")


@contextmanager
def nginx(tmp: Path, site: str):
    """Debian's nginx as a foreground child process with a configuration of its own in `tmp`."""
    (tmp / "site.conf").write_text(site)
    # As root, nginx's workers would drop to `nobody`, who cannot read pytest's private temp directory.
    user = "user root;" if os.geteuid() == 0 else ""
    (tmp / "nginx.conf").write_text(f"""
{user}
worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi; uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;
    include {tmp}/site.conf;
}}
""")
    check = subprocess.run([NGINX, "-t", "-c", str(tmp / "nginx.conf"), "-p", str(tmp)], capture_output=True,
                           text=True, check=False)
    assert check.returncode == 0, check.stderr
    proc = subprocess.Popen([NGINX, "-c", str(tmp / "nginx.conf"), "-p", str(tmp)], stderr=subprocess.PIPE)
    try:
        yield proc
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def request(url: str, *, body: bytes | None = None, headers: dict | None = None) -> tuple[int, bytes]:
    req = urllib.request.Request(url, data=body, headers=headers or {}, method="POST" if body else "GET")
    try:
        with urllib.request.urlopen(req, timeout=60, context=INSECURE) as response:  # noqa: S310 - 127.0.0.1
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def healthy(base: str) -> bool:
    try:
        return request(base + "/healthz")[0] == 200
    except OSError:  # nginx not listening yet
        return False


def send_load(base: str, category: str) -> list[tuple[str, int, dict]]:
    """SYNC synchronous and QUEUED queued REST submissions from 4 client threads: (kind, status, answer)."""
    todo = [("sync", i) for i in range(SYNC)] + [("queued", i) for i in range(QUEUED)]
    todo.sort(key=lambda t: t[1])  # interleaved
    answers, lock = [], threading.Lock()

    def client() -> None:
        while True:
            with lock:
                if not todo:
                    return
                kind, i = todo.pop()
            key = DEMO_CLIENT_KEY if kind == "sync" else DEMO_QUEUED_KEY
            body = json.dumps({"kind": "complaint", "complaint_category": category, "title": f"Lampu mati {kind} {i}",
                               "contact_phone": f"0812{7 if kind == 'sync' else 8}{i:07d}"}).encode()
            status, raw = request(base + "/api/v1/cases/", body=body, headers={
                "Content-Type": "application/json", "Authorization": f"Bearer {key}"})
            with lock:
                answers.append((kind, status, json.loads(raw or b"{}") if status < 500 else {}))

    threads = [threading.Thread(target=client) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return answers


def test_two_nodes_and_two_workers_do_all_the_work_once(tmp_path, settings):
    if not Path(NGINX).exists():
        pytest.fail("nginx is missing: apt-get install nginx-light (the cluster test needs it)")
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    settings.DEMO_MODE = True  # demo data loads only in demo mode (ADR 0017); routes need their people
    call_command("load_demo", only=["regions", "agencies", "people", "catalog", "api"], verbosity=0)
    ClientApplication.objects.update(rate_limit_per_minute=0)  # the load is the point, not the rate limit
    category = ComplaintCategory.objects.filter(is_active=True).order_by("id").first().slug
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "probe.txt").write_text("static from nginx")
    web_ports = [free_port(), free_port()]
    https_port, http_port = free_port(), free_port()

    with ExitStack() as stack:
        gateway = stack.enter_context(FakeGateway())
        env = child_env(BALAI_SMS_GATEWAY=json.dumps(gateway.config(timeout=10)), DB_CONN_MAX_AGE="60",
                        BALAI_TRUSTED_PROXIES="127.0.0.1")
        for n, port in enumerate(web_ports):
            stack.enter_context(web_process(tmp_path / f"web{n}.log", port=port, workers=2, env=env,
                                            access_log=tmp_path / f"access{n}.log"))
        workers = [stack.enter_context(worker_process(tmp_path / f"worker{n}.log", "--tick", "0.25", env=env))
                   for n in range(2)]
        site = render_site(tmp_path, upstreams=[f"127.0.0.1:{p}" for p in web_ports], https_port=https_port,
                           http_port=http_port)
        stack.enter_context(nginx(tmp_path, site))
        base = f"https://127.0.0.1:{https_port}"
        wait_for(lambda: healthy(base), timeout=60, what="nginx and the nodes")

        # The proxy: plain HTTP redirected to HTTPS, static files served by nginx, big bodies refused.
        redirect = urllib.request.Request(f"http://127.0.0.1:{http_port}/kinerja/")
        with pytest.raises(urllib.error.HTTPError) as moved:
            urllib.request.build_opener(NoRedirect).open(redirect, timeout=30)
        assert moved.value.code == 301 and moved.value.headers["Location"].startswith("https://")
        assert request(base + "/static/probe.txt") == (200, b"static from nginx")
        assert too_large(https_port, 6 * 1024 * 1024 + 1) == 413  # 5 files of UPLOAD_MAX_BYTES + the form

        answers = send_load(base, category)
        statuses = Counter((kind, status) for kind, status, _ in answers)
        assert statuses == {("sync", 201): SYNC, ("queued", 202): QUEUED}, statuses

        def all_done() -> bool:
            return (not QueuedSubmission.objects.filter(status="queued").exists()
                    and Message.objects.count() == SYNC + QUEUED
                    and not Message.objects.exclude(status__in=["sent", "delivered"]).exists())

        wait_for(all_done, timeout=240, what="registration and delivery of everything acknowledged", every=1)
        # The periodic jobs keep coming (one heartbeat a second): on an idle machine the load can be over
        # before five periods have passed, so wait for them rather than count on the load taking long.
        beats = DBTaskResult.objects.filter(task_path="balai.ops.tasks.heartbeat", status="SUCCESSFUL")
        wait_for(lambda: beats.count() >= 5, timeout=60, what="five heartbeat periods", every=0.5)
        assert all(w.poll() is None for w in workers), "a worker exited"

    # No acknowledged submission is missing: every tracking code and every token is one case.
    codes = {a["tracking_code"] for kind, _, a in answers if kind == "sync"}
    tokens = {a["token"] for kind, _, a in answers if kind == "queued"}
    assert Case.objects.filter(tracking_code__in=codes).count() == SYNC
    assert QueuedSubmission.objects.filter(token__in=tokens, status="registered", case__isnull=False).count() == QUEUED
    assert Case.objects.count() == SYNC + QUEUED
    assert verify_chain().ok

    # No message was sent twice: the gateway saw each outbox row's reference exactly once.
    references = Counter(r["payload"].get("reference") for r in gateway.requests)
    assert set(references) == {str(k) for k in Message.objects.values_list("idempotency_key", flat=True)}
    assert set(references.values()) == {1}, [ref for ref, n in references.items() if n > 1]

    # Every periodic job ran at most once per period, although both workers scheduled and ran them.
    runs = DBTaskResult.objects.filter(task_path__in=PERIODIC)
    per_period = Counter(runs.values_list("task_path", "run_after"))
    assert per_period and max(per_period.values()) == 1, [k for k, n in per_period.items() if n > 1]
    ran_by = {ids[-1] for ids in runs.exclude(worker_ids=[]).values_list("worker_ids", flat=True)}
    assert len(ran_by) == 2  # both workers took periodic jobs
    heartbeats = runs.filter(task_path="balai.ops.tasks.heartbeat").count()
    assert heartbeats >= 5
    bad = DBTaskResult.objects.filter(status__in=["RUNNING", "FAILED"])
    assert not bad.exists(), list(bad.values_list("task_path", "status", "traceback"))
    twice = [(path, ids) for path, ids in DBTaskResult.objects.values_list("task_path", "worker_ids") if len(ids) > 1]
    assert not twice, twice  # no job was taken by two workers (or twice by one)

    # The nodes saw the client's address as nginx passed it on, and both nodes served requests.
    forwarded = [Path(tmp_path / f"access{n}.log").read_text().splitlines() for n in range(2)]
    assert all(lines for lines in forwarded), "a node served nothing"
    proxied = [line for lines in forwarded for line in lines if "/api/v1/cases/" in line]
    assert len(proxied) == SYNC + QUEUED and all(line.startswith("127.0.0.1 ") for line in proxied), proxied[:5]


def too_large(port: int, length: int) -> int:
    """nginx's answer to a request announcing a body of `length` bytes (it decides on the header alone)."""
    import socket

    with socket.create_connection(("127.0.0.1", port), timeout=30) as raw, \
            INSECURE.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
        tls.sendall(f"POST /api/v1/cases/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {length}\r\n"
                    "Content-Type: application/json\r\n\r\n".encode())
        return int(tls.recv(64).split()[1])


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
