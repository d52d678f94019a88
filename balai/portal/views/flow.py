"""Shared machinery of the portal's multi-step flows (apply, complain, ask for information).

Each step is a plain Django form posted to its own page. What the citizen typed is kept in the session
as the raw values (so a page shows exactly what they typed, also after an error) and checked again by
binding the same forms once more before sending. No JavaScript, no hidden state in the page.
"""

from __future__ import annotations

import copy
from collections.abc import Hashable, Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.datastructures import MultiValueDict
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from balai.catalog.sealed_answers import SEALED_TYPES
from balai.people.nik import is_sealed_nik, seal_nik, unseal_nik
from balai.people.selectors import signed_in_citizen
from balai.portal import drafts, submit_limits

RECEIPTS_KEY = "portal_sent_cases"
MAX_RECEIPTS = 20


def _sealed_in_drafts(field: forms.Field) -> bool:
    definition = getattr(field, "definition", None)
    return isinstance(definition, Mapping) and definition.get("type") in SEALED_TYPES


def raw_values(form: forms.Form) -> dict[str, Any]:
    """The values as typed (strings, or lists for multiple choices), file fields left out.

    A NIK is kept sealed (ADR 0019): the session table never holds one in plain text either.
    """
    out: dict[str, Any] = {}
    for name, field in form.fields.items():
        if isinstance(field, forms.FileField):
            continue
        value = field.widget.value_from_datadict(form.data, form.files, form.add_prefix(name))
        if _sealed_in_drafts(field) and isinstance(value, str) and value.strip():
            value = seal_nik(value)
        out[name] = value
    return out


def opened(raw: Mapping | None) -> dict[str, Any]:
    """Saved raw values with sealed NIKs opened again, to show or re-check them ('' if unreadable)."""
    out: dict[str, Any] = {}
    for key, value in (raw or {}).items():
        if is_sealed_nik(value):
            try:
                value = unseal_nik(value)
            except ValueError:
                value = ""  # the key it was sealed with is gone: the citizen types it again
        out[key] = value
    return out


def form_data(raw: Mapping[str, Any]) -> MultiValueDict:
    """Saved raw values as a form's `data`, as a POST would give them (the widgets read `get` and `getlist`)."""
    data = MultiValueDict()
    for key, value in raw.items():
        if isinstance(value, list | tuple):
            data.setlist(key, [str(v) for v in value])
        elif value is not None:
            data[key] = str(value)
    return data


def step_form(form_class, request: HttpRequest, saved: Mapping | None, **kwargs) -> forms.Form:
    """The form of a step: bound to the POST, or showing what was saved before."""
    if request.method == "POST":
        return form_class(request.POST, request.FILES, **kwargs)
    return form_class(initial=opened(saved), **kwargs)


def rebind(form_class, raw: Mapping | None, *, alike: Hashable | None = None, **kwargs) -> forms.Form:
    """Bind saved raw values again (before sending, so each step is validated with current data).

    `alike`: a key saying everything `kwargs` change in the form (`()` when there are none, the categories
    offered, ...). With one, the unbound form is built once per process for each form class, key and
    language and copied for each binding, instead of building its fields again: the same fields, the same
    validation, at a fraction of the cost on every "Send". Such a form shares its field objects with other
    requests: it is only validated and read (labels, choices, answers), never changed.
    """
    data = form_data(opened(raw))
    form = form_class(data=data, **kwargs) if alike is None else _bound_copy(form_class, alike, kwargs, data)
    form.is_valid()
    return form


_BLANK_FORMS: dict[tuple, forms.Form] = {}
_MAX_BLANK_FORMS = 256  # form classes x keys x languages; forgotten all at once beyond that (rebuilt on use)


def _bound_copy(form_class, alike: Hashable, kwargs: dict, data: MultiValueDict) -> forms.Form:
    key = (form_class, alike, get_language())
    blank = _BLANK_FORMS.get(key)
    if blank is None:
        if len(_BLANK_FORMS) >= _MAX_BLANK_FORMS:
            _BLANK_FORMS.clear()
        blank = _BLANK_FORMS[key] = form_class(**kwargs)
    # What `BaseForm.__init__` sets from `data`, on a shallow copy; the rest (fields, labels, the language's
    # label suffix, the subclass's own attributes) is the blank form's. Own dicts: nothing leaks between copies.
    form = copy.copy(blank)
    form.is_bound, form.data, form.files, form._errors = True, data, MultiValueDict(), None
    form.fields, form.initial, form._bound_fields_cache = dict(blank.fields), dict(blank.initial), {}
    return form


def save_step(request: HttpRequest, flow: str, step: str, form: forms.Form) -> dict:
    draft = drafts.get_draft(request, flow)
    draft["steps"][step] = raw_values(form)
    drafts.save_draft(request, flow, draft)
    return draft


