"""What a viewer may see of a case: the ONE place for confidentiality (docs/architecture.md, visibility).

Every face (portal, office, API, open data, notifications) asks `case_view(...)` and shows only what the
returned `CaseView` holds. Decisions, viewer by viewer:

| viewer | public case | confidential case | anonymous case |
| --- | --- | --- | --- |
| the public (None / anonymous user) | title, category, regency, status, public timeline and answer, free text redacted (`redact_text`), no names | existence and status only | existence and status only |
| the citizen (proven, `as_citizen=True`) | everything but internal events; own contact | same | same |
| officer of the responsible agency (any active membership in it) | content, identity, internal | same | content (identifying patterns redacted), internal; NO identity |
| inspectorate (role inspector in the government) and superusers | as the responsible agency | same | same: NO identity |
| officer of another agency | what the public sees | what the public sees | what the public sees |
| officer of an agency the case was disposed FROM | content and public timeline, no identity, no internal events | same | same |
| the system (`viewer="system"`) | everything | everything | everything but the identity, which only `reveal_identity` returns, audited |

Why anonymous cases are hidden from the public like confidential ones: the field holds one value, and a
reporter who hides their name is the one most likely to write identifying detail that no pattern can
redact. Why officers of other agencies get no more than the public: need to know (UU 27/2022 on personal
data protection, purpose limitation); after a disposition the former agency keeps the content it
already had, but no longer the citizen's contact.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from balai.cases.models import Attachment, Case, Confidentiality, Event
from balai.people.nik import is_sealed_nik, unseal_nik

SYSTEM = "system"


class ViewerKind:
    PUBLIC = "public"
    CITIZEN = "citizen"
    RESPONSIBLE = "responsible"  # officer of the responsible agency
    INSPECTOR = "inspector"  # inspectorate or superuser
    FORMER_AGENCY = "former_agency"  # officer of an agency the case was disposed from
    OTHER_AGENCY = "other_agency"
    SYSTEM = "system"


STAFF_KINDS = frozenset({ViewerKind.RESPONSIBLE, ViewerKind.INSPECTOR})
# The citizen's own contributions to the timeline (their attachments are theirs to see).
CITIZEN_EVENT_KINDS = frozenset({Event.Kind.SUBMITTED, Event.Kind.CITIZEN_REPLY})
# Timeline actions whose body is the agency's answer to the citizen (balai.cases.workflows).
ANSWER_ACTIONS = frozenset({"answer", "answer_objection", "complete", "resolve", "refuse", "reject"})
# Catalog form field types that identify the citizen, and field names that say the same.
IDENTITY_FIELD_TYPES = frozenset({"nik", "phone"})
_IDENTITY_NAME = re.compile(
    r"(^|_)(nik|ktp|kk|nama|name|phone|telepon|telp|hp|wa|whatsapp|email|e_mail|surel|"
    r"alamat|address|npwp)(_|$)"
)


# --- redaction ------------------------------------------------------------------------------------

_EMAIL = r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+"
# Dates are matched first and kept, so "02-05-2024 10.30" is never read as a phone number.
_DATE = r"\b(?:\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2})|\d{4}[-/.]\d{1,2}[-/.]\d{1,2})\b"
# A run of digits with single separators (space, dot, dash) or an area code in brackets, maybe "+".
_NUMBER = r"(?<![\w+])\+?\(?\+?\d+\)?(?:[ .\-]?\(?\d+\)?)*(?!\w)"
_PATTERN = re.compile(rf"(?P<email>{_EMAIL})|(?P<date>{_DATE})|(?P<number>{_NUMBER})")
_GROUP = re.compile(r"\d+")


def _number_kind(digits: str, *, plus: bool) -> str | None:
    if len(digits) == 16 and not plus:
        return "nik"  # NIK (and the family-card number, also 16 digits)
    if re.fullmatch(r"08[1-9]\d{7,10}", digits):
        return "phone"  # mobile, 08xx, 10–13 digits
    if re.fullmatch(r"628[1-9]\d{7,10}", digits):
        return "phone"  # mobile as 62 8xx or +62 8xx
    if re.fullmatch(r"0[2-9]\d{7,10}", digits):
        return "phone"  # landline with area code, e.g. 0541 123456, (021) 1234567
    if plus and re.fullmatch(r"62[2-9]\d{6,10}", digits):
        return "phone"  # +62 541 123456
    return None


def _markers() -> dict[str, str]:
    return {"email": _("[e-mail hidden]"), "phone": _("[phone hidden]"), "nik": _("[NIK hidden]")}


def _redact_number(run: str, markers: dict[str, str]) -> str:
    """Mask the longest leading groups that form a phone number or NIK, then go on with the rest."""
    groups = list(_GROUP.finditer(run))
    out, cursor, i = [], 0, 0
    while i < len(groups):
        for j in range(len(groups), i, -1):
            start, end = groups[i].start(), groups[j - 1].end()
            plus = "+" in run[cursor if i == 0 else groups[i - 1].end() : start]
            kind = _number_kind("".join(g.group() for g in groups[i:j]), plus=plus)
            if kind:
                if i == 0:
                    start = 0  # take a leading "+" or "(" along
                if j == len(groups):
                    end = len(run)
                out.append(run[cursor:start] + markers[kind])
                cursor, i = end, j
                break
        else:
            i += 1
    out.append(run[cursor:])
    return "".join(out)


def redact_text(text: str | None) -> str:
    """Mask e-mail addresses, Indonesian phone numbers (08xx, +62, 62…, landlines) and 16-digit NIKs.

    Dates, times, amounts and short numbers (RT/RW, house numbers) are kept. Names cannot be found by a
    pattern: which is why structured identity is never shown to the public at all (see the table above).
    """
    if not text:
        return ""
    markers = _markers()

    def replace(match: re.Match) -> str:
        if match.group("email"):
            return markers["email"]
        if match.group("date"):
            return match.group()
        return _redact_number(match.group(), markers)

    return _PATTERN.sub(replace, text)


def redact_for_case(text: str | None, *, case: Case) -> str:
    """`redact_text`, and also the case's own citizen's name (in full and each word of 3+ letters).

    A citizen often signs a complaint with their name ("Saya, Siti Rahmawati, warga …"); a pattern cannot
    find names, but we know this case's citizen's name, so we mask it wherever it is typed.
    """
    return redact_name(redact_text(text), case.contact_name)


def redact_name(text: str, name: str | None) -> str:
    """Mask `name` (in full and each of its words of 3+ letters) wherever it occurs in `text`."""
    name = (name or "").strip()
    if not name or not text:
        return text
    words = sorted({w for w in re.findall(r"[^\W\d_]{3,}", name)}, key=len, reverse=True)
    parts = [re.escape(name)] + [re.escape(w) for w in words]
    pattern = re.compile(r"\b(?:" + "|".join(parts) + r")\b", re.IGNORECASE)
    return pattern.sub(_("[name hidden]"), text)


# Titles before a person's name ("Pak Budi", "Bu Sri Wahyuni", "oknum Sdr. Andi", "Kades Slamet"): the
# public text masks the capitalised name after them, like the citizen's own name (ADR 0043). Street names
# ("Jl. Ibu Kartini") are kept.
_HONORIFIC = re.compile(
    r"\b(?P<title>(?:[Pp]ak|[Bb]u|[Bb]apak|[Ii]bu|[Ss]dr[i]?|[Ss]audar[ai]|Mr|Mrs|Ms|Dr|[Mm]bak|[Mm]as|[Hh]aji|Hj"
    r"|[Kk]ades|[Ll]urah|[Cc]amat|[Oo]knum|[Kk]epala desa|[Kk]epala dinas|[Kk]adis|[Kk]abid|[Kk]asi)\.?\s+)"
    r"(?P<name>[A-Z][a-z'\-]+(?:\s+[A-Z][a-z'\-]+){0,2})")
_STREET_BEFORE = re.compile(r"(?:\b(?:jl|jln|jalan|gang|gg|komplek|perum)\.?\s*)$", re.IGNORECASE)


def mask_named_people(text: str) -> str:
    """Mask names that follow a title of address or office ("Pak Budi" → "Pak [name hidden]")."""
    if not text:
        return text

    def replace(match: re.Match) -> str:
        if _STREET_BEFORE.search(text[max(0, match.start() - 12):match.start()]):
            return match.group()
        return match.group("title") + str(_("[name hidden]"))

    return _HONORIFIC.sub(replace, text)


def redact_public(text: str | None, *, case: Case, officials: Iterable[str] = ()) -> str:
    """The public's view of a free text: `redact_for_case`, the names of the officials who acted on the
    case, and any name after a title of address or office (third parties, officials not in Balai)."""
    return redact_public_text(text, citizen_name=case.contact_name, officials=officials)


def redact_public_text(text: str | None, *, citizen_name: str | None, officials: Iterable[str] = ()) -> str:
    """`redact_public` from the values alone (the open-data rows read columns, not cases)."""
    out = redact_name(redact_text(text), citizen_name)
    for name in officials:
        out = redact_name(out, name)
    return mask_named_people(out)


def public_version(case: Case, field_name: str) -> str:
    """The moderated public text of `field_name` ("title" or "description") when a moderator wrote one
    (`services.case_edit_public_version`), else the citizen's original."""
    version = (case.extra or {}).get("public_version") or {}
    value = version.get(field_name)
    return value if isinstance(value, str) and (value or field_name != "title") else getattr(case, field_name)


