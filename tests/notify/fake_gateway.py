"""A tests-only fake SMS/WhatsApp provider over real HTTP on 127.0.0.1 (used by tests and bench/).

Like a real provider it deduplicates on the client reference: a second request with a reference it has
already accepted returns the same message id and does not "deliver" again. It can be told to fail the
next N requests with 500, 400 or a timeout (a delay longer than the client's timeout).
"""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeGateway:
    def __init__(self, *, reference_field: str = "reference", timeout_delay: float = 1.5) -> None:
        self.reference_field = reference_field
        self.timeout_delay = timeout_delay
        self.requests: list[dict] = []  # every request, parsed, with its headers
        self.delivered: dict[str, dict] = {}  # reference → first accepted payload (what the citizen got)
        self.failures: list[str] = []  # queue of "500" | "400" | "timeout"
        self.lock = threading.Lock()
        self._ids = 0
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep test output quiet
                pass

            def do_GET(self) -> None:  # noqa: N802 - counters for benchmarks in another process
                with gateway.lock:
                    body = json.dumps({"requests": len(gateway.requests), "delivered": len(gateway.delivered)})
                data = body.encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode()
                if self.headers.get("Content-Type", "").startswith("application/json"):
                    payload = json.loads(raw or "{}")
                else:
                    payload = {k: v[0] for k, v in urllib.parse.parse_qs(raw).items()}
                status, answer = gateway.handle(payload, dict(self.headers))
                if status == "timeout":
                    time.sleep(gateway.timeout_delay)
                    status, answer = 500, {"error": "late"}
                body = json.dumps(answer).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/send"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def handle(self, payload: dict, headers: dict):
        with self.lock:
            self.requests.append({"payload": payload, "headers": headers})
            if self.failures:
                mode = self.failures.pop(0)
                if mode == "timeout":
                    return "timeout", {}
                return int(mode), {"error": f"simulated {mode}"}
            ref = payload.get(self.reference_field, "")
            if ref in self.delivered:
                return 200, {"message_id": self.delivered[ref]["message_id"], "duplicate": True}
            self._ids += 1
            record = {"message_id": f"gw-{self._ids}", "payload": payload}
            self.delivered[ref] = record
            return 200, {"message_id": record["message_id"], "status": "accepted"}

    def fail_next(self, mode: str, times: int = 1) -> None:
        with self.lock:
            self.failures.extend([mode] * times)

    def config(self, **overrides) -> dict:
        conf = {"url": self.url, "token": "test-token", "request_format": "json", "timeout": 0.5,
                "response_id_field": "message_id"}
        conf.update(overrides)
        return conf

    def __enter__(self) -> FakeGateway:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
