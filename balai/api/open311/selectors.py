"""What the Open311 endpoints read: services, service definitions and requests as plain dicts in the
GeoReport v2 field order (`render.py` writes them as JSON or XML). Requests are read through
`balai.cases.visibility.case_view` as the public sees them: never identity, no text of confidential or
anonymous cases, and no point or village (the public sees the regency only).

Which requests (ADR 0016): a list (`GET requests`) holds only `publicly_listable_cases`, each
identified by its public id (the database id, digits only), never by its tracking code. A request asked
for by its tracking code (`requests/{code}`, or `service_request_id=` with codes) is answered for whoever
holds the code, with the code as its id, as the POST that created it answered."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from balai.api.open311.codes import (
    CATEGORY_PREFIX,
    SERVICE_PREFIX,
    code_for_case,
    code_for_category,
    code_for_service,
)
from balai.cases import workflows
from balai.cases.selectors import case_by_code, case_promise, listable_cases_between, publicly_listable_case
from balai.cases.tracking import normalize_code
from balai.cases.visibility import case_view

if TYPE_CHECKING:
    from balai.cases.models import Case
    from balai.cases.promise import Promise

from balai.catalog.selectors import active_complaint_categories, public_services_with_categories

MAX_RESULTS = 1000  # GeoReport v2: "should not return more than 1000 requests"
DEFAULT_WINDOW = timedelta(days=90)  # GeoReport v2: default date range of GET requests
OPEN311_KINDS = ("service_request", "complaint", "aspiration")

# Form field type → GeoReport v2 datatype. File fields cannot be sent as attributes (media_url carries a link).
DATATYPES = {
    "text": "string", "textarea": "text", "number": "number", "date": "datetime", "choice": "singlevaluelist",
    "boolean": "singlevaluelist", "nik": "string", "phone": "string", "region": "string", "location": "string",
}


def jurisdiction_id() -> str:
    """This instance's jurisdiction (setting `BALAI_OPEN311_JURISDICTION`, default the government's code)."""
    return getattr(settings, "BALAI_OPEN311_JURISDICTION", "") or settings.BALAI_GOVERNMENT_CODE


def _pick(obj: Any, field: str, lang: str) -> str:
    value = getattr(obj, f"{field}_{lang}", "") or getattr(obj, f"{field}_id", "")
    return str(value or "")


def list_services(*, lang: str) -> list[dict]:
    rows = []
    for s in public_services_with_categories():
        rows.append({
            "service_code": code_for_service(s),
            "service_name": _pick(s, "name", lang),
            "description": _pick(s, "summary", lang) or None,
            "metadata": any(f.get("type") in DATATYPES for f in (s.form_definition or [])),
            "type": "realtime",
            "keywords": ",".join(c.slug for c in s.categories.all()) or None,
            "group": s.agency.short_name or None,
        })
    for c in active_complaint_categories(order_by=("order", "slug")):
        rows.append({
            "service_code": code_for_category(c),
            "service_name": _pick(c, "name", lang),
            "description": _pick(c, "description", lang) or None,
            "metadata": False,
            "type": "realtime",
            "keywords": c.keyword or None,
            "group": _("Complaints"),
        })
    return rows


def _label(value: Any, lang: str) -> str:
    if isinstance(value, dict):
        return str(value.get(lang) or value.get("id") or "")
    return str(value or "")


def service_definition(*, target: Any, code: str, lang: str) -> dict:
    """The service definition of a resolved Service or ComplaintCategory (attributes from its form)."""
    attributes = []
    order = 0
    for field in getattr(target, "form_definition", None) or []:
        datatype = DATATYPES.get(field.get("type"))
        if datatype is None:
            continue
        order += 1
        attr = {
            "variable": True,
            "code": field["name"],
            "datatype": datatype,
            "required": bool(field.get("required", False)),
            "datatype_description": _label(field.get("help"), lang) or None,
            "order": order,
            "description": _label(field.get("label"), lang),
        }
        if field.get("type") == "choice":
            attr["values"] = [{"key": c["value"], "name": _label(c.get("label"), lang)}
                              for c in field.get("choices") or []]
        elif field.get("type") == "boolean":
            attr["values"] = [{"key": "true", "name": _("Yes")}, {"key": "false", "name": _("No")}]
        attributes.append(attr)
    return {"service_code": code, "attributes": attributes}


def _iso(value: datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def promise_in(case: Case, lang: str) -> Promise:
    """The case's one deadline promise (ADR 0041), worded in the request's language."""
    with translation.override(lang if lang in ("id", "en") else None):
        return case_promise(case)


def submission_notice(case: Case | None, token: str, lang: str) -> str:
    """`service_notice` of a POST: the case's promise, or, for a queued request (no case yet), where its id
    and promise will be (the deadline runs from registration)."""
    if case is not None:
        return promise_in(case, lang).summary
    with translation.override(lang if lang in ("id", "en") else None):
        return str(_("Received and queued: tokens/%(token)s gives the request id and its deadline once it is "
                     "registered.") % {"token": token})


def request_row(case: Any, *, lang: str, request_id: str) -> dict:
    """One request as the public may see it (GeoReport v2 request fields plus the `lang` extension).

    `request_id`: what identifies it to this caller, the public id in lists, the tracking code when the
    caller asked by code (see the module docstring)."""
    view = case_view(case=case, viewer=None)
    target = case.service or case.complaint_category
    region = view.region
    address = view.location.get("text") if view.location else None
    if not address and region is not None:
        address = str(region.name)
    lat = lon = None
    if view.location and view.location.get("latitude") is not None:
        lat, lon = float(view.location["latitude"]), float(view.location["longitude"])
    status_label = str(workflows.status_label(case.kind, case.status))
    promise = promise_in(case, lang)
    notes = status_label
    if view.public_answer:
        notes = f"{status_label}: {view.public_answer}"
    return {
        "service_request_id": request_id,
        "status": "open" if case.is_open else "closed",
        "status_notes": notes,
        "service_name": _pick(target, "name", lang) if target is not None else None,
        "service_code": code_for_case(case),
        "description": view.description if view.description else None,
        "agency_responsible": str(case.agency.name),
        "service_notice": promise.summary,
        "requested_datetime": _iso(case.submitted_at),
        "updated_datetime": _iso(case.closed_at if not case.is_open and case.closed_at else case.updated_at),
        "expected_datetime": _iso(promise.expected_at) if case.is_open else None,
        "address": address or None,
        "address_id": region.code if region is not None else None,
        "zipcode": None,
        "lat": lat,
        "long": lon,
        "media_url": None,
        "lang": case.language,
    }


def public_id(case: Any) -> str:
    """The id a listed request carries: the case's database id (as on /laporan/<id>/), not its code."""
    return str(case.pk)