def _officials(case: Case, events: Iterable[Event]) -> set[str]:
    names = set()
    for event in events:
        if event.actor_id is not None and event.actor_id != case.citizen_id:
            names.add(getattr(event.actor, "full_name", "") or "")
    return {n for n in names if n.strip()}


# --- the view -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    """One timeline event as the viewer may see it (actor names and data are already filtered)."""

    id: int
    kind: str
    action: str
    from_status: str
    to_status: str
    at: datetime
    is_public: bool
    body: str
    actor_label: str
    data: dict = field(default_factory=dict)


@dataclass(frozen=True)
class CaseView:
    """What one viewer may see of one case. Absent things are None / empty, never a placeholder."""

    case: Case
    viewer_kind: str
    can_see_content: bool
    can_see_identity: bool
    can_see_internal: bool
    identity_sealed: bool  # an anonymous case's identity exists but is not shown to this viewer
    tracking_code: str
    kind: str
    status: str
    confidentiality: str
    submitted_at: datetime
    title: str | None
    description: str | None
    answers: dict | None
    category: Any  # Service or ComplaintCategory (public names only), or None
    region: Any  # agencies.Region (regency level for the public), or None
    location: dict | None  # {"latitude", "longitude", "text"} for content viewers
    contact: dict | None
    public_answer: str | None
    timeline: list[TimelineEntry]
    attachments: list[Attachment]
    _attachment_ids: frozenset[int] = field(default=frozenset(), repr=False)

    def can_see_attachment(self, attachment: Attachment) -> bool:
        return attachment.case_id == self.case.pk and attachment.pk in self._attachment_ids


