"""Demo step: satisfaction-survey answers (SKM) for about two thirds of the finished demo cases.

Seeded, idempotent (cases already rated are skipped). Scores lean on a per-agency "quality" so that the
agencies get different IKM grades; cases from SMS get a quick rating (`NILAI`) instead of the full survey.
Given a day after the case finished, through `survey_submit` / `quick_rating`.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta

from balai.cases.models import Case, Event
from balai.survey.elements import ELEMENT_KEYS
from balai.survey.services import FINISHED_STATES, quick_rating, survey_submit

SEED = 2027
SHARE = 0.65


def _score(rng: random.Random, quality: float) -> int:
    """1–4 around the agency's quality (2.4–3.9)."""
    return max(1, min(4, round(rng.gauss(quality, 0.55))))


def load(*, log: Callable[[str], None]) -> None:
    rng = random.Random(SEED)  # nosec B311 # repeatable demo data, not security
    finished = [(kind, status) for kind, states in FINISHED_STATES.items() for status in states]
    cases = (Case.objects.filter(extra__demo=True, survey_response__isnull=True)
             .select_related("agency").order_by("id"))
    quality: dict[int, float] = {}
    rated = 0
    for case in cases:
        if (case.kind, case.status) not in finished or rng.random() > SHARE:
            continue
        q = quality.setdefault(case.agency_id, 2.4 + (case.agency_id * 7919 % 16) / 10)
        last = Event.objects.filter(case=case).order_by("-id").values_list("at", flat=True).first()
        at = (last or case.submitted_at) + timedelta(days=1)
        if case.channel == "sms":
            quick_rating(case=case, score=_score(rng, q), channel="sms", submitted_at=at)
        else:
            scores = {k: _score(rng, q + (0.3 if k == "biaya" else 0)) for k in ELEMENT_KEYS}
            if rng.random() < 0.1:
                scores.pop(rng.choice(ELEMENT_KEYS))  # a skipped question
            survey_submit(case=case, scores=scores, channel=case.channel, submitted_at=at)
        rated += 1
    log(f"  {rated} ratings")
