"""A small GeoReport v2 client (standard library `urllib.request`): used to forward cases to another
government's endpoint and to poll their status (ADR 0013). Its connections refuse non-public addresses
unless allow-listed, and follow no redirects (`balai.outbound`, ADR 0020)."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from typing import Any

from balai.outbound import ForbiddenTarget, opener

TIMEOUT = 15
# Bytes read from a remote answer at most: a hostile endpoint cannot fill the worker's memory.
MAX_ANSWER_BYTES = 1024 * 1024


class Open311Error(Exception):
    """The remote endpoint refused or could not be reached; `.status` is the HTTP code (0 = no answer)."""

    def __init__(self, message: str, *, status: int = 0):
        super().__init__(message)
        self.status = status


class ForbiddenTargetError(Open311Error):
    """The endpoint's address is not public and not allow-listed, or it answered with a redirect."""


class Open311Client:
    def __init__(self, base_url: str, *, api_key: str = "", jurisdiction_id: str = "", timeout: float = TIMEOUT,
                 allowed_hosts: Sequence[str] | None = None):
        if urllib.parse.urlsplit(base_url).scheme not in ("http", "https"):
            raise ValueError("An Open311 endpoint URL must start with http:// or https://")
        self.base_url = base_url.rstrip("/") + "/"
        self.api_key = api_key
        self.jurisdiction_id = jurisdiction_id
        self.timeout = timeout
        if allowed_hosts is None:
            from django.conf import settings

            allowed_hosts = getattr(settings, "BALAI_FORWARD_ALLOWED_HOSTS", None) or ()
        self._opener = opener(allowed_hosts)

    def _url(self, path: str, params: dict | None = None) -> str:
        query = dict(params or {})
        if self.jurisdiction_id:
            query.setdefault("jurisdiction_id", self.jurisdiction_id)
        return self.base_url + path + ("?" + urllib.parse.urlencode(query) if query else "")

    def _call(self, request: urllib.request.Request) -> Any:
        """The JSON answer; Open311Error when refused or unreachable, ForbiddenTarget (a subclass) when
        the address may not be reached or the endpoint redirects."""
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                return json.loads(response.read(MAX_ANSWER_BYTES).decode("utf-8"))
        except ForbiddenTarget as exc:
            raise ForbiddenTargetError(str(exc)) from exc
        except urllib.error.HTTPError as exc:
            try:
                detail = "; ".join(e.get("description", "") for e in json.loads(exc.read(65536).decode("utf-8")))
            except (ValueError, AttributeError, TypeError):
                detail = exc.reason
            raise Open311Error(f"HTTP {exc.code}: {detail}", status=exc.code) from exc
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, ForbiddenTarget):
                raise ForbiddenTargetError(str(exc.reason)) from exc
            raise Open311Error(str(exc)) from exc
        except (TimeoutError, OSError, ValueError) as exc:
            raise Open311Error(str(exc)) from exc

    def get(self, path: str, params: dict | None = None) -> Any:
        url = self._url(path, params)  # scheme checked in __init__
        return self._call(urllib.request.Request(url, headers={"Accept": "application/json"}))  # noqa: S310 - http(s) only

    def services(self) -> list[dict]:
        return self.get("services.json")

    def service_definition(self, code: str) -> dict:
        return self.get(f"services/{urllib.parse.quote(code)}.json")

    def post_request(self, fields: dict[str, Any], attributes: dict[str, Any] | None = None) -> dict:
        data: list[tuple[str, str]] = [(k, str(v)) for k, v in fields.items() if v not in (None, "")]
        for code, value in (attributes or {}).items():
            for v in value if isinstance(value, list | tuple) else [value]:
                data.append((f"attribute[{code}]", str(v)))
        data.append(("api_key", self.api_key))
        if self.jurisdiction_id:
            data.append(("jurisdiction_id", self.jurisdiction_id))
        body = urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(  # noqa: S310 - http(s) only: scheme checked, opener has no other handler
            self.base_url + "requests.json", data=body, method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
        )
        return _first(self._call(request))

    def token(self, token: str) -> dict:
        return _first(self.get(f"tokens/{urllib.parse.quote(token)}.json"))

    def request(self, request_id: str) -> dict:
        return _first(self.get(f"requests/{urllib.parse.quote(request_id)}.json"))


def _first(answer: Any) -> dict:
    """The one object of a GeoReport answer list; anything else is the remote's error, not ours."""
    if isinstance(answer, list) and answer and isinstance(answer[0], dict):
        return answer[0]
    raise Open311Error("the endpoint's answer is not a GeoReport list of objects")
