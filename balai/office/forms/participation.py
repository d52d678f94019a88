"""The participation process editor (/kantor/partisipasi/baru/, …/<slug>/ubah/). Parsing only: the rules
(who may, ordered phases, budgets, sections) are in `balai.participation.services.process_save`.

Works without JavaScript: the phases are one pair of dates per kind of phase, the draft's sections are
rows of the same form ("More section rows" sends the form back with three empty rows, nothing lost).
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from balai.participation.models import BallotKind, PhaseKind, ProcessKind
from balai.participation.services import PhaseInput, SectionInput

DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]
EXTRA_SECTION_ROWS = 3
MAX_SECTION_ROWS = 200


def _date_field(label: Any) -> forms.DateField:
    return forms.DateField(label=label, required=False, input_formats=DATE_FORMATS,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


def _text(label: Any, *, rows: int = 3, required: bool = False, help_text: Any = "") -> forms.CharField:
    return forms.CharField(label=label, required=required, max_length=5000, help_text=help_text,
                           widget=forms.Textarea(attrs={"rows": rows}))


class RupiahField(forms.CharField):
    """An amount in rupiah as people type it: "1.500.000.000", "Rp 1 500 000 000" or "1500000000"."""

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        text = re.sub(r"(?i)^\s*rp\.?", "", str(value or "")).strip()
        if not text:
            return None
        digits = re.sub(r"[\s.,]", "", text)
        if not digits.isdigit() or len(digits) > 15:
            raise ValidationError(_("Give the amount in rupiah with digits only (dots between thousands "
                                    "are fine), for example 1.500.000.000."), code="rupiah")
        return int(digits)


class ProcessForm(forms.Form):
    title_id = forms.CharField(label=_("Title (Indonesian)"), max_length=200, required=False)
    title_en = forms.CharField(label=_("Title (English, optional)"), max_length=200, required=False)
    slug = forms.SlugField(label=_("Web address"), max_length=80, required=False,
                           help_text=_("Lower-case letters, digits and hyphens; the page is /partisipasi/<address>/."))
    kind = forms.ChoiceField(label=_("Kind of process"), choices=ProcessKind.choices)
    agency = forms.TypedChoiceField(label=_("Owner agency"), coerce=int)
    region = forms.TypedChoiceField(label=_("Region it concerns"), coerce=int)
    is_published = forms.BooleanField(label=_("Published (visible to citizens)"), required=False)
    summary_id = _text(_("Summary (Indonesian, optional)"))
    summary_en = _text(_("Summary (English, optional)"))
    decides_id = _text(_("What is decided (Indonesian)"),
                       help_text=_("In plain words: what this process will decide, and what it will not."))
    decides_en = _text(_("What is decided (English, optional)"))
    deciders_id = _text(_("Who decides (Indonesian)"),
                        help_text=_("Who takes the final decision, and how citizens' input weighs in it."))
    deciders_en = _text(_("Who decides (English, optional)"))
    input_use_id = _text(_("What happens to what you say (Indonesian)"),
                         help_text=_("Who reads the input, by when it is answered and where the answers are published."))
    input_use_en = _text(_("What happens to what you say (English, optional)"))
    support_threshold = forms.IntegerField(
        label=_("Supports that oblige a public answer"), min_value=0, max_value=10_000_000, required=False,
        help_text=_("0: no threshold. A proposal that reaches it by the date below must be answered publicly."))
    threshold_date = _date_field(_("Supports counted until"))
    budget = RupiahField(label=_("Budget (rupiah)"), required=False,
                         help_text=_("Participatory budgets only: the amount the vote shares out."))
    ballot_kind = forms.ChoiceField(label=_("How people vote"), required=False,
                                    choices=[("", _("Choose"))] + list(BallotKind.choices))
    max_choices = forms.IntegerField(label=_("Most projects a voter may pick"), min_value=1, max_value=100,
                                     required=False, help_text=_("For a vote that picks projects."))
    voters_region = forms.TypedChoiceField(
        label=_("Only voters living in (optional)"), coerce=int, required=False, empty_value=None,
        help_text=_("A budget for the residents of one region and the places inside it: voters say their "
                    "village on the web and at the counter; a vote by SMS is sent there instead."))
    year = forms.IntegerField(label=_("Planning year (optional)"), min_value=2000, max_value=2100, required=False)
    draft_title = forms.CharField(label=_("Title of the draft"), max_length=200, required=False,
                                  help_text=_("Consultations only: the regulation, plan or standard put to comment."))
    draft_intro = _text(_("Introduction to the draft (optional)"))
    section_rows = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=MAX_SECTION_ROWS,
                                      required=False)

    def __init__(self, *args: Any, agencies: list, regions: list, process=None, phases: dict | None = None,
                 draft=None, sections: list | None = None, rows: int = 0, **kwargs: Any) -> None:
        self.process, self.agencies = process, {a.pk: a for a in agencies}
        self.regions = {r.pk: r for r in regions}
        sections = sections or []
        initial = kwargs.pop("initial", None) or {}
        if process is not None:  # the disabled `kind` takes its value from here, bound or not
            initial = {**self.initial_of(process, phases or {}, draft, sections), **initial}
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["agency"].choices = [(a.pk, f"{a.short_name} · {a.name_id}") for a in agencies]
        if len(agencies) == 1:
            self.fields["agency"].initial = agencies[0].pk
        self.fields["region"].choices = [("", _("Choose"))] + [(r.pk, f"{r.code} {r.name}") for r in regions]
        self.fields["voters_region"].choices = [("", _("Anyone"))] + [(r.pk, f"{r.code} {r.name}") for r in regions]
        if process is not None:
            self.fields["kind"].disabled = True
            self.fields["kind"].help_text = _("The kind of a process cannot change once it exists.")
        self.phase_names: list[tuple[str, Any, str, str]] = []
        for kind, label in PhaseKind.choices:
            starts, ends = f"phase_{kind}_starts", f"phase_{kind}_ends"
            self.fields[starts] = _date_field(_("Starts"))
            self.fields[ends] = _date_field(_("Ends"))
            self.phase_names.append((kind, label, starts, ends))
        self.known_sections = {s.pk for s in sections}
        self.row_count = max(rows, len(sections) + EXTRA_SECTION_ROWS) if rows else len(sections) + EXTRA_SECTION_ROWS
        self.row_count = min(self.row_count, MAX_SECTION_ROWS)
        for i in range(self.row_count):
            self.fields[f"section_{i}_id"] = forms.IntegerField(widget=forms.HiddenInput, required=False)
            self.fields[f"section_{i}_heading"] = forms.CharField(label=_("Heading"), max_length=200, required=False)
            self.fields[f"section_{i}_text"] = _text(_("Text"), rows=5)
            self.fields[f"section_{i}_remove"] = forms.BooleanField(label=_("Remove this section"), required=False)
        self.fields["section_rows"].initial = self.row_count

    @staticmethod
    def initial_of(process, phases: dict, draft, sections: list) -> dict[str, Any]:
        values: dict[str, Any] = {name: getattr(process, name) for name in (
            "title_id", "title_en", "slug", "kind", "is_published", "summary_id", "summary_en", "decides_id",
            "decides_en", "deciders_id", "deciders_en", "input_use_id", "input_use_en", "support_threshold",
            "threshold_date", "ballot_kind", "max_choices", "year")}
        values |= {"agency": process.agency_id, "region": process.region_id, "voters_region": process.voters_region_id,
                   "budget": f"{process.budget:,}".replace(",", ".") if process.budget else ""}
        for kind, phase in phases.items():
            values[f"phase_{kind}_starts"], values[f"phase_{kind}_ends"] = phase.starts_on, phase.ends_on
        if draft is not None:
            values |= {"draft_title": draft.title, "draft_intro": draft.introduction}
        for i, section in enumerate(sections):
            values |= {f"section_{i}_id": section.pk, f"section_{i}_heading": section.heading,
                       f"section_{i}_text": section.text}
        return values

    # --- what the template shows, in groups -----------------------------------------------------------

    GROUPS = {
        "process": ("title_id", "title_en", "slug", "kind", "agency", "region", "is_published"),
        "texts": ("summary_id", "summary_en", "decides_id", "decides_en", "deciders_id", "deciders_en",
                  "input_use_id", "input_use_en"),
        "proposals": ("support_threshold", "threshold_date"),
        "budget": ("budget", "ballot_kind", "max_choices", "voters_region", "year"),
        "draft": ("draft_title", "draft_intro"),
    }

    def groups(self) -> dict[str, list]:
        return {group: [self[name] for name in names] for group, names in self.GROUPS.items()}

    def phase_rows(self) -> list[tuple[Any, Any, Any]]:
        return [(label, self[starts], self[ends]) for _kind, label, starts, ends in self.phase_names]

    def section_row_fields(self) -> list[dict[str, Any]]:
        rows = []
        for i in range(self.row_count):
            pk = self[f"section_{i}_id"].value()
            existing = str(pk or "").isdigit() and int(pk) in self.known_sections
            rows.append({"number": i + 1, "id": self[f"section_{i}_id"], "heading": self[f"section_{i}_heading"],
                         "text": self[f"section_{i}_text"],
                         "remove": self[f"section_{i}_remove"] if existing else None})
        return rows

    # --- what the service takes ------------------------------------------------------------------------

    def process_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data.get(name) for name in (
            "title_id", "title_en", "slug", "kind", "is_published", "summary_id", "summary_en", "decides_id",
            "decides_en", "deciders_id", "deciders_en", "input_use_id", "input_use_en", "threshold_date",
            "budget", "ballot_kind", "max_choices", "year")}
        for name in ("title_id", "title_en", "slug", "summary_id", "summary_en", "decides_id", "decides_en",
                     "deciders_id", "deciders_en", "input_use_id", "input_use_en", "ballot_kind"):
            data[name] = data[name] or ""
        data["support_threshold"] = self.cleaned_data.get("support_threshold") or 0
        data["agency"] = self.agencies.get(self.cleaned_data.get("agency"))
        data["region"] = self.regions.get(self.cleaned_data.get("region"))
        data["voters_region"] = self.regions.get(self.cleaned_data.get("voters_region"))
        return data

    def phase_inputs(self) -> list[PhaseInput]:
        return [PhaseInput(kind, self.cleaned_data.get(starts), self.cleaned_data.get(ends))
                for kind, _label, starts, ends in self.phase_names]

    def section_inputs(self) -> list[SectionInput]:
        return [SectionInput(row=i, pk=self.cleaned_data.get(f"section_{i}_id"),
                             heading=self.cleaned_data.get(f"section_{i}_heading") or "",
                             text=self.cleaned_data.get(f"section_{i}_text") or "",
                             remove=bool(self.cleaned_data.get(f"section_{i}_remove")))
                for i in range(self.row_count)]

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        """The service's errors, each on its field when the form has one, else at the top; a field that
        already has an error of the form's own keeps only that one."""
        for key, messages in errors.items():
            field = key if key in self.fields else None
            if field is not None and field in self.errors:
                continue
            for message in messages:
                self.add_error(field, message)
