"""Friendly error pages in both languages (400/403/404/500 and CSRF failure)."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.utils import translation

from balai.portal import errors

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("handler", "status", "id_text", "en_text"), [
    (errors.bad_request, 400, "Ada yang salah dalam permintaan", "Something in the request was wrong"),
    (errors.permission_denied, 403, "Anda tidak dapat membuka halaman ini", "You cannot open this page"),
    (errors.page_not_found, 404, "Halaman tidak ditemukan", "Page not found"),
])
def test_error_handlers_in_both_languages(handler, status, id_text, en_text):
    for lang, text in (("id", id_text), ("en", en_text)):
        request = RequestFactory().get("/x/")
        with translation.override(lang):
            response = handler(request, Exception("boom"))
        assert response.status_code == status
        assert text in response.content.decode()
        assert "boom" not in response.content.decode()


def test_server_error_page_in_both_languages():
    for lang, text in (("id", "Maaf, layanan sedang bermasalah"), ("en", "Sorry, there is a problem with the service")):
        with translation.override(lang):
            response = errors.server_error(RequestFactory().get("/"))
        assert response.status_code == 500
        assert text in response.content.decode()


def test_csrf_failure_shows_friendly_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/tampilan/", {"text": "large", "contrast": "normal"})
    assert response.status_code == 403
    assert "Formulir sudah kedaluwarsa" in response.content.decode()
    response = client.post("/en/tampilan/", {"text": "large", "contrast": "normal"})
    assert "The form has expired" in response.content.decode()
