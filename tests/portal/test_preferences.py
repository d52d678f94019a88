"""Language switch and display modes work without JavaScript and are remembered in cookies."""

from __future__ import annotations

import pytest
from django.conf import settings

from balai.portal.preferences import DISPLAY_COOKIE, Display, parse_display

pytestmark = pytest.mark.django_db


def test_language_switch_posts_and_is_remembered(client, catalog):
    html = client.get("/layanan/akta-kelahiran/").content.decode()
    assert 'name="next" value="/en/layanan/akta-kelahiran/"' in html
    assert 'lang="en">English</button>' in html
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/en/layanan/akta-kelahiran/"})
    assert response.status_code == 302
    assert response["Location"] == "/en/layanan/akta-kelahiran/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert int(response.cookies[settings.LANGUAGE_COOKIE_NAME]["max-age"]) >= 365 * 24 * 3600  # not per session
    # Next visit to an Indonesian address: sent to the English page.
    again = client.get("/layanan/?q=akta")
    assert again.status_code == 302
    assert again["Location"] == "/en/layanan/?q=akta"
    # Switching back to Indonesian stops the redirect.
    back = client.post("/i18n/setlang/", {"language": "id", "next": "/layanan/"})
    assert back["Location"] == "/layanan/"
    assert client.get("/layanan/").status_code == 200


def test_remembered_language_never_redirects_posts_or_machine_endpoints(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert client.get("/healthz").status_code != 302
    assert client.get("/tidak-ada/").status_code == 404
    assert client.post("/tampilan/", {"text": "normal", "contrast": "normal"}).status_code == 302
    assert client.get("/en/").status_code == 200


def test_switch_back_from_english_page_targets_indonesian_address(client, catalog):
    html = client.get("/en/layanan/?q=akta").content.decode()
    assert 'name="next" value="/layanan/?q=akta"' in html


def test_display_mode_cookie(client):
    assert b'<html lang="id">' in client.get("/").content
    response = client.post("/tampilan/", {"text": "larger", "contrast": "high"})
    assert response.status_code == 302 and response["Location"] == "/tampilan/?disimpan=1"
    cookie = response.cookies[DISPLAY_COOKIE]
    assert cookie.value == "larger.high" and cookie["httponly"] and cookie["samesite"] == "Lax"
    page = client.get("/tampilan/?disimpan=1").content.decode()
    assert '<html lang="id" class="text-larger contrast-high">' in page
    assert "Tersimpan" in page
    assert 'value="larger" required id="id_text_2" checked' in page or 'checked' in page


def test_display_form_errors_are_summarised(client):
    response = client.post("/tampilan/", {"text": "huge"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Ada masalah" in html
    assert 'href="#id_text_0"' in html and 'href="#id_contrast_0"' in html
    assert 'aria-describedby="id_text-error"' in html


def test_display_ignores_a_forged_cookie():
    assert parse_display("<script>.high") == Display(text="normal", contrast="high")
    assert parse_display(None).css_classes == ""
    assert parse_display("large.normal").css_classes == "text-large"