def _is_user(viewer) -> bool:
    return viewer is not None and viewer != SYSTEM and bool(getattr(viewer, "is_authenticated", False))


def former_agency_ids(case: Case) -> set[int]:
    """Agencies the case was disposed from: `Event(kind="forwarding", data={"from_agency_id": …})`."""
    ids = set()
    for data in case.events.filter(kind=Event.Kind.FORWARDING).values_list("data", flat=True):
        value = (data or {}).get("from_agency_id")
        if value is not None and str(value).isdigit():
            ids.add(int(value))
    ids.discard(case.agency_id)
    return ids


def _staff_scope(viewer) -> tuple[set[int], set[int]]:
    """(agencies the viewer works in, governments where they are an inspector), from active memberships
    of active units; empty for anyone else."""
    agencies: set[int] = set()
    inspected: set[int] = set()
    if not _is_user(viewer) or not viewer.is_active:
        return agencies, inspected
    for agency_id, gov_id, role in viewer.memberships.filter(is_active=True, unit__is_active=True).values_list(
            "unit__agency_id", "unit__agency__government_id", "role"):
        agencies.add(agency_id)
        if role == "inspector":
            inspected.add(gov_id)
    return agencies, inspected


def viewer_kind(*, case: Case, viewer, as_citizen: bool = False) -> str:
    """Classify the viewer (see the module docstring for what each kind sees)."""
    if viewer == SYSTEM:
        return ViewerKind.SYSTEM
    if as_citizen:
        return ViewerKind.CITIZEN
    if not _is_user(viewer) or not viewer.is_active:
        return ViewerKind.PUBLIC
    agencies, inspected = _staff_scope(viewer)
    if case.agency_id in agencies:
        return ViewerKind.RESPONSIBLE
    if viewer.is_superuser or case.government_id in inspected:
        return ViewerKind.INSPECTOR
    if agencies:
        if agencies & former_agency_ids(case):
            return ViewerKind.FORMER_AGENCY
        return ViewerKind.OTHER_AGENCY
    return ViewerKind.PUBLIC


