"""A fake Open311 GeoReport v2 server on 127.0.0.1 (another government's Balai), for the forwarding tests.

`FakeOpen311()` starts it on a free port in a thread; `.url` is its endpoint root, `.posts` the form fields
of every POST requests.json received, `.fail_next` how many POSTs to answer 500 first, `.status` /
`.status_notes` what GET requests/<id>.json answers; clear `.release` to hold POSTs until it is set again
(`.posted` says one arrived). Use as a context manager (stops the server)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs


class FakeOpen311:
    def __init__(self) -> None:
        self.posts: list[dict[str, str]] = []
        self.fail_next = 0
        self.status, self.status_notes = "open", "Diterima"
        self.posted = threading.Event()  # set when a POST arrived (before it is answered)
        self.release = threading.Event()  # a POST is answered once this is set (set: at once)
        self.release.set()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet
                return

            def _answer(self, status: int, payload: Any) -> None:
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                length = int(self.headers.get("Content-Length") or 0)
                fields = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                fake.posted.set()
                fake.release.wait(10)
                if fake.fail_next:
                    fake.fail_next -= 1
                    self._answer(500, [{"code": 500, "description": "sedang pemeliharaan"}])
                    return
                fake.posts.append(fields)
                self._answer(201, [{"service_request_id": f"KK-{len(fake.posts):04d}-UJI", "token": ""}])

            def do_GET(self) -> None:  # noqa: N802
                request_id = self.path.split("/requests/", 1)[-1].split(".json", 1)[0]
                self._answer(200, [{"service_request_id": request_id, "status": fake.status,
                                    "status_notes": fake.status_notes, "updated_datetime": "2026-12-07T10:00:00+08:00"}])

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/open311/v2/"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> FakeOpen311:
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._server.shutdown()
        self._server.server_close()
