"""The CSP header (balai/csp_header.py): the site's policy built once per process for the answers that keep
it, exactly what django-csp builds; nonces, decorators and changed settings still change it."""

from __future__ import annotations

from csp.constants import NONCE, SELF
from csp.decorators import csp_update
from csp.utils import build_policy
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from balai.csp_header import CSPMiddleware


def answer(view, path: str = "/"):
    request = RequestFactory().get(path)
    middleware = CSPMiddleware(lambda req: view(req))
    middleware.process_request(request)
    return middleware.process_response(request, view(request))


def plain(request):
    return HttpResponse("ok")


def test_an_answer_that_keeps_the_policy_gets_django_csps_header():
    response = answer(plain)
    assert response["Content-Security-Policy"] == build_policy()
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "Content-Security-Policy-Report-Only" not in response


@override_settings(CONTENT_SECURITY_POLICY={"DIRECTIVES": {"script-src": [SELF, NONCE]}})
def test_a_nonce_drawn_by_the_page_is_in_its_header_and_not_kept_for_the_next():
    def with_nonce(request):
        return HttpResponse(f"<script nonce='{request.csp_nonce}'></script>")

    request = RequestFactory().get("/")
    middleware = CSPMiddleware(with_nonce)
    middleware.process_request(request)
    response = middleware.process_response(request, with_nonce(request))
    assert f"'nonce-{request._csp_nonce}'" in response["Content-Security-Policy"]
    assert "nonce" not in answer(plain)["Content-Security-Policy"]


def test_a_decorator_that_changes_the_policy_is_honoured():
    response = answer(csp_update({"style-src": ["'unsafe-inline'"]})(plain))
    assert "'unsafe-inline'" in response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in answer(plain)["Content-Security-Policy"]


def test_changed_settings_change_the_kept_header():
    before = answer(plain)["Content-Security-Policy"]
    policy = {"DIRECTIVES": {"default-src": ["'none'"]}}
    with override_settings(CONTENT_SECURITY_POLICY=policy, CONTENT_SECURITY_POLICY_REPORT_ONLY=policy):
        changed = answer(plain)
        assert changed["Content-Security-Policy"] == "default-src 'none'"
        assert changed["Content-Security-Policy-Report-Only"] == "default-src 'none'"
        excluded = {"EXCLUDE_URL_PREFIXES": ["/raw/"], "DIRECTIVES": {"default-src": ["'none'"]}}
        with override_settings(CONTENT_SECURITY_POLICY=excluded, CONTENT_SECURITY_POLICY_REPORT_ONLY=None):
            assert "Content-Security-Policy" not in answer(plain, "/raw/file")
    assert answer(plain)["Content-Security-Policy"] == before
