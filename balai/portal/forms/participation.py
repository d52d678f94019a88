"""Forms of the public participation pages (/partisipasi/)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from balai.participation.models import Gender, ProposalCategory, Stance
from balai.people.phone import validate_phone


class PhoneForm(forms.Form):
    telepon = forms.CharField(
        label=_("Mobile phone number"), max_length=24,
        help_text=_("We send a one-time code by SMS. Your number is not shown or stored with what you do."),
        error_messages={"required": _("Enter your mobile phone number.")},
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))

    def clean_telepon(self) -> str:
        return validate_phone(self.cleaned_data["telepon"], mobile_only=True)


class ProposalForm(forms.Form):
    judul = forms.CharField(label=_("Title of your proposal"), max_length=160,
                            error_messages={"required": _("Give your proposal a short title.")})
    uraian = forms.CharField(label=_("What should be done, where and why"), max_length=4000,
                             widget=forms.Textarea(attrs={"rows": 6}),
                             error_messages={"required": _("Describe your proposal.")})
    kategori = forms.ChoiceField(label=_("Category"), choices=ProposalCategory.choices)
    tempat = forms.ChoiceField(label=_("Village or area"), choices=())
    foto = forms.FileField(label=_("Photo (optional)"), required=False,
                           help_text=_("JPEG, PNG or WebP. It is published with the proposal; location and camera "
                                       "data are removed."),
                           widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
    jenis_kelamin = forms.ChoiceField(label=_("Gender (optional, for inclusion figures only)"),
                                      choices=Gender.choices, required=False)
    disabilitas = forms.BooleanField(label=_("I am a person with a disability (optional)"), required=False)

    def __init__(self, *args, places=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tempat"].choices = [(r.code, r.name) for r in places]


class VoteForm(forms.Form):
    nik = forms.CharField(label=_("NIK (16 digits on your KTP)"), max_length=24,
                          help_text=_("Only to make sure each person votes once. It is not stored: only a "
                                      "keyed fingerprint of it is kept."),
                          error_messages={"required": _("Enter your NIK.")},
                          widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    proyek = forms.MultipleChoiceField(label=_("Projects"), choices=(), widget=forms.CheckboxSelectMultiple,
                                       error_messages={"required": _("Choose at least one project.")})
    jenis_kelamin = forms.ChoiceField(label=_("Gender (optional, for inclusion figures only)"),
                                      choices=Gender.choices, required=False)
    disabilitas = forms.BooleanField(label=_("I am a person with a disability (optional)"), required=False)

    def __init__(self, *args, projects=(), places=(), voters_region=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["proyek"].choices = [(p.code, f"{p.title} — Rp {p.cost:,}".replace(",", ".")) for p in projects]
        if places:  # a budget for the residents of one region: where the voter lives
            self.fields["desa"] = forms.ChoiceField(
                label=_("Where you live"), choices=[("", _("Choose"))] + [(r.code, r.name) for r in places],
                help_text=_("This vote is for the residents of %(region)s.") % {"region": voters_region.name},
                error_messages={"required": _("Say where you live.")})
            self.order_fields(["nik", "desa"])


class CommentForm(forms.Form):
    bagian = forms.CharField(widget=forms.HiddenInput, required=False)
    sikap = forms.ChoiceField(label=_("Your view"), choices=Stance.choices, widget=forms.RadioSelect,
                              error_messages={"required": _("Say whether you agree.")})
    komentar = forms.CharField(label=_("Your comment"), max_length=3000, widget=forms.Textarea(attrs={"rows": 4}),
                               error_messages={"required": _("Write your comment.")})
    nama = forms.CharField(label=_("Name to show (optional)"), max_length=80, required=False)