def staff_access_q(viewer, *, prefix: str = "") -> Q:
    """The cases `viewer` reads as staff (kinds RESPONSIBLE and INSPECTOR of `viewer_kind`: content and
    internal events; an anonymous case's content masked), as a filter on cases (`prefix`: the path to the
    case from another model, e.g. "case__"). An empty Q (everything) for superusers."""
    if not _is_user(viewer) or not viewer.is_active:
        return Q(pk__in=[])
    if viewer.is_superuser:
        return Q()
    agencies, inspected = _staff_scope(viewer)
    return Q(**{f"{prefix}agency_id__in": sorted(agencies)}) | Q(**{f"{prefix}government_id__in": sorted(inspected)})


def identity_visible_q(viewer, *, prefix: str = "") -> Q:
    """`case_view(...).can_see_identity` for a signed-in staff `viewer`, as a filter on cases, for lists
    that show contacts next to cases (Django admin). Rows without a case count as visible to superusers
    only: the same rule as `viewer_kind` + `case_view` (staff of the case, never for an anonymous case;
    tested against `case_view` in tests/security/test_anonymous_identity.py).
    """
    if not _is_user(viewer) or not viewer.is_active:
        return Q(pk__in=[])
    # A negated condition over a missing case holds: for superusers, rows without a case stay visible.
    return ~Q(**{f"{prefix}confidentiality": Confidentiality.ANONYMOUS}) & staff_access_q(viewer, prefix=prefix)


def sealed_contact(value: str) -> str:
    """The marker shown instead of a phone number or e-mail address the viewer may not see."""
    markers = _markers()
    return markers["email"] if "@" in (value or "") else markers["phone"]


def _identity_fields(case: Case) -> set[str]:
    definition = getattr(case.service, "form_definition", None) if case.service_id else None
    names = {
        item.get("name")
        for item in (definition or [])
        if isinstance(item, dict) and item.get("type") in IDENTITY_FIELD_TYPES
    }
    return {name for name in names if name}


def _unsealed(value: dict) -> str:
    """A stored NIK in plain text, for a viewer who may see the identity; a marker when no configured
    key reads it any more (a key removed before `rotate_field_encryption` ran), never an error page."""
    try:
        return unseal_nik(value)
    except ValueError:
        return _markers()["nik"]


def _is_identity_answer(name: str, identity_fields: set[str]) -> bool:
    return name in identity_fields or bool(_IDENTITY_NAME.search(name.lower()))


def _contact(case: Case) -> dict:
    citizen = case.citizen if case.citizen_id else None
    return {
        "name": case.contact_name or (citizen.full_name if citizen else ""),
        "phone": case.contact_phone or ((citizen.phone or "") if citizen else ""),
        "email": case.contact_email or ((citizen.email or "") if citizen else ""),
        "address": case.contact_address,
        "channel": case.contact_channel,
        "language": case.language,
        "citizen_id": case.citizen_id,
    }


def _regency(region):
    """The regency/city a region lies in (the public never sees a village or a point)."""
    node = region
    while node is not None and len(node.code) > 5:
        node = node.parent
    return node


def _public_category(case: Case):
    return (
        case.service if case.service_id else (case.complaint_category if case.complaint_category_id else None)
    )


