"""One small form per action the engine offers on a case (`available_actions`).

The forms only parse input: whether a reason or text is required, whether the officer works in the
unit, whether the action is possible now — the engine decides and says so (MissingRequirement,
TransitionNotAllowed, ConflictError), and the page shows its words.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from balai.agencies.selectors import agency_by_pk, unit_by_pk
from balai.cases import workflows
from balai.people.selectors import user_by_pk

# Actions whose text goes to the citizen as the agency's answer (and may carry files).
ANSWER_ACTIONS = frozenset({"answer", "resolve", "answer_objection", "complete"})
FILE_ACTIONS = ANSWER_ACTIONS | {"request_info", "note", "refuse", "reject"}
OPTIONAL_BODY = frozenset({"complete"})
CANNED_ACTIONS = ANSWER_ACTIONS | {"request_info", "reject", "refuse"}

BODY_LABELS = {
    "note": (_("Internal note"), _("Seen only by staff. Not sent to the citizen.")),
    "request_info": (_("Question to the citizen"), _("Sent to the citizen. The deadline clock pauses until they reply.")),
    "answer": (_("Public answer"), _("Sent to the citizen and shown in the public timeline.")),
    "resolve": (_("Public answer"), _("Sent to the requester: what was done.")),
    "answer_objection": (_("Answer to the objection"), _("Sent to the requester.")),
    "complete": (_("Message to the citizen (optional)"), _("For example where and when to collect the document.")),
}
# ICT requests come from agency officers, never citizens (docs/regulations.md §13).
ICT_LABELS = {
    "request_info": (_("Question to the requester"),
                     _("Sent to the agency officer who asked. The clock pauses until they reply.")),
    "reject": (_("Reason for rejecting"), _("Sent to the requester: say what is missing or why it cannot be done.")),
    "dispose": (_("Reason for forwarding"), _("Recorded in the timeline and sent to the requester.")),
    "resolve": (_("What was done"), _("Sent to the requester, who confirms it is solved.")),
}
REASON_LABELS = {
    "reject": (_("Reason for rejecting"), _("Sent to the citizen: say what is missing or why it cannot be granted.")),
    "dispose": (_("Reason for forwarding"), _("Recorded in the timeline and sent to the citizen.")),
    "extend": (_("Reasons for the extension"), _("Sent to the requester (UU 14/2008 art. 22(8)).")),
    "escalate": (_("Reason for escalating"), _("Seen by staff and the inspectorate.")),
    "refuse": (_("Consequence test"), _("What harm disclosure would cause (UU 14/2008 art. 19).")),
    "close": (_("Reason for closing"), _("Sent to the citizen: for example that the follow-up is done and they "
                                         "did not reply, or that they could not be reached.")),
}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class ActionForm(forms.Form):
    """The form of one action; field names carry the action as prefix so one page holds many."""

    action = forms.CharField(widget=forms.HiddenInput)
    expected_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, spec: Any, case: Any, assignees: list[tuple[int, str]] = (),
                 targets: list[tuple[str, list[tuple[str, str]]]] = (), **kwargs: Any) -> None:
        kwargs.setdefault("prefix", spec.name)
        super().__init__(*args, **kwargs)
        self.spec = spec
        name = spec.name
        req = spec.requires
        ict = getattr(case, "kind", "") == "ict_request"
        if workflows.ASSIGNEE in req:
            self.fields["assignee"] = forms.TypedChoiceField(
                label=_("Officer"), required=False, coerce=int, empty_value=None,
                choices=[("", _("Choose an officer"))] + list(assignees))
        if workflows.TARGET in req:
            self.fields["target"] = forms.ChoiceField(
                label=_("Forward to"), required=False, choices=[("", _("Choose a unit or agency"))] + list(targets),
                help_text=_("Choosing an agency sends the case to its service desk."))
        if workflows.EXEMPTION in req:
            self.fields["exemption"] = forms.ChoiceField(
                label=_("Exemption (UU 14/2008 art. 17)"), required=False,
                choices=[("", _("Choose the exemption"))] + [(k, v) for k, v in workflows.EXEMPTIONS.items()])
            self.fields["consequence_test"] = forms.CharField(
                label=_("Consequence test (decree number)"), required=False, max_length=60,
                help_text=_("The consequence test this refusal rests on. Make one first under PPID, "
                            "consequence tests, if there is none yet."))
        if workflows.REASON in req:
            label, hint = (ICT_LABELS[name] if ict and name in ICT_LABELS
                           else REASON_LABELS.get(name, (_("Reason"), "")))
            self.fields["reason"] = forms.CharField(label=label, help_text=hint, required=False, max_length=5000,
                                                    widget=forms.Textarea(attrs={"rows": 4}))
        if workflows.BODY in req or name in OPTIONAL_BODY:
            label, hint = (ICT_LABELS[name] if ict and name in ICT_LABELS
                           else BODY_LABELS.get(name, (_("Text"), "")))
            self.fields["body"] = forms.CharField(label=label, help_text=hint, required=False, max_length=20000,
                                                  widget=forms.Textarea(attrs={"rows": 6}))
        if name in FILE_ACTIONS:
            self.fields["files"] = MultipleFileField(
                label=_("Attachments (optional)"), required=False,
                help_text=_("PDF, image or office document, up to 5 MB each."))
        self.initial.setdefault("action", name)
        self.initial.setdefault("expected_version", case.version)

    def engine_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for `case_transition` (target split into unit / agency)."""
        data = self.cleaned_data
        out: dict[str, Any] = {"reason": data.get("reason") or "", "body": data.get("body") or "",
                               "exemption": data.get("exemption") or "", "files": data.get("files") or ()}
        if (data.get("consequence_test") or "").strip():
            out["data"] = {"consequence_test": data["consequence_test"].strip()}
        if data.get("assignee"):
            out["assignee"] = user_by_pk(data["assignee"])
        target = data.get("target") or ""
        if target.startswith("u:"):
            out["target_unit"] = unit_by_pk(target[2:])
        elif target.startswith("a:"):
            out["target_agency"] = agency_by_pk(target[2:])
        return out

    def typed_text(self) -> list[tuple[str, str]]:
        """(label, text) of what the officer typed, to keep it when the action can no longer be taken."""
        out = []
        for field in ("reason", "body"):
            if field in self.fields:
                value = self.data.get(self.add_prefix(field), "")
                if value.strip():
                    out.append((str(self.fields[field].label), value))
        return out


class CannedAnswerForm(forms.Form):
    """GET form: pick a canned answer to pre-fill the text of `aksi` (works without JavaScript)."""

    jawaban = forms.TypedChoiceField(label=_("Canned answer"), required=False, coerce=int, empty_value=None)
    aksi = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, canned: list[Any], action: str, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_{action}-canned-%s")
        super().__init__(*args, **kwargs)
        self.fields["jawaban"].choices = [("", _("Choose a text"))] + [(c.pk, c.title) for c in canned]
        self.initial["aksi"] = action


class PublicVersionForm(forms.Form):
    """The public text of a complaint, written by a moderator (ADR 0043)."""

    title = forms.CharField(label=_("Public title"), max_length=200)
    description = forms.CharField(label=_("Public description"), required=False, max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 8}))
