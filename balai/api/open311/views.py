"""Open311 GeoReport v2 endpoints. Views only parse input, call `selectors` / `services`, and render."""

from __future__ import annotations

import functools
from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from balai.api.auth import InvalidKey, authenticate_client, client_has_scope
from balai.api.open311 import codes, selectors, services
from balai.api.open311.render import errors, respond
from balai.api.throttling import check_request

LANGS = ("id", "en")
SPEC_URL = "http://wiki.open311.org/GeoReport_v2"


def _lang(request) -> str | None:
    raw = (request.POST.get("lang") if request.method == "POST" else None) or request.GET.get("lang") or "id"
    raw = raw.strip().lower()[:5].split("-")[0]
    return raw if raw in LANGS else None


def open311_view(methods: tuple[str, ...] = ("GET",)):
    """Common steps: method, `lang`, `jurisdiction_id`, rate limit for callers without a key, errors in the spec format."""

    def wrap(fn):
        @csrf_exempt
        @functools.wraps(fn)
        def view(request, *args, fmt: str = "json", **kwargs):
            if request.method not in methods:
                return errors(fmt, 405, [_("This method is not allowed here.")], headers={"Allow": ", ".join(methods)})
            lang = _lang(request)
            if lang is None:
                return errors(fmt, 400, [_("lang must be \"id\" or \"en\".")])
            with translation.override(lang):
                data = request.POST if request.method == "POST" else request.GET
                jurisdiction = (data.get("jurisdiction_id") or request.GET.get("jurisdiction_id") or "").strip()
                if jurisdiction and jurisdiction != selectors.jurisdiction_id():
                    return errors(fmt, 404, [_("jurisdiction_id provided was not found.")])
                if request.method == "GET":
                    rate = check_request(request)
                    if not rate.allowed:
                        return errors(fmt, 429, [_("Too many requests. Try again in %(s)d seconds.")
                                                 % {"s": rate.retry_after}],
                                      headers={"Retry-After": str(rate.retry_after)})
                return fn(request, *args, fmt=fmt, lang=lang, **kwargs)

        return require_http_methods(["GET", "POST", "HEAD", "OPTIONS"])(view)

    return wrap


@open311_view()
def discovery(request, *, fmt: str, lang: str):
    base = request.build_absolute_uri("/open311/v2/")
    doc = {
        "changeset": "2026-11-27T00:00:00Z",
        "contact": _("Balai, Government of the Province of East Kalimantan"),
        "key_service": request.build_absolute_uri("/api/docs/"),
        "endpoints": [{"specification": SPEC_URL, "url": base, "changeset": "2026-11-27T00:00:00Z",
                       "type": "production", "formats": ["text/xml", "application/json"]}],
    }
    return respond("discovery", doc, fmt)


@open311_view()
def service_list(request, *, fmt: str, lang: str):
    return respond("services", selectors.list_services(lang=lang), fmt)


@open311_view()
def service_definition(request, code: str, *, fmt: str, lang: str):
    target = codes.resolve(code)
    if target is None:
        return errors(fmt, 404, [_("service_code was not found.")])
    return respond("service_definition", selectors.service_definition(target=target, code=code, lang=lang), fmt)


def _parse_when(raw: str) -> datetime | None:
    value = parse_datetime(raw)
    if value is None:
        day = parse_date(raw)
        if day is None:
            raise ValueError(raw)
        value = datetime(day.year, day.month, day.day, tzinfo=timezone.get_current_timezone())
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


@open311_view(("GET", "POST"))
def requests_view(request, *, fmt: str, lang: str):
    if request.method == "POST":
        return _create(request, fmt=fmt, lang=lang)
    q = request.GET
    ids = [i for i in (q.get("service_request_id") or "").split(",") if i.strip()]
    service_codes = [c.strip() for c in (q.get("service_code") or "").split(",") if c.strip()]
    statuses = [s.strip() for s in (q.get("status") or "").split(",") if s.strip()]
    if any(s not in ("open", "closed") for s in statuses):
        return errors(fmt, 400, [_("status must be open or closed.")])
    try:
        start = _parse_when(q["start_date"]) if q.get("start_date") else None
        end = _parse_when(q["end_date"]) if q.get("end_date") else None
    except ValueError:
        return errors(fmt, 400, [_("start_date and end_date must be W3C date-times, like 2026-01-31T09:00:00+08:00.")])
    if start and end and start > end:
        return errors(fmt, 400, [_("start_date must be before end_date.")])
    if start and not end:
        end = min(start + selectors.DEFAULT_WINDOW, timezone.now())
    if ids:  # ids given: only those, the other filters are ignored (GeoReport v2)
        found = selectors.requests_by_ids(ids)
    else:
        found = [(c, selectors.public_id(c)) for c in selectors.list_requests(
            service_codes=service_codes, start=start, end=end, statuses=statuses)]
    return respond("requests", [selectors.request_row(c, lang=lang, request_id=i) for c, i in found], fmt)


@open311_view()
def request_detail(request, request_id: str, *, fmt: str, lang: str):
    found = selectors.requests_by_ids([request_id])
    if not found:
        return errors(fmt, 404, [_("service_request_id was not found.")])
    case, shown = found[0]
    return respond("requests", [selectors.request_row(case, lang=lang, request_id=shown)], fmt)


@open311_view()
def token_detail(request, token: str, *, fmt: str, lang: str):
    try:
        found = services.resolve_token(token)
    except ValidationError as exc:  # queued, then refused by the engine (e.g. its category was retired)
        return errors(fmt, 400, _messages(exc))
    if found is None:
        return errors(fmt, 404, [_("token was not found.")])
    return respond("tokens", [found], fmt)


def _create(request, *, fmt: str, lang: str):
    if not (request.POST.get("api_key") or "").strip() and not request.META.get("HTTP_AUTHORIZATION"):
        return errors(fmt, 400, [_("api_key is required.")])
    try:
        client = authenticate_client(request, allow_param=True)
    except InvalidKey:
        return errors(fmt, 403, [_("The api_key is not valid, or it has been revoked.")])
    if client is None or not client_has_scope(client, "cases:submit"):
        return errors(fmt, 403, [_("This api_key may not submit requests.")])
    rate = check_request(request, client=client)
    if not rate.allowed:
        return errors(fmt, 429, [_("Too many requests. Try again in %(s)d seconds.") % {"s": rate.retry_after}],
                      headers={"Retry-After": str(rate.retry_after)})
    code = (request.POST.get("service_code") or "").strip()
    if not code:
        return errors(fmt, 400, [_("service_code is required.")])
    target = codes.resolve(code)
    if target is None:
        return errors(fmt, 400, [_("service_code was not found.")])
    try:
        result = services.submit_request(client=client, target=target, data=request.POST, lang=lang)
    except ValidationError as exc:
        return errors(fmt, 400, _messages(exc))
    notice = selectors.submission_notice(result.case, result.token, lang)
    # Queued intake answers with the token only; tokens/{token} gives the id once the case is registered.
    request_id = result.case.tracking_code if result.case is not None else None
    rows = [{"service_request_id": request_id, "token": result.token, "service_notice": notice,
             "account_id": None}]
    return respond("requests", rows, fmt, status=201)


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        out = []
        for field, errs in exc.message_dict.items():
            name = field.removeprefix("answers.")
            label = f"attribute[{name}]" if field.startswith("answers.") else name
            out.extend(f"{label}: {m}" for m in errs)
        return out
    return list(exc.messages)
