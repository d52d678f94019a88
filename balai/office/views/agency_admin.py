"""Agency administration (/kantor/instansi/) by the agency's administrator, without Django admin:
units (tree; create, rename, move, deactivate), members (grant, revoke and move roles to another unit, reset a member's second
factor after a lost phone) and canned answers. ADR 0015 says why these live here and not in Django admin.

Permission: "agency.manage_units" / "agency.manage_members" (role admin, agency scope) on the agency
chosen; writes go through `balai.agencies.services`, `balai.office.services` and `balai.people.services`
(audited).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from balai.agencies import services as agency_services
from balai.agencies.models import Agency, Unit
from balai.agencies.selectors import agencies_administered_by, units_in_tree_order
from balai.cases import units as case_units
from balai.office import services as office_services
from balai.office.rules import office_view
from balai.office.selectors import canned_answers_of
from balai.people.models import Role
from balai.people.permissions import has_permission
from balai.people.selectors import active_memberships_of_agency, second_factor_resettable
from balai.people.services import (
    may_reset_second_factor,
    membership_move,
    membership_revoke,
    staff_member_add,
    user_reset_second_factor,
)

VIA = "kantor"

# --- forms -----------------------------------------------------------------------------------------------


class UnitForm(forms.Form):
    name_id = forms.CharField(label=gettext_lazy("Name (Indonesian)"), max_length=200)
    name_en = forms.CharField(label=gettext_lazy("Name (English)"), max_length=200, required=False)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Unit.Kind.choices, initial=Unit.Kind.DIVISION)
    parent = forms.TypedChoiceField(label=gettext_lazy("Part of"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [("", _("(top level)"))] + [(u.pk, u.name) for u in units]


class RenameForm(forms.Form):
    unit = forms.IntegerField(widget=forms.HiddenInput)
    name_id = forms.CharField(label=gettext_lazy("New name (Indonesian)"), max_length=200)
    name_en = forms.CharField(label=gettext_lazy("New name (English)"), max_length=200, required=False)


class GrantForm(forms.Form):
    login = forms.CharField(label=gettext_lazy("E-mail address or phone number of the officer"), max_length=254)
    full_name = forms.CharField(label=gettext_lazy("Full name (for a new account)"), max_length=150, required=False)
    unit = forms.TypedChoiceField(label=gettext_lazy("Unit"), coerce=int)
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role.choices)

    def __init__(self, *args: Any, units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("Choose…"))] + [(u.pk, u.name) for u in units]


class CannedForm(forms.Form):
    canned = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=120)
    body_id = forms.CharField(label=gettext_lazy("Text (Indonesian)"), widget=forms.Textarea(attrs={"rows": 4}))
    body_en = forms.CharField(label=gettext_lazy("Text (English)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))
    is_active = forms.BooleanField(label=gettext_lazy("In use"), required=False, initial=True)


# --- helpers ---------------------------------------------------------------------------------------------


def _agency(request: HttpRequest, action: str) -> tuple[Agency, list[Agency]]:
    """The agency administered (?instansi=<id> among the user's), checked with the object."""
    agencies = [a for a in agencies_administered_by(request.user) if has_permission(request.user, action, a)]
    if not agencies:
        raise PermissionDenied
    raw = request.GET.get("instansi", "")
    chosen = next((a for a in agencies if raw.isdigit() and a.pk == int(raw)), agencies[0])
    return chosen, agencies


def _tree(agency: Agency) -> list[tuple[Unit, int]]:
    """Units in tree order with their depth (parents before children)."""
    return units_in_tree_order(agency)


def _apply_errors(form: forms.Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _refused(form: forms.Form, errors: Any) -> None:
    """Show a refusal (e.g. a route left without an actor) on the page's unbound grant form."""
    if not hasattr(form, "cleaned_data"):
        form.cleaned_data = {}
    form.add_error(None, errors)


def _here(request: HttpRequest, agency: Agency) -> HttpResponse:
    return redirect(f"{request.path}?instansi={agency.pk}")


def _context(agency: Agency, agencies: list[Agency], section: str) -> dict:
    return {"agency": agency, "agencies": agencies, "admin_section": section, "office_section": "agency"}


# --- units -----------------------------------------------------------------------------------------------


@office_view("office:agency_admin")
def units_view(request: HttpRequest) -> HttpResponse:
    agency, agencies = _agency(request, "agency.manage_units")
    tree = _tree(agency)
    active_units = [u for u, _d in tree if u.is_active]
    form = UnitForm(units=active_units)
    rename_form = None
    page_errors: list[str] = []
    status = 200
    if request.method == "POST":
        op = request.POST.get("op", "")
        try:
            if op == "create":
                form = UnitForm(request.POST, units=active_units)
                if form.is_valid():
                    parent = next((u for u in active_units if u.pk == form.cleaned_data["parent"]), None)
                    agency_services.unit_create(actor=request.user, agency=agency, name_id=form.cleaned_data["name_id"],
                                               name_en=form.cleaned_data["name_en"], kind=form.cleaned_data["kind"],
                                               parent=parent)
                    messages.success(request, _("Unit created."))
                    return _here(request, agency)
            elif op == "rename":
                rename_form = RenameForm(request.POST)
                if rename_form.is_valid():
                    unit = next((u for u, _d in tree if u.pk == rename_form.cleaned_data["unit"]), None)
                    if unit is None:
                        raise ValidationError(_("Unknown unit."))
                    agency_services.unit_update(actor=request.user, unit=unit, name_id=rename_form.cleaned_data["name_id"],
                                               name_en=rename_form.cleaned_data["name_en"], parent=unit.parent)
                    messages.success(request, _("Unit renamed."))
                    return _here(request, agency)
                page_errors = [e for errors in rename_form.errors.values() for e in errors]
            elif op in ("deactivate", "activate"):
                unit = next((u for u, _d in tree if str(u.pk) == request.POST.get("unit", "")), None)
                if unit is None:
                    raise ValidationError(_("Unknown unit."))
                case_units.unit_set_active(actor=request.user, unit=unit, active=op == "activate")
                messages.success(request, _("Unit deactivated.") if op == "deactivate" else _("Unit activated."))
                return _here(request, agency)
            else:
                raise ValidationError(_("Unknown action."))
        except ValidationError as exc:
            if op == "create":
                _apply_errors(form, exc)
            else:
                page_errors = exc.messages
        status = 400
    ctx = _context(agency, agencies, "units")
    ctx |= {"tree": tree, "form": form, "page_errors": page_errors}
    return render(request, "office/agency_admin_units.html", ctx, status=status)


# --- members ---------------------------------------------------------------------------------------------


@office_view("office:agency_members")
def members_view(request: HttpRequest) -> HttpResponse:
    agency, agencies = _agency(request, "agency.manage_members")
    units = [u for u, _d in _tree(agency) if u.is_active]
    form = GrantForm(units=units)
    status = 200
    memberships = list(active_memberships_of_agency(agency.pk))
    if request.method == "POST":
        op = request.POST.get("op", "")
        if op == "revoke":
            membership = next((m for m in memberships if str(m.pk) == request.POST.get("membership")), None)
            if membership is not None:
                try:
                    membership_revoke(membership=membership, actor=request.user, via=VIA)
                except ValidationError as exc:
                    _refused(form, exc.messages)
                    status = 400
                else:
                    messages.success(request, _("Role revoked."))
                    return _here(request, agency)
            else:
                _refused(form, _("This role was already revoked."))
        elif op == "move":
            membership = next((m for m in memberships if str(m.pk) == request.POST.get("membership")), None)
            unit = next((u for u in units if str(u.pk) == request.POST.get("unit")), None)
            if membership is None or unit is None:
                _refused(form, _("Choose a role that is still held and an active unit of this agency."))
            else:
                try:
                    membership_move(membership=membership, unit=unit, actor=request.user, via=VIA)
                except ValidationError as exc:
                    _refused(form, exc.messages)
                else:
                    messages.success(request, _("%(name)s now holds this role in %(unit)s.") % {
                        "name": membership.user.full_name or membership.user.get_username(), "unit": unit.name})
                    return _here(request, agency)
        elif op == "reset_second_factor":
            member = next((m.user for m in memberships if str(m.user_id) == request.POST.get("user")), None)
            if member is not None and may_reset_second_factor(request.user, member):
                user_reset_second_factor(actor=request.user, user=member, via=VIA)
                messages.success(request, _("The second factor of %(name)s was reset: they set up a new one at "
                                            "their next sign-in.") % {"name": member.full_name or member.get_username()})
                return _here(request, agency)
            raise PermissionDenied
        else:
            form = GrantForm(request.POST, units=units)
            if form.is_valid():
                unit = next(u for u in units if u.pk == form.cleaned_data["unit"])
                try:
                    staff_member_add(actor=request.user, login=form.cleaned_data["login"],
                                     full_name=form.cleaned_data["full_name"], unit=unit,
                                     role=form.cleaned_data["role"], via=VIA)
                    messages.success(request, _("Role granted."))
                    return _here(request, agency)
                except ValidationError as exc:
                    _apply_errors(form, exc)
        status = 400
    resettable = second_factor_resettable(request.user, {m.user_id: m.user for m in memberships}.values())
    ctx = _context(agency, agencies, "members")
    ctx |= {"form": form, "memberships": memberships, "resettable": resettable, "units": units}
    return render(request, "office/agency_admin_members.html", ctx, status=status)


# --- canned answers --------------------------------------------------------------------------------------


@office_view("office:agency_canned")
def canned_view(request: HttpRequest) -> HttpResponse:
    agency, agencies = _agency(request, "agency.manage_units")
    answers = canned_answers_of(agency)
    editing = None
    raw = request.GET.get("ubah", "")
    if raw.isdigit():
        editing = next((a for a in answers if a.pk == int(raw)), None)
    initial = ({"canned": editing.pk, "title": editing.title, "body_id": editing.body_id,
                "body_en": editing.body_en, "is_active": editing.is_active} if editing else None)
    form = CannedForm(initial=initial)
    status = 200
    if request.method == "POST":
        form = CannedForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            canned = next((a for a in answers if a.pk == data.get("canned")), None) if data.get("canned") else None
            try:
                office_services.canned_answer_save(actor=request.user, agency=agency, title=data["title"],
                                                  body_id=data["body_id"], body_en=data["body_en"],
                                                  is_active=data["is_active"], canned=canned)
                messages.success(request, _("Canned answer saved."))
                return _here(request, agency)
            except ValidationError as exc:
                _apply_errors(form, exc)
        status = 400
    ctx = _context(agency, agencies, "canned")
    ctx |= {"form": form, "answers": answers, "editing": editing}
    return render(request, "office/agency_admin_canned.html", ctx, status=status)
