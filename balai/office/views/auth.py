"""Sign-in: password, then the second factor (TOTP or a backup code); enrolment; sign-out."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from balai.office import auth
from balai.office.forms.auth import EnrolForm, LoginForm, TokenForm
from balai.office.rules import (
    MARKER_COOKIE,
    SEEN_KEY,
    idle_limit_seconds,
    is_verified,
    is_workspace_member,
    office_view,
)

BACKUP_SESSION_KEY = "office_new_backup_codes"
MARKER_MAX_AGE = 7 * 24 * 3600


# Where a staff sign-in may lead: the workspace and the Django admin (which signs in here), in any language.
_STAFF_PATH = re.compile(r"^(/[a-z]{2}(-[a-z]+)?)?/(kantor|admin)/")


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    office_root = reverse("office:queue")
    if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()},
                                                     require_https=request.is_secure()):
        if _STAFF_PATH.match(urlsplit(candidate).path) and not urlsplit(candidate).netloc:
            return candidate
    return office_root


def _with_next(url: str, request: HttpRequest) -> str:
    from django.utils.http import urlencode

    nxt = _next_url(request)
    return f"{url}?{urlencode({'next': nxt})}" if nxt != reverse("office:queue") else url


@sensitive_post_parameters("password")
@office_view("office:login")
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and is_verified(request.user) and is_workspace_member(request.user):
        return redirect(_next_url(request))
    timed_out = request.GET.get("reason") == "timeout" or (
        not request.user.is_authenticated and request.COOKIES.get(MARKER_COOKIE) == "1")
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(request, username=form.cleaned_data["username"], password=form.cleaned_data["password"])
        if user is None:
            form.add_error(None, _("The e-mail address or phone number and password do not match. Check them and "
                                   "try again."))
        elif not is_workspace_member(user):
            form.add_error(None, _("This account has no access to the staff workspace. Ask your agency's "
                                   "administrator to add you to a unit."))
        else:
            login(request, user)
            request.session[SEEN_KEY] = None
            target = "office:otp" if auth.has_second_factor(user) else "office:otp_enrol"
            return redirect(_with_next(reverse(target), request))
        timed_out = False
    response = render(request, "office/login.html", {
        "form": form, "next": _next_url(request), "timed_out": timed_out,
        "idle_minutes": idle_limit_seconds() // 60,
    })
    if timed_out and request.COOKIES.get(MARKER_COOKIE):
        response.delete_cookie(MARKER_COOKIE)
    return response


def _signed_in(request: HttpRequest, device) -> HttpResponse:
    otp_login(request, device)
    auth.forget_failures(request, request.user)
    request.session.pop(SEEN_KEY, None)
    response = redirect(_next_url(request))
    response.set_cookie(MARKER_COOKIE, "1", max_age=MARKER_MAX_AGE, httponly=True, samesite="Lax",
                        secure=request.is_secure())
    return response


def _locked_out(request: HttpRequest, user) -> HttpResponse:
    """Locked: the half-finished sign-in ends, and the blocked page says for how long."""
    response = auth.lockout_response(request, user)
    logout(request)
    return response


def _require_member(request: HttpRequest) -> None:
    if not is_workspace_member(request.user):
        raise PermissionDenied


@office_view("office:otp")
def otp_view(request: HttpRequest) -> HttpResponse:
    _require_member(request)
    user = request.user
    if is_verified(user):
        return redirect(_next_url(request))
    if not auth.has_second_factor(user):
        return redirect(_with_next(reverse("office:otp_enrol"), request))
    if request.method == "POST" and auth.is_locked_out(request, user):
        return _locked_out(request, user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = auth.verify_second_factor(user, form.cleaned_data["token"])
        if device is not None:
            if device.name == auth.BACKUP_DEVICE_NAME:
                left = auth.remaining_backup_codes(user)
                messages.warning(request, _("You used a backup code. %(left)d backup codes are left.") % {"left": left})
            return _signed_in(request, device)
        # A wrong code counts like a wrong password, so guessing codes ends in the same lockout.
        if auth.record_failure(request, user):
            return _locked_out(request, user)
        form.add_error("token", _("This code is not right. Type the code your app shows now, or a backup code."))
    return render(request, "office/otp.html", {"form": form, "next": _next_url(request)})


@office_view("office:otp_enrol")
def otp_enrol_view(request: HttpRequest) -> HttpResponse:
    _require_member(request)
    user = request.user
    if auth.has_second_factor(user):
        return redirect(_with_next(reverse("office:otp"), request))
    if request.method == "POST" and auth.is_locked_out(request, user):
        return _locked_out(request, user)
    device = auth.pending_totp(user)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if auth.confirm_enrolment(device=device, token=form.cleaned_data["token"]):
            request.session[BACKUP_SESSION_KEY] = auth.new_backup_codes(user)
            response = _signed_in(request, device)
            response["Location"] = reverse("office:backup_codes")
            return response
        form.add_error("token", _("This code is not right. Check that the time on your phone is correct and "
                                  "type the code the app shows now."))
    secret = auth.base32_secret(device)
    return render(request, "office/otp_enrol.html", {
        "form": form, "qr_svg": auth.qr_svg(device), "secret": auth.grouped(secret), "issuer": auth.issuer(),
        "account": user.get_username(), "next": _next_url(request),
    })


@office_view("office:backup_codes")
def backup_codes_view(request: HttpRequest) -> HttpResponse:
    codes = request.session.pop(BACKUP_SESSION_KEY, None)
    if request.method == "POST":
        codes = auth.new_backup_codes(request.user)
        messages.success(request, _("New backup codes were made. The old ones no longer work."))
    return render(request, "office/otp_backup_codes.html", {
        "codes": codes, "remaining": auth.remaining_backup_codes(request.user),
    })


@require_POST
@office_view("office:logout")
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("You are signed out."))
    response = redirect("office:login")
    response.delete_cookie(MARKER_COOKIE)
    return response
