"""Django admin behind the staff sign-in: the password AND a verified second factor (ADR 0015).

The admin has no sign-in form of its own. `/admin/login/` sends the browser to `/kantor/masuk/` (or, when
the password step is done, to the code page), keeping `next`, so the lockout, the second factor and the
inactivity rules of the staff workspace are the only way in. Every admin view checks `has_permission`,
which asks for an active staff account whose session was verified by an OTP device (django-otp's
`OTPAdminSite`); a session signed in with the password alone is treated like an anonymous one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.contrib import admin
from django.contrib.auth.models import Group
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django_otp.admin import OTPAdminSite

from balai.people.selectors import second_factor_verified as _verified

if TYPE_CHECKING:
    from balai.people.models import User


class BalaiAdminSite(OTPAdminSite):
    site_header = site_title = "Balai"  # a name; the rest of the admin is in Django's own catalogs

    def __init__(self, name: str = "admin") -> None:
        super().__init__(name)

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user.is_staff and _verified(user))

    def login(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        """No form here (a POSTed password is ignored): the staff sign-in, then back to `next`."""
        if request.method == "GET" and self.has_permission(request):
            return HttpResponseRedirect(reverse("admin:index", current_app=self.name))
        target = request.GET.get("next", "")
        if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = reverse("admin:index", current_app=self.name)
        half_signed_in = getattr(request.user, "is_authenticated", False) and not _verified(request.user)
        step = reverse("office:otp" if half_signed_in else "office:login")
        return HttpResponseRedirect(f"{step}?{urlencode({'next': target})}")


    def password_change(self, request: HttpRequest, extra_context: dict[str, object] | None = None) -> HttpResponseBase:
        """One's own password, through `user_set_password` (audited "user.password.change")."""
        from django.contrib.admin.forms import AdminPasswordChangeForm
        from django.contrib.auth.views import PasswordChangeView

        from balai.people.services import user_set_password

        actor = request.user

        class OwnPasswordForm(AdminPasswordChangeForm):
            def save(self, commit: bool = True):
                return user_set_password(actor=cast("User", actor), user=self.user, password=self.cleaned_data["new_password1"],
                                         via="admin")

        request.current_app = self.name
        return PasswordChangeView.as_view(
            form_class=OwnPasswordForm,
            success_url=reverse("admin:password_change_done", current_app=self.name),
            extra_context={**self.each_context(request), **(extra_context or {})},
            **({"template_name": self.password_change_template} if self.password_change_template else {}),
        )(request)


class SuperuserOnlyAdmin:
    """Mixin for admin pages that confer power over people or machines (accounts, flags, roles, keys,
    groups): superusers only, whatever Django model permissions a staff member was given (ADR 0015)."""

    def _superuser(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._superuser(request)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._superuser(request)

    def has_add_permission(self, request: HttpRequest, *args) -> bool:
        return self._superuser(request)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._superuser(request)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._superuser(request)


# A package admin's own refusals, kept when `lock_down` makes its page a superuser's.
_PERMISSIONS = ("has_add_permission", "has_change_permission", "has_delete_permission")


def lock_down(site: admin.AdminSite) -> None:
    """After every app registered its admin: second-factor devices are not edited as raw rows (reset them
    from the user's page, audited), and groups (bundles of model permissions), django-axes' sign-in attempts
    and lockouts (deleting one unlocks an account) and the task queue's results (every agency's jobs, their
    arguments and tracebacks) are superusers' only."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.auth.admin import GroupAdmin
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from django_tasks_db.models import DBTaskResult

    for model in (TOTPDevice, StaticDevice):
        if site.is_registered(model):
            site.unregister(model)
    if site.is_registered(Group):
        site.unregister(Group)
    site.register(Group, type("SuperuserGroupAdmin", (SuperuserOnlyAdmin, GroupAdmin), {}))
    for model in (AccessAttempt, AccessLog, AccessFailureLog, DBTaskResult):
        if site.is_registered(model):
            original = type(site.get_model_admin(model))
            site.unregister(model)
            # the package's own refusals (axes adds no row by hand, the queue's results are read-only) stay;
            # everything else is the superuser's
            kept = {name: getattr(original, name) for name in _PERMISSIONS if name in vars(original)}
            site.register(model, type(f"Superuser{original.__name__}", (SuperuserOnlyAdmin, original), kept))

