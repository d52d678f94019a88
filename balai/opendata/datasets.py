"""The open datasets: their fields (names, types, descriptions) and their rows, as iterators.

Aggregates come only from the transparency selectors (roll-up tables); the public-cases dataset reads the
cases every public list may show (`balai.cases.selectors.publicly_listable_cases`: marked public by the
citizen and verified by staff, ADR 0016) with `iterator(chunk_size=...)` and keeps nothing personal
(UU 27/2022):
- never: names, phones, e-mails, addresses, NIKs, form answers, accommodation notes, tracking codes (the
  code lets its holder ask for a one-time code), attachments; confidential and anonymous cases are not
  in it at all (the aggregates count them);
- free text (title, description) masked as on the case's public page (`balai.cases.visibility.redact_public`:
  phones, e-mails, NIKs, the citizen's own name, the names of the officials who acted on the case, names
  after a title of address or office);
- place: regency/city and district; coordinates rounded to 2 decimals (about 1 km), so that no house can
  be pointed at.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from itertools import islice
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from balai.cases.selectors import official_names, publicly_listable_values
from balai.cases.visibility import redact_public_text
from balai.ict.selectors import application_rows, monthly_uptime_rows
from balai.opendata.selectors import audit_heads
from balai.participation import selectors as participation
from balai.ppid.selectors import public_items_rows
from balai.transparency.figures import as_row
from balai.transparency.selectors import aggregate_rows, scope_names

CHUNK_SIZE = 2000
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
COORD_STEP = Decimal("0.01")


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # integer, decimal, string, boolean, date (ISO 8601), month (YYYY-MM)
    description: Promise


# The kinds read live from their tables: a page says "last: <now>" for them (never kept by the page cache).
LIVE_DATASET_KINDS = ("cases", "participation", "register")


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: Promise
    description: Promise
    fields: tuple[Field, ...]
    rows: Callable[[], Iterator[dict[str, Any]]]
    frequency: str = "continuous"  # DCAT accrual periodicity (Dublin Core frequency vocabulary)
    kind: str = "aggregate"

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]


# --- aggregates ---------------------------------------------------------------------------------------

FIGURE_FIELDS: tuple[Field, ...] = (
    Field("suppressed", "boolean", _("True when the cell has fewer than 10 cases: every figure is left empty.")),
    Field("received", "integer", _("Cases received in the month.")),
    Field("closed", "integer", _("Cases closed in the month.")),
    Field("open", "integer", _("Of the cases received in the month, those still open now.")),
    Field("median_days", "decimal", _("Median working days from receipt to closing, of the cases closed.")),
    Field("p90_days", "integer", _("90th percentile of working days to close (nearest rank).")),
    Field("mean_days", "decimal", _("Mean working days to close.")),
    Field("closed_on_time_pct", "decimal", _("Share of closed cases closed within their deadline, in percent.")),
    Field("complaints", "integer", _("Complaints and aspirations received.")),
    Field("complaints_verified_3_pct", "decimal",
          _("Share of complaints verified within 3 working days, in percent (Perpres 76/2013).")),
    Field("complaints_followed_up_5_pct", "decimal",
          _("Share of verified complaints followed up within 5 working days, in percent.")),
    Field("info_requests", "integer", _("Information requests received.")),
    Field("info_answered_on_time_pct", "decimal",
          _("Share of information requests answered within 10 working days (17 when extended), in percent "
            "(UU 14/2008).")),
    Field("info_extended", "integer", _("Information requests whose deadline was extended.")),
    Field("objections", "integer", _("Objections to information decisions.")),
    Field("ikm", "decimal", _("Satisfaction index (1–4), PermenPANRB 14/2017.")),
    Field("ikm_converted", "decimal", _("Satisfaction index converted to 25–100.")),
    Field("ikm_grade", "string", _("Quality grade A–D of the satisfaction index.")),
    Field("ikm_respondents", "integer", _("Full survey responses.")),
    Field("ikm_recommended_sample", "integer",
          _("Respondents recommended by the Krejcie–Morgan table for the cases closed.")),
    Field("quick_rating_count", "integer", _("Quick ratings (one score by SMS), not part of the index.")),
    Field("quick_rating_average", "decimal", _("Average quick rating (1–4).")),
)

KEY_FIELDS: tuple[Field, ...] = (
    Field("scope", "string", _("What the row is about: government, agency, unit, service or category.")),
    Field("scope_id", "integer", _("Database id of the agency, unit, service or category.")),
    Field("scope_code", "string", _("Stable code: agency slug, unit slug, service code or category slug.")),
    Field("scope_name", "string", _("Name (Indonesian).")),
    Field("split", "string", _("Breakdown: empty, channel, area, regency, district or accommodation.")),
    Field("value", "string", _("Value of the breakdown (channel, area, region code, accommodation need).")),
    Field("kind", "string", _("Case kind: service_request, complaint, aspiration, information_request or "
                              "ict_request.")),
    Field("month", "month", _("Month (YYYY-MM).")),
)

AGGREGATE_FIELDS = KEY_FIELDS + FIGURE_FIELDS


def _names(scope: str) -> dict[int, tuple[str, str]]:
    """id → (code, name) of the entities of a scope (small tables)."""
    return scope_names(scope)


def _aggregate(scope: str, splits: tuple[str, ...] = ("",)) -> Callable[[], Iterator[dict[str, Any]]]:
    def rows() -> Iterator[dict[str, Any]]:
        names = _names(scope)
        for split in splits:
            for row in aggregate_rows(scope=scope, split=split):
                code, name = names.get(row.scope_id, ("", ""))
                yield {"scope": row.scope, "scope_id": row.scope_id, "scope_code": code, "scope_name": name,
                       "split": row.split, "value": row.value, "kind": row.kind,
                       "month": row.month.strftime("%Y-%m") if row.month else None, **as_row(row.figures)}

    return rows


# --- public cases ---------------------------------------------------------------------------------------

CASE_FIELDS: tuple[Field, ...] = (
    Field("id", "integer", _("Public number of the case (as on /laporan/<id>/); not the tracking code.")),
    Field("kind", "string", _("Case kind.")),
    Field("channel", "string", _("Channel the case came in by (web, sms, whatsapp, email, counter, api…).")),
    Field("agency", "string", _("Slug of the agency responsible now.")),
    Field("service", "string", _("Code of the service asked for (service requests).")),
    Field("category", "string", _("Slug of the complaint category.")),
    Field("regency", "string", _("Kemendagri code of the regency or city.")),
    Field("district", "string", _("Kemendagri code of the district.")),
    Field("confidentiality", "string", _("Always public: confidential and anonymous cases are not listed.")),
    Field("status", "string", _("Current status.")),
    Field("is_open", "boolean", _("Whether the case is still open.")),
    Field("submitted_on", "date", _("Day of submission (local date).")),
    Field("closed_on", "date", _("Day of closing (local date).")),
    Field("working_days", "integer", _("Working days taken, when the clock stopped.")),
    Field("title", "string", _("Title, with phone numbers, e-mails, NIKs and the citizen's name masked.")),
    Field("description", "string",
          _("Description, with phone numbers, e-mails, NIKs and the citizen's name masked.")),
    Field("latitude", "decimal", _("Latitude rounded to 0.01° (about 1 km).")),
    Field("longitude", "decimal", _("Longitude rounded to 0.01° (about 1 km).")),
)

_CASE_COLUMNS = ("id", "kind", "channel", "agency__slug", "service__code", "complaint_category__slug",
                 "region__code", "confidentiality", "status", "is_open", "submitted_at", "closed_at",
                 "elapsed_working_days", "title", "description", "latitude", "longitude", "contact_name",
                 "extra")


def _round(value: Decimal | None) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(COORD_STEP, rounding=ROUND_HALF_UP)


def _local_date(moment: datetime | None, tz) -> str | None:
    return moment.astimezone(tz).date().isoformat() if moment else None


def public_case_rows() -> Iterator[dict[str, Any]]:
    """The publicly listable cases, without personal data (see the module docstring), oldest first, read in
    chunks; the text masked as on the case's public page (`visibility.redact_public`, ADR 0043: also the
    names of the officials who acted on it, read once per chunk)."""
    rows = publicly_listable_values(_CASE_COLUMNS, chunk_size=CHUNK_SIZE)
    while batch := list(islice(rows, CHUNK_SIZE)):
        officials = official_names([row[0] for row in batch])
        yield from _public_case_batch(batch, officials)


def _public_case_batch(batch: list[tuple], officials: dict[int, set[str]]) -> Iterator[dict[str, Any]]:
    tz = timezone.get_current_timezone()
    for (pk, kind, channel, agency, service, category, region, conf, status, is_open, submitted, closed,
         days, title, description, lat, lon, name, extra) in batch:
        acted = officials.get(pk, ())
        version = (extra or {}).get("public_version") or {}  # a moderator's public text (ADR 0043)
        title = version.get("title") or title
        description = version.get("description", description)
        parts = region.split(".") if region else []
        yield {
            "id": pk, "kind": kind, "channel": channel, "agency": agency or "", "service": service or "",
            "category": category or "", "regency": ".".join(parts[:2]) if len(parts) >= 2 else "",
            "district": ".".join(parts[:3]) if len(parts) >= 3 else "",
            "confidentiality": conf, "status": status, "is_open": is_open,
            "submitted_on": _local_date(submitted, tz), "closed_on": _local_date(closed, tz),
            "working_days": days,
            "title": redact_public_text(title, citizen_name=name, officials=acted),
            "description": redact_public_text(description, citizen_name=name, officials=acted),
            "latitude": _round(lat), "longitude": _round(lon),
        }


# --- audit heads ----------------------------------------------------------------------------------------

AUDIT_FIELDS: tuple[Field, ...] = (
    Field("day", "date", _("Day the head was published.")),
    Field("count", "integer", _("Number of records in the audit chain then.")),
    Field("hash", "string", _("SHA-256 hash of the newest record then (hex).")),
)


def audit_head_rows() -> Iterator[dict[str, Any]]:
    for day, count, last_hash in audit_heads(chunk_size=CHUNK_SIZE):
        yield {"day": day.isoformat(), "count": count, "hash": last_hash}


# --- participation ---------------------------------------------------------------------------------------

BUDGET_FIELDS: tuple[Field, ...] = (
    Field("process", "string", _("Slug of the participatory-budget process.")),
    Field("region", "string", _("Region code of the process (Kemendagri).")),
    Field("ballot_kind", "string", _("knapsack (share out the budget) or approval (pick up to N projects).")),
    Field("budget", "integer", _("Budget of the process in rupiah.")),
    Field("ballots", "integer", _("Ballots counted, all channels.")),
    Field("rank", "integer", _("Rank of the project by votes (ties: cheaper first, then code).")),
    Field("project", "string", _("Project code.")),
    Field("title", "string", _("Project title.")),
    Field("votes", "integer", _("Votes for the project, exactly.")),
    Field("cost", "integer", _("Estimated cost in rupiah.")),
    Field("funded", "boolean", _("True when the project is funded.")),
)

INCLUSION_FIELDS: tuple[Field, ...] = (
    Field("figure", "string", _("What is counted and how it is split, e.g. ballots_channel.")),
    Field("value", "string", _("The group: channel, gender, disability or region code.")),
    Field("count", "integer", _("How many; empty when fewer than 10 (suppressed).")),
    Field("suppressed", "boolean", _("True when the count is below 10 and is not shown.")),
)


def budget_rows() -> Iterator[dict[str, Any]]:
    for process in participation.processes_with_results():
        data = participation.budget_results(process)
        for row in data.result.rows:
            yield {"process": process.slug, "region": process.region.code, "ballot_kind": data.kind,
                   "budget": data.result.budget, "ballots": data.result.ballots, "rank": row.rank,
                   "project": row.code, "title": data.projects[row.code].title, "votes": row.votes,
                   "cost": row.cost, "funded": row.funded}


def inclusion_rows() -> Iterator[dict[str, Any]]:
    for figure, cells in participation.inclusion_figures().items():
        for cell in cells:
            yield {"figure": figure, "value": cell.value, "count": cell.count, "suppressed": cell.count is None}


# --- Diskominfo's registry and status figures (docs/regulations.md §13) ---------------------------------

APPLICATION_FIELDS: tuple[Field, ...] = (
    Field("slug", "string", _("Identifier of the application in this registry.")),
    Field("name", "string", _("Name.")),
    Field("agency", "string", _("Owner agency.")),
    Field("unit", "string", _("Owner unit.")),
    Field("purpose", "string", _("What it is for.")),
    Field("spbe_code", "string", _("Business process it serves (SPBE reference-architecture code).")),
    Field("type", "string", _("umum (general, national) or khusus (special).")),
    Field("url", "string", _("Address.")),
    Field("hosting", "string", _("Where it runs.")),
    Field("technology", "string", _("Main technology.")),
    Field("personal_data", "boolean", _("Whether it holds personal data.")),
    Field("classification", "string", _("Classification of its data.")),
    Field("status", "string", _("development, live or retired.")),
    Field("users", "string", _("Who uses it: public, staff or both.")),
    Field("year", "integer", _("Year built.")),
    Field("budget_line", "string", _("Budget line.")),
    Field("last_security_test", "date", _("Date of the last security test.")),
    Field("approval_reference", "string", _("Approval letter for a new application.")),
)
UPTIME_FIELDS: tuple[Field, ...] = (
    Field("application", "string", _("Identifier of the application (see the applications dataset).")),
    Field("month", "month", _("Month (WITA).")),
    Field("checks", "integer", _("Number of automatic checks.")),
    Field("uptime_pct", "decimal", _("Share of checks that found it up, in percent.")),
    Field("mean_response_ms", "integer", _("Mean response time of the successful checks, in milliseconds.")),
)


# --- the list -------------------------------------------------------------------------------------------

SPLITS = ("channel", "area", "regency", "district", "accommodation")

REGISTER_FIELDS: tuple[Field, ...] = (
    Field("number", "string", _("Number of the item in the register.")),
    Field("agency", "string", _("Slug of the agency.")),
    Field("title", "string", _("The information.")),
    Field("summary", "string", _("Summary of content.")),
    Field("holder", "string", _("Official or unit that holds it.")),
    Field("responsible", "string", _("Person responsible.")),
    Field("made_when", "date", _("When it was made.")),
    Field("made_where", "string", _("Where it was made.")),
    Field("format", "string", _("Form: soft, hard or both.")),
    Field("retention", "string", _("Retention period.")),
    Field("category", "string", _("berkala, serta_merta, setiap_saat or dikecualikan (UU 14/2008 arts. 9–11, 17).")),
    Field("year", "integer", _("Year of the information.")),
    Field("document_url", "string", _("Address of the document, when published online.")),
    Field("where_to_get", "string", _("Where to get it otherwise.")),
    Field("last_update", "date", _("Last update of the item.")),
)


def register_rows() -> Iterator[dict[str, Any]]:
    """The approved items of the register of public information (docs/regulations.md §11)."""
    tz = timezone.get_current_timezone()
    for item in public_items_rows(chunk_size=CHUNK_SIZE):
        yield {"number": item.number, "agency": item.agency.slug, "title": item.title, "summary": item.summary,
               "holder": item.holder, "responsible": item.responsible, "made_when": item.made_when,
               "made_where": item.made_where, "format": item.format, "retention": item.retention,
               "category": item.category, "year": item.year, "document_url": item.document_url,
               "where_to_get": item.where_to_get, "last_update": _local_date(item.content_updated_at, tz)}


DATASETS: dict[str, Dataset] = {d.slug: d for d in (
    Dataset("kinerja-provinsi", _("Performance of the province by month"),
            _("Figures of all agencies together, per case kind and month."), AGGREGATE_FIELDS,
            _aggregate("government")),
    Dataset("kinerja-instansi", _("Performance of each agency by month"),
            _("Figures per agency, case kind and month."), AGGREGATE_FIELDS, _aggregate("agency")),
    Dataset("kinerja-unit", _("Performance of each unit by month"),
            _("Figures per unit of an agency, case kind and month."), AGGREGATE_FIELDS, _aggregate("unit")),
    Dataset("kinerja-layanan", _("Performance of each service by month"),
            _("Figures per service, case kind and month, including the satisfaction index."), AGGREGATE_FIELDS,
            _aggregate("service")),
    Dataset("kinerja-kategori", _("Complaints by category and month"),
            _("Figures per complaint category, case kind and month."), AGGREGATE_FIELDS, _aggregate("category")),
    Dataset("kesenjangan", _("Inclusion gap: figures by channel, area, region and accommodation need"),
            _("Figures of the province split by channel, city vs regency, regency/city, district and "
              "accommodation need, per case kind and month. Cells with fewer than 10 cases are suppressed."),
            AGGREGATE_FIELDS, _aggregate("government", SPLITS)),
    Dataset("kasus-publik", _("Public cases, without personal data"),
            _("One row per complaint or aspiration its citizen made public, once staff verified it: kind, "
              "channel, agency, place, status, dates and the text, masked. No names, contacts, NIKs or "
              "tracking codes; confidential and anonymous cases are only counted in the aggregates."),
            CASE_FIELDS,
            public_case_rows, kind="cases"),
    Dataset("partisipasi-anggaran", _("Participatory budgets: votes per project"),
            _("For each participatory budget whose results are published: every project's exact vote count, "
              "cost, rank and whether it is funded, with the number of ballots of all channels together."),
            BUDGET_FIELDS, budget_rows, kind="participation"),
    Dataset("partisipasi-inklusi", _("Who takes part: participation by channel, gender, disability and region"),
            _("Proposals, supports, votes and Musrenbang attendance counted by channel, gender, disability and "
              "regency or city. Counts below 10 are suppressed."), INCLUSION_FIELDS, inclusion_rows,
            kind="participation"),
    Dataset("daftar-informasi", _("Register of public information"),
            _("The Daftar Informasi Publik of every agency: one row per approved item with the columns the law "
              "sets (Perki 1/2010), its category and its last update."), REGISTER_FIELDS, register_rows,
            frequency="daily", kind="register"),
    Dataset("audit-heads", _("Published heads of the audit chain"),
            _("Once a day, the number of records in the audit chain and the hash of the newest one, so anyone can "
              "check later that history was not rewritten."), AUDIT_FIELDS, audit_head_rows, frequency="daily",
            kind="audit"),
    Dataset("aplikasi", _("Government applications"),
            _("The registry of the government's applications: owner, purpose, SPBE business process, hosting, "
              "data held and status. Planned applications are not listed."), APPLICATION_FIELDS, application_rows,
            kind="cases"),
    Dataset("uptime-bulanan", _("Monthly uptime of the government's applications"),
            _("Per application and month: number of automatic checks, uptime in percent and mean response time."),
            UPTIME_FIELDS, monthly_uptime_rows, frequency="daily", kind="cases"),
)}


def json_value(field_type: str, value: Any) -> Any:
    """The JSON value of a field: decimals are numbers (roll-ups hand them over as strings), None is null."""
    if value is None or value == "" and field_type not in ("string",):
        return None
    if field_type == "decimal":
        return float(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def csv_value(value: Any) -> str:
    """The CSV cell of a value: empty for None, true/false for booleans."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


__all__ = ["DATASETS", "Dataset", "Field", "LICENSE", "CHUNK_SIZE", "public_case_rows", "audit_head_rows", "json_value",
           "csv_value"]