def stash_files(request: HttpRequest, flow: str, form: forms.Form, names: list[str], *, replace: bool = True) -> bool:
    """Keep the files chosen in `names`; add the engine's message to the field when one is refused."""
    ok = True
    for name in names:
        for uploaded in request.FILES.getlist(form.add_prefix(name)):
            try:
                drafts.stash_upload(request, flow, name, uploaded, replace=replace)
            except ValidationError as exc:
                form.add_error(name, exc.messages[0] if exc.messages else _("This file cannot be accepted."))
                ok = False
    return ok


def anchor(form: forms.Form, name: str) -> str:
    """The id an error link should point at: the input, or the first option of a group."""
    if name not in form.fields:
        return ""
    bound = form[name]
    if isinstance(bound.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"{bound.auto_id}_0"
    return bound.auto_id


def errors_of(url: str, form: forms.Form) -> list[tuple[str, str, str]]:
    """(page url, anchor id, message) for every error of a re-bound step form."""
    return [(url, anchor(form, n) if n != "__all__" else "", str(m)) for n, ms in form.errors.items() for m in ms]


def problem_links(problems: list[tuple[str, str, str]]) -> list[dict]:
    return [{"url": f"{url}#{target}" if url and target else url, "message": message}
            for url, target, message in problems]


def _choices(field: forms.Field) -> list:
    return list(getattr(field, "choices", None) or getattr(field.widget, "choices", None) or [])


def choice_label(field: forms.Field, value: Any) -> str:
    choices = {str(k): v for k, v in _choices(field) if not isinstance(v, list | tuple)}
    if isinstance(value, list | tuple):
        return ", ".join(str(choices.get(str(v), v)) for v in value)
    return str(choices.get(str(value), value or ""))


def entered_value(form: forms.Form, name: str) -> Any:
    """The cleaned value of a re-bound field, or what was typed when it is empty or not valid."""
    field = form.fields[name]
    value = form.cleaned_data.get(name) if hasattr(form, "cleaned_data") else None
    if value is None or value == "" or value == []:
        value = form.data.getlist(name) if isinstance(field, forms.MultipleChoiceField) else form.data.get(name)
    return value


def display_value(form: forms.Form, name: str) -> str:
    """An answer as the citizen should read it on the check-your-answers page."""
    field = form.fields[name]
    value = entered_value(form, name)
    if isinstance(field.widget, forms.CheckboxInput):
        return _("Yes") if value else _("No")
    if _choices(field):
        return choice_label(field, value)
    if value in (None, "", []):
        return ""
    return str(value)


def account_contact(request: HttpRequest) -> dict[str, str]:
    """The signed-in citizen's own name, phone and e-mail, to prefill a contact step (ask once). Staff on the
    portal act for someone else (or for themselves as citizens with another account), so nothing for them."""
    user = signed_in_citizen(request.user)
    if user is None:
        return {}
    return {"contact_name": user.full_name or "", "contact_phone": user.phone or "", "contact_email": user.email or ""}


def remember_sent(request: HttpRequest, case) -> None:
    """This browser sent `case`: it may see the confirmation and download the receipt."""
    sent = [c for c in request.session.get(RECEIPTS_KEY, []) if c != case.tracking_code]
    request.session[RECEIPTS_KEY] = (sent + [case.tracking_code])[-MAX_RECEIPTS:]


def sent_here(request: HttpRequest, code: str) -> bool:
    return code in request.session.get(RECEIPTS_KEY, [])


def rate_limited(request: HttpRequest) -> HttpResponse | None:
    """The 429 page when this client has sent too many cases just now, else None."""
    limit = submit_limits.check_submit(request)
    return None if limit.allowed else limited_page(request, limit)


def limited_page(request: HttpRequest, limit: submit_limits.Limit) -> HttpResponse:
    """The 429 page: too many cases sent, and when the next one may be sent."""
    response = render(request, "portal/apply_rate_limited.html", {"limit": limit}, status=429)
    response["Retry-After"] = str(limit.retry_after)
    return response


def engine_errors(exc: ValidationError) -> list[tuple[str, str]]:
    """(field, message) pairs from the engine's ValidationError (a dict or a plain message)."""
    if hasattr(exc, "error_dict"):
        return [(name, str(m)) for name, errs in exc.error_dict.items() for e in errs for m in e.messages]
    return [("", str(m)) for m in exc.messages]


def files_for_submit(request: HttpRequest, flow: str, names: list[str] | None = None) -> tuple[dict, list]:
    """The kept files, opened: ({field: File} for single-file fields, [File] for the rest)."""
    draft = drafts.get_draft(request, flow)
    by_field: dict = {}
    loose: list = []
    for name, items in draft["files"].items():
        opened = [f for f in (drafts.open_stashed(i) for i in items) if f is not None]
        if names is not None and name in names:
            if opened:
                by_field[name] = opened[-1]
        else:
            loose.extend(opened)
    return by_field, loose


def lost_files(request: HttpRequest, flow: str) -> list[str]:
    """Names of kept files that have disappeared (e.g. purged after a day): the citizen must choose again."""
    draft = drafts.get_draft(request, flow)
    return [i.get("name", "") for items in draft["files"].values() for i in items if not drafts.is_kept(i)]
