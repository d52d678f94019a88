"""Status probes against servers on 127.0.0.1 that the test starts (up, down, slow, keyword, redirects
to a private address, bad certificate), uptime arithmetic, and the /status/ page (plain HTML, ≤ 30 KB)."""

from __future__ import annotations

import datetime as dt
import ssl
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from balai.ict import probes
from balai.ict.models import Application, DailyUptime, StatusNotice
from balai.ict.selectors import monthly_uptime_rows, status_board, status_notices, uptime_percent
from balai.ict.services import notice_open, notice_update, probe_round, record_probe
from tests.ict.conftest import wita

LOCAL = ("127.0.0.1/32",)


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's name
        if self.path.startswith("/slow"):
            time.sleep(1.5)
        if self.path.startswith("/error"):
            self.send_response(500)
            self.end_headers()
            return
        if self.path.startswith("/inward"):
            port = self.server.server_address[1]
            self.send_response(302)
            self.send_header("Location", f"http://127.0.0.2:{port}/")
            self.end_headers()
            return
        if self.path.startswith("/hop"):
            self.send_response(301)
            self.send_header("Location", "/")
            self.end_headers()
            return
        body = b"<html><body>Layanan Balai siap</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_up_with_keyword(server):
    out = probes.probe(server + "/", keyword="siap", allowed=LOCAL, timeout=2)
    assert out.is_up and out.status_code == 200 and out.response_ms is not None


def test_keyword_missing_is_down(server):
    out = probes.probe(server + "/", keyword="tidak ada", allowed=LOCAL, timeout=2)
    assert not out.is_up and out.error == "keyword not found"


def test_server_error_is_down(server):
    out = probes.probe(server + "/error", allowed=LOCAL, timeout=2)
    assert not out.is_up and out.status_code == 500


def test_closed_port_is_down():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    out = probes.probe(f"http://127.0.0.1:{port}/", allowed=LOCAL, timeout=1)
    assert not out.is_up and out.status_code is None and out.error.startswith("no connection")


def test_slow_server_times_out_strictly(server):
    started = time.monotonic()
    out = probes.probe(server + "/slow", allowed=LOCAL, timeout=0.5)
    assert not out.is_up and out.error == "timed out"
    assert time.monotonic() - started < 1.4


def test_slow_but_within_timeout_is_up_with_its_time(server):
    out = probes.probe(server + "/slow", allowed=LOCAL, timeout=3)
    assert out.is_up and out.response_ms >= 1400


def test_private_address_refused_unless_allow_listed(server):
    out = probes.probe(server + "/", timeout=2)
    assert not out.is_up and out.error.startswith("refused")


def test_redirect_followed_but_not_into_a_private_address(server):
    assert probes.probe(server + "/hop", allowed=LOCAL, timeout=2).is_up
    out = probes.probe(server + "/inward", allowed=LOCAL, timeout=2)
    assert not out.is_up and out.error.startswith("refused")


def test_bad_certificate_is_down():
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=5))
            .sign(key, hashes.SHA256()))
    with tempfile.TemporaryDirectory() as tmp:
        cert_path, key_path = Path(tmp, "c.pem"), Path(tmp, "k.pem")
        cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()))
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert_path, key_path)
        httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        try:
            out = probes.probe(f"https://127.0.0.1:{httpd.server_address[1]}/", allowed=LOCAL, timeout=2)
        finally:
            httpd.shutdown()
            httpd.server_close()
    assert not out.is_up and out.error.startswith("certificate not valid")


def test_uptime_arithmetic():
    assert uptime_percent(0, 0) is None
    assert uptime_percent(288, 288) == 100.0
    assert uptime_percent(288, 287) == 99.65
    assert uptime_percent(3, 2) == 66.67


def _live(ict, name, url, **kw):
    return Application.objects.create(slug=name, name=name, agency=ict.agency, purpose="x" * 30, spbe_code="RAB.01",
                                      status=kw.pop("status", "live"), users=kw.pop("users", "public"), url=url, **kw)


