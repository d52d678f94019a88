"""Display preferences (text size, contrast) kept in a cookie, and the remembered language.

Both work without JavaScript: the /tampilan/ form and the language switch are plain POSTs that set a
cookie; the middleware reads it on every request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import translate_url
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language_from_path

DISPLAY_COOKIE = "balai_tampilan"
DISPLAY_COOKIE_AGE = 365 * 24 * 3600
TEXT_SIZES = ("normal", "large", "larger")
CONTRASTS = ("normal", "high")


@dataclass(frozen=True)
class Display:
    text: str = "normal"
    contrast: str = "normal"

    @property
    def css_classes(self) -> str:
        """Classes for the <html> element; site.css styles them."""
        classes = []
        if self.text != "normal":
            classes.append(f"text-{self.text}")
        if self.contrast != "normal":
            classes.append(f"contrast-{self.contrast}")
        return " ".join(classes)

    def cookie_value(self) -> str:
        return f"{self.text}.{self.contrast}"


def parse_display(raw: str | None) -> Display:
    """Read the cookie; anything unexpected falls back to the defaults (never an error)."""
    text, _, contrast = (raw or "").partition(".")
    return Display(
        text=text if text in TEXT_SIZES else "normal",
        contrast=contrast if contrast in CONTRASTS else "normal",
    )


def save_display(response: HttpResponse, display: Display) -> None:
    response.set_cookie(
        DISPLAY_COOKIE,
        display.cookie_value(),
        max_age=DISPLAY_COOKIE_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


class PreferencesMiddleware:
    """Sets `request.display`, and sends a visitor who chose English back to the /en/ page.

    Place after LocaleMiddleware. Only GET/HEAD of unprefixed pages that exist under /en/ are redirected,
    so machine endpoints and forms are never affected.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.display = parse_display(request.COOKIES.get(DISPLAY_COOKIE))
        redirect = self._remembered_language_redirect(request)
        if redirect is not None:
            return redirect
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        return response

    @staticmethod
    def _remembered_language_redirect(request: HttpRequest) -> HttpResponse | None:
        if request.method not in ("GET", "HEAD"):
            return None
        wanted = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if not wanted or wanted == settings.LANGUAGE_CODE or wanted not in dict(settings.LANGUAGES):
            return None
        if get_language_from_path(request.path_info):
            return None  # the URL says which language: respect it
        full = request.get_full_path()
        target = translate_url(full, wanted)
        if target == full:
            return None  # not a translatable page (API, health check, unknown URL)
        response = HttpResponseRedirect(target)
        patch_vary_headers(response, ("Cookie",))
        return response
