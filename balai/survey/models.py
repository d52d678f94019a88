"""Satisfaction-survey answers (SKM, PermenPANRB 14/2017): one response per case."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from balai.catalog.models import Channel
from balai.survey.elements import ELEMENTS, MAX_SCORE, MIN_SCORE


def _score_field(label) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label, null=True, blank=True, validators=[MinValueValidator(MIN_SCORE), MaxValueValidator(MAX_SCORE)])


class SurveyResponse(models.Model):
    """One citizen's rating of one finished case.

    A full SKM response has a score 1–4 for each of the nine elements the citizen answered (an element may be
    skipped, so answer counts differ per element — NRR divides by the answers of that element). A quick
    rating (SMS `NILAI <code> <1-4>`) has `is_quick=True`, only `quick_score`, and no element scores: it is
    kept out of the IKM (see `balai.survey.ikm`).
    """

    case = models.OneToOneField("cases.Case", verbose_name=_("case"), on_delete=models.CASCADE,
                                related_name="survey_response")
    # Copied from the case at the time of rating so that roll-ups and IKM need no join.
    government = models.ForeignKey("agencies.Government", verbose_name=_("government"), on_delete=models.PROTECT,
                                   related_name="+")
    agency = models.ForeignKey("agencies.Agency", verbose_name=_("agency"), on_delete=models.PROTECT,
                               related_name="survey_responses")
    unit = models.ForeignKey("agencies.Unit", verbose_name=_("unit"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="survey_responses")
    service = models.ForeignKey("catalog.Service", verbose_name=_("service"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="survey_responses")
    complaint_category = models.ForeignKey("catalog.ComplaintCategory", verbose_name=_("category"), null=True,
                                           blank=True, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("case kind"), max_length=24)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    is_quick = models.BooleanField(_("quick rating"), default=False)
    quick_score = _score_field(_("quick rating score"))
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), db_index=True)

    for _element in ELEMENTS:
        locals()[_element.key] = _score_field(_element.label)
    del _element

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["agency", "submitted_at"], name="survey_agency_time")]

    def __str__(self) -> str:
        return f"{self.case_id} {'quick' if self.is_quick else 'skm'}"

    @property
    def scores(self) -> dict[str, int]:
        """Element name → score, answered elements only."""
        return {e.key: getattr(self, e.key) for e in ELEMENTS if getattr(self, e.key) is not None}
