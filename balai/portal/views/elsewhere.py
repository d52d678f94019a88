"""Services of other governments that run Balai (or another Open311 server): the citizen sends the request
from here, Balai forwards it there in the background and shows the provider's tracking code and status
(ADR 0045). Entries without an Open311 endpoint only link to the provider (the catalog's search)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from balai.catalog import selectors
from balai.catalog import services as catalog_services
from balai.i18n import current_language
from balai.net import client_ip, rate_limit_key
from balai.portal.forms.elsewhere import ElsewhereForm
from balai.portal.services import otp

SUBMIT_LIMIT = (5, 60 * 60)  # requests per IP address: 5 an hour (each reaches another government)


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