CHANNEL_NAMES = {"web": "web", "sms": "SMS", "whatsapp": "WhatsApp", "email": "e-mail", "counter": "loket",
                 "api": "API"}


def human_actor(label: str) -> str:
    """What a person reads for a stored actor label: "Warga (web)" for "citizen:web", "Balai (otomatis)" for
    "system"; a person's name stays as it is."""
    if label == "system":
        return _("Balai (automatic)")
    if label == "citizen":
        return _("Citizen")
    if label.startswith("citizen:"):
        channel = label.partition(":")[2]
        if channel == "counter":
            return _("Citizen (at the counter)")
        return _("Citizen (%(channel)s)") % {"channel": CHANNEL_NAMES.get(channel, channel)}
    return label


def _timeline(case: Case, kind: str, events: Iterable[Event], officials: Iterable[str] = ()) -> list[TimelineEntry]:
    staff = kind in STAFF_KINDS or kind == ViewerKind.SYSTEM
    anonymous = case.confidentiality == Confidentiality.ANONYMOUS
    entries = []
    for event in events:
        if not event.is_public and not staff:
            continue
        from_citizen = event.kind in CITIZEN_EVENT_KINDS or (
            event.actor_id is not None and event.actor_id == case.citizen_id
        )
        label = human_actor(event.actor_label or (str(event.actor) if staff and event.actor_id else ""))
        body, data = event.body, dict(event.data or {}) if staff else {}
        if kind == ViewerKind.PUBLIC:
            body, label = redact_public(body, case=case, officials=officials), ""  # no names of anyone
        elif from_citizen and (
            kind == ViewerKind.FORMER_AGENCY or (anonymous and kind != ViewerKind.CITIZEN)
        ):
            label, data = _("Citizen"), {}
            if anonymous and kind != ViewerKind.SYSTEM:
                body = redact_for_case(body, case=case)
        entries.append(
            TimelineEntry(
                id=event.pk,
                kind=event.kind,
                action=event.action,
                from_status=event.from_status,
                to_status=event.to_status,
                at=event.at,
                is_public=event.is_public,
                body=body,
                actor_label=label,
                data=data,
            )
        )
    return entries


def _public_answer(case: Case, events: list[Event], *, redact: bool) -> str | None:
    for event in reversed(events):
        if event.is_public and event.action in ANSWER_ACTIONS and event.body:
            return redact_public(event.body, case=case, officials=_officials(case, events)) if redact else event.body
    return None


def _visible_attachments(case: Case, kind: str, attachments: list[Attachment]) -> list[Attachment]:
    if kind in STAFF_KINDS or kind == ViewerKind.SYSTEM:
        return attachments
    if kind in (ViewerKind.CITIZEN, ViewerKind.FORMER_AGENCY):
        return [
            a
            for a in attachments
            if a.is_public
            or (a.event is not None and a.event.is_public and a.event.kind in CITIZEN_EVENT_KINDS)
            or (a.uploaded_by_id is not None and a.uploaded_by_id == case.citizen_id)
        ]
    return []  # the public and other agencies: attachments may carry personal data no redaction finds


def _content_access(case: Case, kind: str) -> tuple[bool, bool, bool]:
    """(may see the content, sees the public's redacted content, identifying patterns masked) for `kind`."""
    staff = kind in STAFF_KINDS or kind == ViewerKind.SYSTEM
    can_see_content = staff or kind in (ViewerKind.CITIZEN, ViewerKind.FORMER_AGENCY)
    # Officers of other agencies see what the public sees.
    public_content = kind in (ViewerKind.PUBLIC, ViewerKind.OTHER_AGENCY) and case.confidentiality == Confidentiality.PUBLIC
    # Officers (not the citizen, not the system) of an anonymous case get identifying patterns masked.
    mask = case.confidentiality == Confidentiality.ANONYMOUS and kind not in (ViewerKind.CITIZEN, ViewerKind.SYSTEM)
    return can_see_content, public_content, mask


