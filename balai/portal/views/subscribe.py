"""Subscribing to the PPID's urgent public notices (serta merta) by e-mail (`/informasi/langganan/`): the
address is confirmed by a link sent to it (double opt-in), every notice carries a link that ends the
subscription, and the request is rate-limited. Only the address and the language are kept
(balai.ppid.services, docs/regulations.md §11). Confirming and unsubscribing are a button on the linked
page (a POST), so a mail scanner that opens links changes nothing."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from balai.i18n import current_language
from balai.net import client_ip, rate_limit_key
from balai.ppid import services

TEMPLATE = "portal/subscribe.html"


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Your e-mail address"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))


@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    form = SubscribeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = services.subscription_request(email=form.cleaned_data["email"], language=current_language(),
                                                    client_key=rate_limit_key(client_ip(request)))
        except ValidationError as exc:
            form.add_error("email", exc.message_dict.get("email", exc.messages))
        else:
            if outcome == "limited":
                response = render(request, TEMPLATE, {"state": "limited", "form": form}, status=429)
                response["Retry-After"] = "3600"
                return response
            return render(request, TEMPLATE, {"state": "sent"})
    return render(request, TEMPLATE, {"state": "form", "form": form},
                  status=400 if form.is_bound and form.errors else 200)


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        subscriber = services.subscription_confirm(token=token)
        if subscriber is None:
            return render(request, TEMPLATE, {"state": "invalid"}, status=400)
        return render(request, TEMPLATE, {"state": "confirmed"})
    return render(request, TEMPLATE, {"state": "confirm"})


@require_http_methods(["GET", "POST"])
def stop(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        if not services.subscription_cancel(token=token):
            return render(request, TEMPLATE, {"state": "gone"})
        return render(request, TEMPLATE, {"state": "stopped"})
    return render(request, TEMPLATE, {"state": "stop"})
