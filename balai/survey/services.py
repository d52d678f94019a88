"""Writes of the satisfaction survey (SKM, PermenPANRB 14/2017; docs/regulations.md §1).

A case may be rated once, and only when it is finished: the workflow has delivered its outcome (see
`FINISHED_STATES`). Each rating also writes a timeline Event of kind "rating" on the case (not a status
change: the engine's status is untouched). The roll-ups pick responses up by id (`balai.transparency`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from balai.cases.models import Event
from balai.cases.services import case_record_event
from balai.catalog.models import Channel
from balai.survey.elements import ELEMENT_KEYS, MAX_SCORE, MIN_SCORE
from balai.survey.models import SurveyResponse
from balai.survey.selectors import is_rated

if TYPE_CHECKING:
    from balai.cases.models import Case

# States in which the agency has delivered its outcome, per case kind (balai.cases.workflows). Rejections
# and refusals count: the citizen was served (with a "no"), and leaving them out would bias the index
# upwards. A complaint is rateable once it is answered (the follow-up is the service), an ICT request once
# resolved, an information request once answered, refused or its objection answered.
FINISHED_STATES: dict[str, frozenset[str]] = {
    "service_request": frozenset({"completed", "rejected"}),
    "complaint": frozenset({"answered", "closed", "rejected"}),
    "aspiration": frozenset({"answered", "closed", "rejected"}),
    "information_request": frozenset({"answered", "refused", "objection_answered", "closed"}),
    "ict_request": frozenset({"resolved", "closed", "rejected"}),
}

COMMENT_MAX = 2000


def is_rateable(case: Case) -> bool:
    """True when `case` is finished and not yet rated."""
    return (case.status in FINISHED_STATES.get(case.kind, frozenset())
            and not is_rated(case))


def _check_case(case: Case) -> None:
    if case.status not in FINISHED_STATES.get(case.kind, frozenset()):
        raise ValidationError({"case": [_("This case can be rated once it is finished.")]})
    if is_rated(case):
        raise ValidationError({"case": [_("This case has already been rated. Thank you!")]})


def _check_channel(channel: str) -> None:
    if channel not in Channel.values:
        raise ValidationError({"channel": [_("Unknown channel.")]})


def _score(raw: object) -> int | None:
    """1–4 as an int; None when not a valid score (bools and 2.5 are refused)."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, str):
        raw = raw.strip()
        if not raw.isdigit():
            return None
    try:
        value = int(raw)  # type: ignore[call-overload]  # anything else: TypeError below
    except (TypeError, ValueError):
        return None
    if isinstance(raw, float) and raw != value:
        return None
    return value if MIN_SCORE <= value <= MAX_SCORE else None


def _create(*, case: Case, values: Mapping[str, int | None], channel: str, comment: str, at: datetime,
            quick: bool) -> SurveyResponse:
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(
                case=case, government_id=case.government_id, agency_id=case.agency_id, unit_id=case.unit_id,
                service_id=case.service_id, complaint_category_id=case.complaint_category_id, kind=case.kind,
                channel=channel, is_quick=quick, comment=comment, submitted_at=at, **values)
            # A rating is a timeline event, not a transition: the engine's `case_record_event`.
            case_record_event(
                case=case, kind=Event.Kind.RATING, action="quick_rating" if quick else "survey",
                actor_label=_("Citizen (%(channel)s)") % {"channel": Channel(channel).label},
                data={"survey_response": response.pk, "quick": quick, "channel": channel}, at=at)
    except IntegrityError as exc:  # two submissions racing for the same case
        raise ValidationError({"case": [_("This case has already been rated. Thank you!")]}) from exc
    return response


def survey_submit(*, case: Case, scores: Mapping[str, object], channel: str, comment: str = "",
                  submitted_at: datetime | None = None) -> SurveyResponse:
    """Record the SKM answers for a finished case (once per case).

    `scores` maps element NAMES (`balai.survey.elements.ELEMENT_KEYS`) to 1–4. The citizen may skip elements
    (PermenPANRB 14/2017 computes NRR per element over the answers it got) but must answer at least one.
    Raises ValidationError with a field → messages dict (field names "case", "channel", "scores",
    "scores.<element>", "comment").
    """
    _check_channel(channel)
    errors: dict[str, list[str]] = {}
    values: dict[str, int] = {}
    for key, raw in (scores or {}).items():
        if key not in ELEMENT_KEYS:
            errors.setdefault("scores", []).append(_("Unknown survey question: %(name)s.") % {"name": key})
            continue
        if raw in (None, ""):
            continue  # skipped
        value = _score(raw)
        if value is None:
            errors[f"scores.{key}"] = [_("Choose a score from 1 to 4.")]
        else:
            values[key] = value
    if not values and not errors:
        errors["scores"] = [_("Answer at least one question.")]
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        errors["comment"] = [_("The comment is too long (at most %(n)d characters).") % {"n": COMMENT_MAX}]
    if errors:
        raise ValidationError(errors)
    _check_case(case)
    return _create(case=case, values=values, channel=channel, comment=comment,
                   at=submitted_at or timezone.now(), quick=False)


def quick_rating(*, case: Case, score: object, channel: str, submitted_at: datetime | None = None) -> SurveyResponse:
    """One overall score 1–4 (SMS `NILAI <code> <1-4>`), stored as a quick rating (`is_quick=True`).

    It does NOT enter the IKM: PermenPANRB 14/2017 defines the IKM over the nine elements, and one overall
    score is not an answer to any of them — copying it into all nine would invent eight answers and let
    one-tap SMS ratings outweigh full surveys. Quick ratings are shown beside the IKM as their own average
    (`IkmResult.quick_average`, `quick_count`), so SMS-only citizens are still heard. Once per case, like the
    survey: a case rated quickly cannot also take the full survey.
    """
    _check_channel(channel)
    value = _score(score)
    if value is None:
        raise ValidationError({"score": [_("Choose a score from 1 to 4.")]})
    _check_case(case)
    return _create(case=case, values={"quick_score": value}, channel=channel, comment="",
                   at=submitted_at or timezone.now(), quick=True)