def case_title(*, case: Case, kind: str) -> str | None:
    """The title a viewer of `kind` (`viewer_kind`) reads, as `case_view` gives it, without loading the
    timeline: for lists and e-mails that show only codes and titles."""
    can_see_content, public_content, mask = _content_access(case, kind)
    if can_see_content:
        return redact_for_case(case.title, case=case) if mask else case.title
    return redact_public(public_version(case, "title"), case=case) if public_content else None


def case_view(*, case: Case, viewer, as_citizen: bool = False) -> CaseView:
    """Decide what `viewer` may see of `case` (module docstring: the table of decisions).

    `viewer`: a User, None or an AnonymousUser (the public), or the string "system". `as_citizen=True`
    only after the face has proven that the person is the case's citizen (one-time code sent to the
    case's contact, or signed in as `case.citizen`).
    """
    kind = viewer_kind(case=case, viewer=viewer, as_citizen=as_citizen)
    confidentiality = case.confidentiality
    anonymous = confidentiality == Confidentiality.ANONYMOUS
    staff = kind in STAFF_KINDS or kind == ViewerKind.SYSTEM
    can_see_content, public_content, mask = _content_access(case, kind)
    can_see_identity = kind == ViewerKind.CITIZEN or (staff and not anonymous)
    can_see_internal = staff
    identity_sealed = anonymous and kind != ViewerKind.CITIZEN

    events = (
        list(case.events.select_related("actor").order_by("at", "id"))
        if (can_see_content or public_content)
        else []
    )
    attachments = list(case.attachments.select_related("event").order_by("created_at", "id")) if can_see_content else []
    visible = _visible_attachments(case, kind, attachments) if can_see_content else []

    description = answers = location = contact = public_answer = None
    region = None
    timeline: list[TimelineEntry] = []
    title = case_title(case=case, kind=kind)
    if can_see_content:
        description = redact_for_case(case.description, case=case) if mask else case.description
        identity_fields = _identity_fields(case)
        answers = {}
        for name, value in (case.answers or {}).items():
            sealed = is_sealed_nik(value)
            if (sealed or _is_identity_answer(name, identity_fields)) and not can_see_identity:
                continue
            if sealed:
                answers[name] = _unsealed(value)
                continue
            answers[name] = redact_for_case(value, case=case) if mask and isinstance(value, str) else value
        region = case.region
        location = {"latitude": case.latitude, "longitude": case.longitude, "text": case.location_text}
        timeline = _timeline(case, kind, events)
        public_answer = _public_answer(case, events, redact=False)
    elif public_content:
        officials = _officials(case, events)
        description = redact_public(public_version(case, "description"), case=case, officials=officials)
        region = _regency(case.region) if case.region_id else None
        timeline = _timeline(case, ViewerKind.PUBLIC, events, officials)
        public_answer = _public_answer(case, events, redact=True)
    if can_see_identity:
        contact = _contact(case)

    return CaseView(
        case=case,
        viewer_kind=kind,
        can_see_content=can_see_content,
        can_see_identity=can_see_identity,
        can_see_internal=can_see_internal,
        identity_sealed=identity_sealed,
        tracking_code=case.tracking_code,
        kind=case.kind,
        status=case.status,
        confidentiality=confidentiality,
        submitted_at=case.submitted_at,
        title=title,
        description=description,
        answers=answers,
        category=_public_category(case) if (can_see_content or public_content) else None,
        region=region,
        location=location,
        contact=contact,
        public_answer=public_answer,
        timeline=timeline,
        attachments=visible,
        _attachment_ids=frozenset(a.pk for a in visible),
    )


def reveal_identity(*, case: Case, purpose: str) -> dict:
    """The citizen's contact for the system itself (e.g. the notify worker), audited when anonymous.

    Reading an anonymous citizen's identity writes an "identity.read" audit record in the same
    transaction (docs/architecture.md, visibility); no officer-facing code may call this.
    """
    if not purpose:
        raise ValueError("reveal_identity needs a purpose")
    contact = _contact(case)
    if case.confidentiality == Confidentiality.ANONYMOUS:
        from balai.audit.services import audit_record

        with transaction.atomic():
            audit_record(
                action="identity.read",
                target=case,
                actor_label="system",
                data={"purpose": purpose, "tracking_code": case.tracking_code},
            )
    return contact
