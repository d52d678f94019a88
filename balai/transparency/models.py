"""Roll-up tables of the transparency figures (ADR 0010).

`RollupCell` holds additive sums for one (scope, split, kind, month): pages read only these rows. The job
keeps them current by following `cases.Event` by id (`RollupCursor`) and keeps one `CaseFact` per case —
the roll-up's last view of that case — so that a change is applied as "minus the old contribution, plus
the new one" (exact, idempotent, and equal to a rebuild by construction).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from balai.survey.elements import ELEMENT_KEYS

# Additive integer measures of a cell (see balai.transparency.facts for what each counts).
BASE_MEASURES: tuple[str, ...] = (
    "received",  # cases submitted in the month
    "open_now",  # of those, still open now (backlog by age of submission)
    "closed",  # cases closed in the month (counted in the month closed)
    "closed_on_time",  # of those, the agency's clock stopped by the deadline
    "close_days_sum",  # sum of working days taken (for means; medians come from close_hist)
    "complaints",  # complaints/aspirations submitted in the month (LAPOR!, docs/regulations.md §4)
    "verified",  # of those, verified
    "verified_on_time",  # verified within the 3-working-day deadline
    "followed_up",  # answered (the follow-up)
    "followed_up_on_time",  # answered within the 5-working-day deadline after verification
    "info_requests",  # information requests submitted in the month (UU 14/2008, docs/regulations.md §3)
    "info_answered",  # answered or refused in writing
    "info_answered_on_time",  # within 10 working days (+7 when extended)
    "info_extended",  # extended once by 7 working days
    "objections",  # an objection (keberatan) was filed
    "respondents",  # full SKM responses given in the month
    "quick_count",  # quick (SMS) ratings given in the month
    "quick_sum",
)
SURVEY_MEASURES: tuple[str, ...] = tuple(f"s_{k}" for k in ELEMENT_KEYS) + tuple(f"n_{k}" for k in ELEMENT_KEYS)
MEASURES: tuple[str, ...] = BASE_MEASURES + SURVEY_MEASURES


class Scope(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    AGENCY = "agency", _("Agency")
    UNIT = "unit", _("Unit")
    SERVICE = "service", _("Service")
    CATEGORY = "category", _("Complaint category")


class Split(models.TextChoices):
    NONE = "", _("All")
    CHANNEL = "channel", _("Channel")
    AREA = "area", _("Cities vs regencies")
    REGENCY = "regency", _("Regency or city")
    DISTRICT = "district", _("District")
    ACCOMMODATION = "accommodation", _("Accommodation need")


class RollupCell(models.Model):
    key = models.CharField(_("key"), max_length=120, unique=True)
    government_id = models.IntegerField(_("government"))
    scope = models.CharField(_("scope"), max_length=12, choices=Scope.choices)
    scope_id = models.IntegerField(_("scope id"))
    split = models.CharField(_("split"), max_length=16, choices=Split.choices, blank=True)
    value = models.CharField(_("split value"), max_length=32, blank=True)
    kind = models.CharField(_("case kind"), max_length=24)
    month = models.DateField(_("month"))
    close_hist = models.JSONField(_("working days to close (histogram)"), default=dict, blank=True)

    for _name in MEASURES:
        locals()[_name] = models.IntegerField(_name, default=0)
    del _name

    class Meta:
        verbose_name = _("roll-up cell")
        verbose_name_plural = _("roll-up cells")
        indexes = [
            models.Index(fields=["scope", "scope_id", "split", "month"], name="rollup_scope_split_month"),
            models.Index(fields=["government_id", "scope", "split", "month"], name="rollup_gov_scope_month"),
        ]

    def __str__(self) -> str:
        return self.key


class CaseFact(models.Model):
    """The roll-up's last view of one case (not a foreign key: the engine's tables stay untouched)."""

    case_id = models.BigIntegerField(_("case"), primary_key=True)
    data = models.JSONField(_("data"), default=dict)

    class Meta:
        verbose_name = _("case fact")
        verbose_name_plural = _("case facts")

    def __str__(self) -> str:
        return str(self.case_id)


class RollupCursor(models.Model):
    """How far the job has read: the last Event id and SurveyResponse id applied, and event ids below the
    cursor not yet seen (transactions still in flight when a higher id committed)."""

    name = models.CharField(_("name"), max_length=32, unique=True)
    last_event_id = models.BigIntegerField(_("last event id"), default=0)
    last_response_id = models.BigIntegerField(_("last survey response id"), default=0)
    gaps = models.JSONField(_("unseen event ids"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    rebuilt_at = models.DateTimeField(_("rebuilt"), null=True, blank=True)

    class Meta:
        verbose_name = _("roll-up cursor")
        verbose_name_plural = _("roll-up cursors")

    def __str__(self) -> str:
        return f"{self.name} @ {self.last_event_id}"
