"""The optional citizen account (ADR 0030 for its reads and writes): no password, a one-time code to an e-mail or phone.

Signing up and signing in are the same step: type an e-mail address or phone number, receive a code,
type it. The account is created on the first successful code (`citizen_get_or_create`), so the page
never says whether an account exists. Staff accounts cannot be opened this way (they sign in at
/kantor/ with a password and a second factor).

Personal data rights (UU 27/2022 arts. 5–13, docs/regulations.md §5): the person downloads their data as
JSON, and asks for correction or deletion, recorded as a `DataRequest` with the 3×24-hour deadline.
"""

from __future__ import annotations

import json

from django import forms
from django.contrib.auth import login, logout
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from balai.cases.selectors import case_by_code, cases_of_citizen, cases_without_account
from balai.cases.services import case_link_account
from balai.cases.visibility import case_view
from balai.i18n import current_language
from balai.net import client_ip
from balai.people.data_requests import data_request_create
from balai.people.models import ContactChannel, DataRequest, Language, User
from balai.people.phone import normalize_phone
from balai.people.selectors import data_requests_of, recent_change_requests, signed_in_citizen
from balai.people.services import citizen_get_or_create, citizen_profile_update
from balai.portal.services import otp
from balai.portal.views.track import code_error_message, status_label

OTP_PURPOSE = "account"
SESSION_CONTACT = "balai_signin_contact"
BACKEND = "balai.people.backends.EmailOrPhoneBackend"


def _normalize_contact(raw: str) -> tuple[str, str]:
    """("email", address) or ("phone", E.164); raises ValidationError with a plain message."""
    raw = (raw or "").strip()
    if "@" in raw:
        try:
            validate_email(raw)
        except ValidationError:
            raise ValidationError(_("Enter an e-mail address like nama@contoh.id, or a phone number like "
                                    "0812 3456 7890.")) from None
        return "email", raw.lower()
    try:
        return "phone", normalize_phone(raw)
    except ValueError:
        raise ValidationError(_("Enter an e-mail address like nama@contoh.id, or a phone number like "
                                "0812 3456 7890.")) from None


class SignInForm(forms.Form):
    kontak = forms.CharField(
        label=gettext_lazy("E-mail address or phone number"), max_length=254,
        help_text=gettext_lazy("We send a one-time code there. No password needed."),
        error_messages={"required": gettext_lazy("Enter your e-mail address or phone number.")},
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )

    def clean_kontak(self) -> tuple[str, str]:
        return _normalize_contact(self.cleaned_data["kontak"])


