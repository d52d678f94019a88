"""Portal pages that are not part of a flow: display settings and the information pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from balai.agencies.selectors import agencies_with_contact
from balai.portal.forms import DisplayForm
from balai.portal.preferences import save_display


@require_http_methods(["GET", "POST"])
def display_settings(request: HttpRequest) -> HttpResponse:
    current = request.display if hasattr(request, "display") else None
    if request.method == "POST":
        form = DisplayForm(request.POST)
        if form.is_valid():
            back = request.POST.get("next") or ""
            if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
                back = ""
            response = redirect(back or request.path + "?disimpan=1")
            save_display(response, form.display())
            return response
    else:
        initial = {"text": current.text, "contrast": current.contrast} if current else {}
        form = DisplayForm(initial=initial or {"text": "normal", "contrast": "normal"})
    return render(request, "portal/display.html", {"form": form, "saved": request.GET.get("disimpan") == "1"},
                  status=400 if form.is_bound and form.errors else 200)


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/privacy.html")


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/accessibility.html")


def contact(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/contact.html", {"agencies": agencies_with_contact()})
