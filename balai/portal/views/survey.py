"""The satisfaction survey (SKM, PermenPANRB 14/2017; docs/regulations.md §1) on one short page.

Nine questions, one per element, each a group of four radio buttons (a fieldset with a legend) with
plain words for every score, as in the regulation's model questionnaire (cost: "very expensive" …
"free"). Designed to take under a minute on a phone; works without JavaScript. Stored through
`balai.survey.services.survey_submit`, only for a finished case, once.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from balai.portal.views.track import case_or_404, require_proof
from balai.survey.elements import ELEMENT_KEYS
from balai.survey.services import is_rateable, survey_submit

# (question, answers 1..4) for each element NAME (balai.survey.elements.ELEMENT_KEYS).
QUESTIONS: dict[str, tuple] = {
    "persyaratan": (_("Were the requirements right for this service?"),
                    (_("Not right"), _("Partly right"), _("Right"), _("Fully right"))),
    "prosedur": (_("Was the procedure easy?"),
                 (_("Not easy"), _("Not very easy"), _("Easy"), _("Very easy"))),
    "waktu": (_("Was it done quickly?"),
              (_("Not quick"), _("Not very quick"), _("Quick"), _("Very quick"))),
    "biaya": (_("What did it cost you?"),
              (_("Very expensive"), _("Rather expensive"), _("Cheap"), _("Free"))),
    "produk": (_("Was the result what the service standard promised?"),
               (_("Not as promised"), _("Partly as promised"), _("As promised"), _("Fully as promised"))),
    "kompetensi": (_("Did the staff know their job?"),
                   (_("Not competent"), _("Not very competent"), _("Competent"), _("Very competent"))),
    "perilaku": (_("Were the staff polite and friendly?"),
                 (_("Not polite"), _("Not very polite"), _("Polite and friendly"),
                  _("Very polite and friendly"))),
    "sarana": (_("How were the facilities (place, website, equipment)?"),
               (_("Poor"), _("Fair"), _("Good"), _("Very good"))),
    "pengaduan": (_("How are complaints and suggestions handled?"),
                  (_("Not at all"), _("There is a way, but it does not work"), _("It works, but not well"),
                   _("Handled well"))),
}


class SurveyForm(forms.Form):
    """All nine questions are asked; the page asks for every answer so the index is complete."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for key in ELEMENT_KEYS:
            question, answers = QUESTIONS[key]
            self.fields[key] = forms.TypedChoiceField(
                label=question, coerce=int, widget=forms.RadioSelect,
                choices=[(score, label) for score, label in zip(range(1, 5), answers, strict=True)],
                error_messages={"required": _("Choose an answer for: %(question)s") % {"question": question}},
            )
        self.fields["comment"] = forms.CharField(
            label=_("Anything else? (optional)"), required=False, max_length=2000,
            widget=forms.Textarea(attrs={"rows": 3}),
        )

    def element_fields(self):
        return [self[key] for key in ELEMENT_KEYS]


@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, code: str) -> HttpResponse:
    case = case_or_404(code)
    require_proof(request, case)
    if request.GET.get("terima-kasih") == "1":
        return render(request, "portal/survey_thanks.html", {"case": case})
    if not is_rateable(case):
        return render(request, "portal/survey.html", {"case": case, "closed": True}, status=409)
    if request.method == "GET":
        return render(request, "portal/survey.html", {"case": case, "form": SurveyForm()})
    form = SurveyForm(request.POST)
    if form.is_valid():
        scores = {key: form.cleaned_data[key] for key in ELEMENT_KEYS}
        try:
            survey_submit(case=case, scores=scores, channel="web", comment=form.cleaned_data["comment"])
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                field = name.removeprefix("scores.")
                for message in messages:
                    form.add_error(field if field in form.fields else None, message)
        else:
            return redirect(reverse("portal:survey", args=[case.tracking_code]) + "?terima-kasih=1")
    return render(request, "portal/survey.html", {"case": case, "form": form}, status=400)
