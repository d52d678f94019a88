"""Services of other governments that run Balai (or another Open311 server): the citizen sends the request
from here, Balai forwards it there in the background and shows the provider's tracking code and status
(ADR 0045). Entries without an Open311 endpoint only link to the provider (the catalog's search)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from balai.catalog import selectors
from balai.catalog import services as catalog_services
from balai.i18n import current_language
from balai.net import client_ip, rate_limit_key
from balai.portal.forms.contact import optional_phone
from balai.portal.services import otp

SUBMIT_LIMIT = (5, 60 * 60)  # requests per IP address: 5 an hour (each reaches another government)


class ElsewhereForm(forms.Form):
    description = forms.CharField(label=_("What do you need?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5}),
                                  error_messages={"required": _("Describe what you need.")})
    address = forms.CharField(label=_("Your address or the place concerned (optional)"), max_length=300,
                              required=False)
    contact_name = forms.CharField(label=_("Your full name"), max_length=120, required=False,
                                   widget=forms.TextInput(attrs={"autocomplete": "name"}))
    contact_phone = forms.CharField(label=_("Mobile phone number"), max_length=32, required=False,
                                    help_text=_("For example 0812 3456 7890."),
                                    widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}))
    contact_email = forms.EmailField(label=_("E-mail address"), max_length=200, required=False,
                                     widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    consent = forms.BooleanField(label=_("Send what I typed to the government that provides this service."),
                                 error_messages={"required": _("Tick the box to send your request there.")})

    def clean_contact_phone(self) -> str:
        return optional_phone(self.cleaned_data.get("contact_phone"))

    def clean(self) -> dict:
        data = super().clean()
        if not (data.get("contact_phone") or data.get("contact_email")) and "contact_phone" not in self.errors:
            self.add_error("contact_phone", _("Give a phone number or an e-mail address, so that the provider can "
                                              "reach you."))
        return data


def external_apply(request: HttpRequest, code: str) -> HttpResponse:
    service = selectors.external_service_by_code(code)
    if service is None or not service.forwards_by_open311:
        raise Http404
    form = ElsewhereForm(request.POST or None)
    limited = 0
    if request.method == "POST" and form.is_valid():
        limited = otp.rate_limit_hit(name="external-request", key=rate_limit_key(client_ip(request)),
                                     limit=SUBMIT_LIMIT[0], window=SUBMIT_LIMIT[1])
        if not limited:
            data = form.cleaned_data
            try:
                sent = catalog_services.external_request_submit(
                    service=service, description=data["description"], address=data["address"],
                    contact_name=data["contact_name"], contact_phone=data["contact_phone"],
                    contact_email=data["contact_email"], language=current_language())
            except ValidationError as exc:
                for field, errors in exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]:
                    form.add_error(field if field in form.fields else None, errors)
            else:
                return redirect(reverse("portal:external_request", args=[sent.reference]))
    status = 429 if limited else (400 if request.method == "POST" else 200)
    return render(request, "portal/elsewhere_apply.html", {"service": service, "form": form, "limited": limited},
                  status=status)


def external_request(request: HttpRequest, reference: str) -> HttpResponse:
    found = selectors.external_request_by_reference(reference)
    if found is None:
        raise Http404
    response = render(request, "portal/elsewhere_request.html", {"item": found, "service": found.service})
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