@pytest.mark.django_db
def test_rollups_and_board(ict):
    app = _live(ict, "sipd", "http://127.0.0.1:9/")
    up = probes.Outcome(True, 200, 100)
    down = probes.Outcome(False, 500, 50, "HTTP 500")
    # 13 May (WITA): 3 up, 1 down; 14 May: 2 up. Times across the WITA midnight go to the WITA day.
    for at, out in [(wita(2026, 5, 13, 0, 10), up), (wita(2026, 5, 13, 9), up), (wita(2026, 5, 13, 12), down),
                    (wita(2026, 5, 13, 23, 55), up), (wita(2026, 5, 14, 0, 5), up), (wita(2026, 5, 14, 1), up)]:
        record_probe(application=app, outcome=out, at=at)
    days = {d.day: (d.checks, d.up, d.total_ms) for d in DailyUptime.objects.filter(application=app)}
    assert days == {dt.date(2026, 5, 13): (4, 3, 300), dt.date(2026, 5, 14): (2, 2, 200)}
    board = status_board(now=wita(2026, 5, 14, 2))
    assert len(board) == 1
    assert board[0].day == 100.0 and board[0].week == round(100 * 5 / 6, 2) and board[0].state == "up"
    rows = list(monthly_uptime_rows())
    assert rows == [{"application": "sipd", "month": "2026-05", "checks": 6, "uptime_pct": 83.33,
                     "mean_response_ms": 100}]


@pytest.mark.django_db
def test_probe_round_and_retired_still_answering(ict, server, settings, fresh_status_board):
    settings.BALAI_PROBE_ALLOWED_HOSTS = list(LOCAL)
    _live(ict, "up", server + "/", probe_keyword="siap")
    _live(ict, "down", server + "/error")
    _live(ict, "old", server + "/", status="retired")
    _live(ict, "intranet", server + "/", users="staff")
    counts = probe_round(timeout=2)
    assert counts == {"checked": 4, "up": 3, "down": 1}
    board = {s.application.slug: s for s in status_board()}
    assert set(board) == {"up", "down", "old"}  # staff-only applications are not public
    assert board["old"].retired_answering and board["down"].state == "down"


@pytest.mark.django_db
def test_notices_incident_with_updates_and_planned_maintenance(ict):
    now = wita(2026, 5, 13, 10)
    inc = notice_open(actor=ict.agent, kind="incident", title="SIMPUS lambat", body="Sedang diperiksa.",
                      starts_at=now)
    notice_update(actor=ict.agent, notice=inc, body="Sudah pulih.", close=True, at=wita(2026, 5, 13, 11))
    notice_open(actor=ict.agent, kind="maintenance", title="Pemeliharaan pusat data", body="Jaringan mati 1 jam.",
                starts_at=wita(2026, 5, 20, 22), ends_at=wita(2026, 5, 20, 23))
    got = status_notices(now=wita(2026, 5, 13, 12))
    assert [n.title for n in got["planned"]] == ["Pemeliharaan pusat data"]
    assert [n.title for n in got["past"]] == ["SIMPUS lambat"]
    assert StatusNotice.objects.get(pk=inc.pk).updates.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_status_page_plain_html_small(client, ict, prefix, fresh_status_board):
    app = _live(ict, "sipd", "http://127.0.0.1:9/")
    record_probe(application=app, outcome=probes.Outcome(False, None, None, "timed out"), at=wita(2026, 5, 13, 9))
    notice_open(actor=ict.agent, kind="incident", title="SIPD tidak bisa diakses", body="Sedang diperiksa.")
    response = client.get(f"{prefix}/status/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script" not in html and len(response.content) <= 30 * 1024
    assert ("Down" in html or "Mati" in html) and "SIPD tidak bisa diakses" in html


@pytest.mark.django_db
def test_status_board_is_cached_until_the_next_probe_round(client, ict, settings, fresh_status_board):
    settings.BALAI_PROBE_ALLOWED_HOSTS = list(LOCAL)
    app = _live(ict, "sipd", "http://127.0.0.1:9/")
    record_probe(application=app, outcome=probes.Outcome(True, 200, 10), at=wita(2026, 5, 13, 9))
    assert "sipd" in client.get("/status/").content.decode()
    _live(ict, "simpus", "http://127.0.0.1:9/x")
    assert "simpus" not in client.get("/status/").content.decode()  # the cached board
    probe_round(timeout=0.5)  # a new round drops it
    assert "simpus" in client.get("/status/").content.decode()
