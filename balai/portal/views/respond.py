"""The citizen responds to a case: answer a question, add documents, accept or dispute
the result, object to an information decision, reopen.

Only after proof (one-time code in this session, or signed in as the owner). Every action is a
workflow transition taken through `balai.cases.services.case_transition` with `actor=None` and
`channel="web"` (the engine's contract for citizen actions); "citizen_reply" resumes the clock.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from balai.cases.attachments import store_citizen_documents
from balai.cases.commands import CaseCommand
from balai.cases.errors import CaseError, ConflictError, MissingRequirement
from balai.cases.selectors import latest_event, objection_grounds
from balai.cases.services import case_transition, citizen_actions
from balai.i18n import current_language
from balai.portal.views.track import case_or_404, case_url, deadline_of, require_proof, status_label

# What each citizen action means, in plain words, and which text it needs.
ACTION_TEXT = {
    "citizen_reply": (gettext_lazy("Answer the agency's question"),
                      gettext_lazy("Give the information the agency asked for. The time for your case starts "
                                   "running again when you send it.")),
    "accept": (gettext_lazy("I accept the result"),
               gettext_lazy("Say that you are satisfied. Your case will be closed.")),
    "dispute": (gettext_lazy("I am not satisfied with the result"),
                gettext_lazy("Tell us what is still wrong. The agency must look at it again.")),
    "reopen": (gettext_lazy("Reopen my case"),
               gettext_lazy("The problem came back or was not solved. Tell us why.")),
    "object": (gettext_lazy("Object to the decision"),
               gettext_lazy("You disagree with the answer or the refusal. The head of the agency must "
                            "answer your objection within 30 working days (Law 14/2008).")),
    "object_late": (gettext_lazy("Object: no answer in time"),
                    gettext_lazy("The agency did not answer within the legal time. You may object (Law "
                                 "14/2008).")),
}
TEXT_FIELD = {"citizen_reply": "body", "dispute": "reason", "reopen": "reason", "object": "reason",
              "object_late": "reason"}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        items = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [forms.FileField.clean(self, item, initial) for item in items if item]


OBJECTIONS = ("object", "object_late")


class ResponseForm(forms.Form):
    grounds = forms.MultipleChoiceField(
        label=gettext_lazy("Grounds of your objection (UU 14/2008 art. 35(1))"), widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Choose every ground that applies."),
        error_messages={"required": gettext_lazy("Choose at least one ground of your objection."),
                        "invalid_choice": gettext_lazy("Choose from the grounds offered.")},
    )
    text = forms.CharField(
        label=gettext_lazy("Your message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": gettext_lazy("Write your message.")},
    )
    files = MultipleFileField(
        label=gettext_lazy("Documents (optional)"),
        help_text=gettext_lazy("PDF, photos (JPEG, PNG, WebP) or office documents, up to 5 MB each."),
    )

    def __init__(self, *args, needs_text: bool = True, allows_files: bool = False, grounds: bool = False,
                 **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if grounds:
            self.fields["grounds"].choices = objection_grounds(current_language())
            self.fields["text"].label = gettext_lazy("Explain your objection")
        else:
            del self.fields["grounds"]
        if not needs_text:
            del self.fields["text"]
        if not allows_files:
            del self.fields["files"]


class DocumentsForm(forms.Form):
    files = MultipleFileField(
        label=gettext_lazy("Documents"),
        help_text=gettext_lazy("PDF, photos (JPEG, PNG, WebP) or office documents, up to 5 MB each."),
    )

    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        if not files:
            raise ValidationError(_("Choose at least one file."))
        return files


def _question(case) -> str:
    """The latest question the agency asked (public event of the "request_info" action)."""
    event = latest_event(case, actions=("request_info",), public_only=True)
    return event.body if event else ""


def respond(request: HttpRequest, code: str) -> HttpResponse:
    """What the citizen can do now, each a link to its own short page."""
    case = case_or_404(code)
    require_proof(request, case)
    actions = [{"name": a.name, "label": ACTION_TEXT.get(a.name, (a.label, ""))[0],
                "hint": ACTION_TEXT.get(a.name, ("", ""))[1]} for a in citizen_actions(case=case)]
    return render(request, "portal/respond.html", {
        "case": case, "actions": actions, "status": status_label(case), "deadline": deadline_of(case),
        "question": _question(case) if case.status == "waiting_citizen" else "",
    })


def _error_text(exc: CaseError) -> str:
    if isinstance(exc, ConflictError):
        return _("Your case changed while you were writing. Check its status and try again.")
    return str(exc) or _("This is not possible for your case now.")


@require_http_methods(["GET", "POST"])
def respond_action(request: HttpRequest, code: str, action: str) -> HttpResponse:
    case = case_or_404(code)
    require_proof(request, case)
    if action not in ACTION_TEXT:
        raise Http404
    allowed = {a.name for a in citizen_actions(case=case)}
    title, hint = ACTION_TEXT[action]
    field = TEXT_FIELD.get(action)
    kwargs = {"needs_text": field is not None, "allows_files": action == "citizen_reply",
              "grounds": action in OBJECTIONS}
    context = {"case": case, "action": action, "title": title, "hint": hint, "allowed": action in allowed,
               "question": _question(case) if action == "citizen_reply" else "",
               "objection": action in OBJECTIONS}
    if request.method == "GET" or action not in allowed:
        return render(request, "portal/respond_action.html", {**context, "form": ResponseForm(**kwargs)},
                      status=200 if action in allowed else 409)
    form = ResponseForm(request.POST, request.FILES, **kwargs)
    if form.is_valid():
        text = form.cleaned_data.get("text", "")
        data = None
        if action in OBJECTIONS:
            chosen = form.cleaned_data.get("grounds") or []
            labels = dict(objection_grounds(case.language))
            text = _("Grounds (UU 14/2008 art. 35(1)): %(grounds)s") % {
                "grounds": "; ".join(labels[g] for g in chosen)} + "\n\n" + text
            data = {"objection_grounds": list(chosen)}
        try:
            case_transition(case, CaseCommand(action=action, actor=None, channel="web",
                            body=text if field == "body" else "", reason=text if field == "reason" else "",
                            files=form.cleaned_data.get("files") or (), data=data or {}))
        except ValidationError as exc:  # a file the engine refused (type, size, content)
            for message in exc.messages:
                form.add_error("files" if "files" in form.fields else None, message)
        except MissingRequirement as exc:
            for name, messages in (getattr(exc, "field_errors", None) or {}).items():
                for message in messages:
                    form.add_error("text" if name in ("body", "reason") and "text" in form.fields else None,
                                   message)
            if not form.errors:
                form.add_error(None, _error_text(exc))
        except CaseError as exc:
            form.add_error(None, _error_text(exc))
        else:
            return redirect(case_url(case) + "?selesai=1")
    return render(request, "portal/respond_action.html", {**context, "form": form}, status=400)


@require_http_methods(["GET", "POST"])
def respond_documents(request: HttpRequest, code: str) -> HttpResponse:
    """Add documents at any time while the case is open. When the agency is waiting for the citizen,
    use the reply page instead: documents sent with a reply resume the clock."""
    case = case_or_404(code)
    require_proof(request, case)
    context = {"case": case, "waiting": case.status == "waiting_citizen"}
    if request.method == "GET" or not case.is_open:
        return render(request, "portal/respond_documents.html", {**context, "form": DocumentsForm()},
                      status=200 if case.is_open else 409)
    form = DocumentsForm(request.POST, request.FILES)
    if form.is_valid():
        owner = request.user if request.user.is_authenticated and request.user.pk == case.citizen_id else None
        try:
            store_citizen_documents(case=case, uploads=form.cleaned_data["files"], citizen=owner)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("files", message)
        else:
            return redirect(case_url(case) + "?selesai=1")
    return render(request, "portal/respond_documents.html", {**context, "form": form}, status=400)