class AccountCodeForm(forms.Form):
    kode_otp = forms.CharField(
        label=gettext_lazy("One-time code"), max_length=12,
        help_text=gettext_lazy("The 6 digits we sent you."),
        error_messages={"required": gettext_lazy("Enter the 6-digit code we sent you.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class ProfileForm(forms.Form):
    full_name = forms.CharField(label=gettext_lazy("Your name"), max_length=150, required=False)
    preferred_language = forms.ChoiceField(label=gettext_lazy("Language for messages"),
                                           choices=Language.choices, widget=forms.RadioSelect)
    preferred_channel = forms.ChoiceField(label=gettext_lazy("How we send you messages"),
                                          choices=ContactChannel.choices, widget=forms.RadioSelect)

    def clean_preferred_channel(self) -> str:
        value = self.cleaned_data["preferred_channel"]
        user = self.initial.get("user")
        if user is not None:
            if value in ("sms", "whatsapp") and not user.phone:
                raise ValidationError(_("Your account has no phone number. Choose e-mail or no messages."))
            if value == "email" and not user.email:
                raise ValidationError(_("Your account has no e-mail address. Choose SMS, WhatsApp or no "
                                        "messages."))
        return value


class DataRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("What do you want us to do?"), widget=forms.RadioSelect,
        choices=[(DataRequest.Kind.CORRECTION, gettext_lazy("Correct my data")),
                 (DataRequest.Kind.DELETION, gettext_lazy("Delete my account and my data"))],
        error_messages={"required": gettext_lazy("Choose correction or deletion.")},
    )
    details = forms.CharField(
        label=gettext_lazy("Details (optional)"), required=False, max_length=2000,
        help_text=gettext_lazy("For a correction, say what is wrong and what is right."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )


def _signed_in_citizen(request: HttpRequest) -> User | None:
    return signed_in_citizen(request.user)


def _to_signin(request: HttpRequest) -> HttpResponse:
    return redirect(reverse("portal:account_signin"))


def _limited(request: HttpRequest, template: str, context: dict, seconds: int) -> HttpResponse:
    response = render(request, template, {**context, "limited": True, "wait_minutes": otp.wait_minutes(seconds)},
                      status=429)
    response["Retry-After"] = str(int(seconds))
    return response


# --- sign in / sign up ------------------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
def account_signin(request: HttpRequest) -> HttpResponse:
    if _signed_in_citizen(request):
        return redirect(reverse("portal:account"))
    if request.method == "GET":
        return render(request, "portal/account_signin.html", {"form": SignInForm()})
    form = SignInForm(request.POST)
    if not form.is_valid():
        return render(request, "portal/account_signin.html", {"form": form}, status=400)
    kind, contact = form.cleaned_data["kontak"]
    result = otp.issue_code(purpose=OTP_PURPOSE, target=contact, ip=client_ip(request))
    if result.limited:
        return _limited(request, "portal/account_signin.html", {"form": form}, result.retry_after)
    # Sent whether or not an account exists: the account is made when the code comes back.
    otp.send_code(channel="email" if kind == "email" else "sms", recipient=contact,
                  language=current_language(), code=result.code)
    request.session[SESSION_CONTACT] = contact
    return redirect(reverse("portal:account_code"))


@require_http_methods(["GET", "POST"])
def account_code(request: HttpRequest) -> HttpResponse:
    contact = request.session.get(SESSION_CONTACT)
    if not contact:
        return _to_signin(request)
    context = {"contact_kind": "email" if "@" in contact else "phone"}
    if request.method == "GET":
        return render(request, "portal/account_code.html", {**context, "form": AccountCodeForm()})
    form = AccountCodeForm(request.POST)
    if not form.is_valid():
        return render(request, "portal/account_code.html", {**context, "form": form}, status=400)
    check = otp.check_code(purpose=OTP_PURPOSE, target=contact, code=form.cleaned_data["kode_otp"],
                           ip=client_ip(request))
    if check.reason == "limited":
        return _limited(request, "portal/account_code.html", {**context, "form": form}, check.retry_after)
    if not check.ok:
        form.add_error("kode_otp", code_error_message(check))
        return render(request, "portal/account_code.html", {**context, "form": form}, status=400)
    is_email = "@" in contact
    user = citizen_get_or_create(email=contact if is_email else None, phone=None if is_email else contact,
                                 language=current_language())
    del request.session[SESSION_CONTACT]
    if user.is_staff or user.is_superuser or not user.is_active:
        # The person proved the address, so saying this reveals nothing they do not know.
        form.add_error(None, _("This address belongs to a staff or disabled account. Staff sign in at the "
                               "office workspace."))
        return render(request, "portal/account_code.html", {**context, "form": form}, status=403)
    proofs = request.session.get(otp.SESSION_KEY)
    login(request, user, backend=BACKEND)  # cycles the session key
    if proofs:
        request.session[otp.SESSION_KEY] = proofs  # keep the cases proven before signing in
    return redirect(reverse("portal:account"))


@require_POST
def account_signout(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect(reverse("portal:home"))


# --- the account pages ----------------------------------------------------------------------------------

def account(request: HttpRequest) -> HttpResponse:
    user = _signed_in_citizen(request)
    if user is None:
        return _to_signin(request)
    cases = [{"case": c, "status": status_label(c)} for c in cases_of_citizen(user, limit=200)]
    proven = cases_without_account(otp.proven_case_ids(request))
    return render(request, "portal/account.html", {
        "user_obj": user, "cases": cases, "linkable": proven, "saved": request.GET.get("disimpan") == "1",
    })


@require_POST
def account_link(request: HttpRequest) -> HttpResponse:
    user = _signed_in_citizen(request)
    if user is None:
        return _to_signin(request)
    case = case_by_code(request.POST.get("kode", ""))
    if case is not None and otp.is_proven(request, case):
        case_link_account(case=case, user=user)
    return redirect(reverse("portal:account") + "?disimpan=1")


@require_http_methods(["GET", "POST"])
def account_profile(request: HttpRequest) -> HttpResponse:
    user = _signed_in_citizen(request)
    if user is None:
        return _to_signin(request)
    initial = {"full_name": user.full_name, "preferred_language": user.preferred_language,
               "preferred_channel": user.preferred_channel, "user": user}
    if request.method == "GET":
        return render(request, "portal/account_profile.html", {"form": ProfileForm(initial=initial),
                                                                "user_obj": user})
    form = ProfileForm(request.POST, initial=initial)
    if not form.is_valid():
        return render(request, "portal/account_profile.html", {"form": form, "user_obj": user}, status=400)
    citizen_profile_update(user=user, full_name=form.cleaned_data["full_name"],
                           preferred_language=form.cleaned_data["preferred_language"],
                           preferred_channel=form.cleaned_data["preferred_channel"])
    return redirect(reverse("portal:account") + "?disimpan=1")


def personal_data(user: User) -> dict:
    """Everything we hold about the citizen that the portal can give back (UU 27/2022 art. 7: access
    and copy), as plain JSON-safe data: the profile and their own cases with their public timeline."""
    def iso(value):
        return value.isoformat() if value else None

    out_cases = []
    for case in cases_of_citizen(user, newest_first=False):
        view = case_view(case=case, viewer=None, as_citizen=True)
        out_cases.append({
            "tracking_code": case.tracking_code, "kind": case.kind, "status": case.status,
            "title": view.title, "description": view.description, "answers": view.answers,
            "submitted_at": iso(case.submitted_at), "closed_at": iso(case.closed_at),
            "agency": case.agency.short_name, "contact": view.contact,
            "location": {k: (str(v) if v is not None else None) for k, v in (view.location or {}).items()},
            "files": [{"name": a.original_name, "size": a.size, "uploaded_at": iso(a.created_at)}
                      for a in view.attachments],
            "timeline": [{"at": iso(e.at), "action": e.action, "status": e.to_status, "text": e.body}
                         for e in view.timeline],
        })
    return {
        "generated_at": timezone.now().isoformat(),
        "profile": {
            "full_name": user.full_name, "email": user.email, "phone": user.phone,
            "preferred_language": user.preferred_language, "preferred_channel": user.preferred_channel,
            "date_joined": iso(user.date_joined), "has_nik": bool(user.nik_encrypted),
        },
        "cases": out_cases,
        "data_requests": [{"kind": r.kind, "status": r.status, "requested_at": iso(r.requested_at),
                           "due_at": iso(r.due_at)} for r in data_requests_of(user)],
    }


def account_data(request: HttpRequest) -> HttpResponse:
    """The page explaining the download and the correction/deletion request."""
    user = _signed_in_citizen(request)
    if user is None:
        return _to_signin(request)
    return render(request, "portal/account_data.html", {"requests": recent_change_requests(user),
                                                         "form": DataRequestForm(),
                                                         "sent": request.GET.get("terkirim") == "1"})


@require_POST
def account_download(request: HttpRequest) -> HttpResponse:
    user = _signed_in_citizen(request)
    if user is None:
        return _to_signin(request)
    data = personal_data(user)
    data_request_create(user=user, kind=DataRequest.Kind.ACCESS, completed=True,
                        details="self-service download (portal)")
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2, default=str),
                            content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="data-saya-balai.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def account_request(request: HttpRequest) -> HttpResponse:
    user = _signed_in_citizen(request)
    if user is None:
        return _to_signin(request)
    form = DataRequestForm(request.POST)
    if not form.is_valid():
        return render(request, "portal/account_data.html", {"requests": recent_change_requests(user), "form": form},
                      status=400)
    data_request_create(user=user, kind=form.cleaned_data["kind"], details=form.cleaned_data["details"])
    return redirect(reverse("portal:account_data") + "?terkirim=1")
