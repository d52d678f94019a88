"""What a citizen (or an officer on their behalf) asks for: the one value every face builds (ADR 0026).

The portal, the office counter, the REST API, Open311, the SMS/WhatsApp/e-mail channels and the queued
intake each parse their own input and build a `Submission`; `case_submit(submission)` validates, routes and
registers it. A queued submission (ADR 0014) is stored as JSON (`to_payload`) and comes back as the same
value (`from_payload`), objects by primary key.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Final, TypeAlias

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from balai.agencies.models import Agency, Region
    from balai.catalog.models import ComplaintCategory, Service
    from balai.people.models import ClientApplication, User

# A JSON value, as the service form's answers and `Case.extra` hold them.
JSONValue: TypeAlias = "str | int | float | bool | None | list[JSONValue] | dict[str, JSONValue]"
Uploads: TypeAlias = "Sequence[UploadedFile] | Mapping[str, UploadedFile]"
Coordinate: TypeAlias = "Decimal | float | str | None"


@dataclass(frozen=True, kw_only=True)
class Submission:
    """A new case as asked for, before validation. Field meanings follow `balai.cases.models.Case`.

    `files` is a sequence of uploads, or a mapping field name → upload for the service form's file fields.
    `region` may be a region code (as the channels receive it); `agency` (information requests only) an
    agency, its primary key, or none for the main PPID. `submitted_at` replays a submission at a past moment
    (the queued intake's moment of acceptance, demo data).
    """

    kind: str
    channel: str
    title: str
    description: str = ""
    service: Service | None = None
    complaint_category: ComplaintCategory | None = None
    answers: Mapping[str, JSONValue] = field(default_factory=dict)
    citizen: User | None = None
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    contact_address: str = ""
    contact_channel: str = "sms"
    language: str = "id"
    region: Region | str | None = None
    latitude: Coordinate = None
    longitude: Coordinate = None
    location_text: str = ""
    confidentiality: str = "public"
    accommodations: Sequence[str] = ()
    accommodation_note: str = ""
    files: Uploads = ()
    registered_by: User | None = None
    client: ClientApplication | None = None
    submitted_at: datetime | None = None
    extra: Mapping[str, JSONValue] = field(default_factory=dict)
    agency: Agency | int | str | None = None

    def but(self, **changes: object) -> Submission:
        """A copy with some fields changed (`dataclasses.replace`)."""
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]

    # ---------------------------------------------------------------------------------------------
    # queued intake: JSON and back

    def to_payload(self) -> dict[str, JSONValue]:
        """The JSON a `QueuedSubmission` stores: plain fields as they are, rows by primary key, answers
        sealed as the case will store them (ADR 0019). Raises TypeError for what cannot be queued (uploads,
        a citizen account, a counter officer: only what a client application sends is queued)."""
        refused = [name for name in _NOT_QUEUEABLE if getattr(self, name)]
        if refused:
            raise TypeError(f"not queueable: {sorted(refused)}")
        data: dict[str, JSONValue] = {name: _plain(getattr(self, name)) for name in _PLAIN}
        if self.answers:
            from balai.catalog.sealed_answers import seal_answers

            definition = self.service.form_definition if self.service is not None else None
            data["answers"] = seal_answers(definition, self.answers)
        region = self.region
        if isinstance(region, str):  # a region code, as case_submit accepts
            from balai.agencies.selectors import region_by_code

            region = region_by_code(region)
        agency = self.agency
        data["service"] = self.service.pk if self.service is not None else None
        data["complaint_category"] = self.complaint_category.pk if self.complaint_category is not None else None
        data["region"] = region.pk if region is not None else None
        data["agency"] = agency if isinstance(agency, int | str) or agency is None else agency.pk
        for name in ("latitude", "longitude"):
            value = getattr(self, name)
            data[name] = None if value in (None, "") else str(value)
        return data

    @classmethod
    def from_payload(cls, payload: Mapping[str, JSONValue], *, client: ClientApplication | None = None,
                     submitted_at: datetime | None = None, rows: RowCache | None = None) -> Submission:
        """The submission a stored payload describes (rows read through `rows`, once per batch)."""
        rows = rows or RowCache()
        plain: dict[str, object] = {name: payload[name] for name in _PLAIN if name in payload}
        if "accommodations" in plain:
            plain["accommodations"] = tuple(plain["accommodations"] or ())  # type: ignore[arg-type]
        refs = {name: rows.get(app, model, payload.get(name)) for name, (app, model) in _REFS.items()}
        return cls(**plain, **refs, latitude=_coordinate(payload.get("latitude")),  # type: ignore[arg-type]
                   longitude=_coordinate(payload.get("longitude")), client=client, submitted_at=submitted_at)


# Stored by primary key in a queued payload: (app label, model name).
_REFS: Final = {"service": ("catalog", "Service"), "complaint_category": ("catalog", "ComplaintCategory"),
                "region": ("agencies", "Region"), "agency": ("agencies", "Agency")}
_PLAIN: Final = ("kind", "channel", "title", "description", "answers", "contact_name", "contact_phone",
                 "contact_email", "contact_address", "contact_channel", "language", "location_text",
                 "confidentiality", "accommodations", "accommodation_note", "extra")
_NOT_QUEUEABLE: Final = ("files", "citizen", "registered_by", "submitted_at")


def _plain(value: object) -> JSONValue:
    if isinstance(value, Mapping):
        return {str(k): v for k, v in value.items()}
    if isinstance(value, list | tuple):
        return list(value)
    return value  # type: ignore[return-value]


def _coordinate(value: JSONValue) -> str | None:
    return None if value in (None, "") else str(value)


class RowCache:
    """The catalog and region rows a batch of queued submissions refers to, each read once per batch."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, object], object] = {}

    def get(self, app: str, model: str, pk: JSONValue) -> object:
        if pk is None:
            return None
        from django.apps import apps

        key = (f"{app}.{model}", pk)
        if key not in self._seen:
            self._seen[key] = apps.get_model(app, model).objects.filter(pk=pk).first()
        return self._seen[key]