def requests_by_ids(ids: list[str]) -> list[tuple[Any, str]]:
    """(case, id to show) for each id asked for: digits are a public id and find only a listable case;
    anything else is read as a tracking code and finds that case, for the holder of the code."""
    found: list[tuple[Any, str]] = []
    seen: set[int] = set()
    for raw in ids[:MAX_RESULTS]:
        raw = raw.strip()
        if raw.isdigit() and len(raw) <= 18:
            case = publicly_listable_case(raw)
            shown = public_id(case) if case is not None else ""
        else:
            code = normalize_code(raw)
            case = case_by_code(code) if code else None
            if case is not None and not _is_open311_case(case):
                case = None
            shown = code or ""
        if case is not None and case.pk not in seen:
            seen.add(case.pk)
            found.append((case, shown))
    return found


def _is_open311_case(case: Any) -> bool:
    """A case Open311 can describe: a service request for a service, a complaint or aspiration with a category."""
    return case.kind in OPEN311_KINDS and bool(case.service_id or case.complaint_category_id)


def list_requests(*, service_codes: list[str] | None = None, start: datetime | None = None,
                  end: datetime | None = None, statuses: list[str] | None = None) -> list[Any]:
    """The publicly listable cases matching GET requests' filters, newest first, at most `MAX_RESULTS`."""
    end = end or timezone.now()
    start = start or end - DEFAULT_WINDOW
    codes = service_codes or []
    return listable_cases_between(
        start=start, end=end,
        service_codes=[c[len(SERVICE_PREFIX):] for c in codes if c.startswith(SERVICE_PREFIX)] if codes else None,
        category_slugs=[c[len(CATEGORY_PREFIX):] for c in codes if c.startswith(CATEGORY_PREFIX)] if codes else None,
        is_open=statuses[0] == "open" if statuses and set(statuses) != {"open", "closed"} else None,
        limit=MAX_RESULTS)
