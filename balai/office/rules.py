"""Who may open which page of the staff workspace: ONE declaration per URL name (docs/architecture.md, permissions).

Every office view is wrapped by `office_view("<url name>")`, which looks the rule up here (a view
without a rule fails at import) and enforces it before the view runs:

- `PUBLIC`: anyone (sign-in page).
- `PASSWORD`: signed in with the password, second factor still to come (OTP and enrolment pages).
- `STAFF`: password AND a verified second factor (django-otp), `is_staff`, at least one active
  membership (or a superuser), and a session that has not been idle longer than SESSION_COOKIE_AGE.
- `permission`: additionally `has_permission(user, permission)` "anywhere" (menus, role pages); the
  object is checked again by the view.
- `object_rule`: documents the object-level check the view performs (`case_for_viewer` for "case.view").

tests/office/test_permission_matrix.py walks the URL configuration and fails on any `/kantor/` URL
without a rule here. To add a page: add a line to RULES and decorate the view with `office_view(name)`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from balai.people.permissions import Rule, has_permission, register_rules, units_for
from balai.people.selectors import second_factor_verified

PUBLIC = "public"
PASSWORD = "password"  # noqa: S105 # nosec B105 # a level name, not a secret
STAFF = "staff"
LEVELS = (PUBLIC, PASSWORD, STAFF)

# The session key holding the time of the last staff request (inactivity sign-out).
SEEN_KEY = "office_seen"
# A long-lived cookie saying "this browser had a staff session": lets the sign-in page explain an
# inactivity sign-out even after the session cookie itself has expired.
MARKER_COOKIE = "balai_kantor"


@dataclass(frozen=True)
class OfficeRule:
    level: str
    permission: str = ""  # has_permission(user, permission) anywhere
    object_rule: str = ""  # the object-level rule the view enforces (documentation + tests)

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise ImproperlyConfigured(f"Unknown office rule level {self.level!r}")


# Office-wide actions of the workspace's role pages (roles from balai.people.models.Role).
register_rules(
    {
        "office.counter": Rule(frozenset({"counter"}), "any"),
        "office.head": Rule(frozenset({"head"}), "any"),
        "office.inspectorate": Rule(frozenset({"inspector"}), "government"),
        # the application registry is kept by Diskominfo's ICT agents (docs/regulations.md §13)
        "ict.manage_registry": Rule(frozenset({"ict_agent"}), "any"),
    }
)

RULES: dict[str, OfficeRule] = {
    # sign-in (office A)
    "office:login": OfficeRule(PUBLIC),
    "office:logout": OfficeRule(PUBLIC),
    "office:otp": OfficeRule(PASSWORD),
    "office:otp_enrol": OfficeRule(PASSWORD),
    "office:backup_codes": OfficeRule(STAFF),
    "office:digest_settings": OfficeRule(STAFF),  # the signed-in person's own setting only
    # queues and the case page (office A)
    "office:queue": OfficeRule(STAFF),
    "office:my_queue": OfficeRule(STAFF),
    "office:case": OfficeRule(STAFF, object_rule="case.view"),
    "office:attachment": OfficeRule(STAFF, object_rule="case.attachment"),
    "office:case_public": OfficeRule(STAFF, object_rule="case.verify"),
    # office B adds its pages below (counter, bulk, head, inspectorate, agency administration)
    "office:counter": OfficeRule(STAFF, permission="office.counter"),
    "office:counter_done": OfficeRule(STAFF, permission="office.counter", object_rule="case.registered_by"),
    "office:counter_receipt": OfficeRule(STAFF, permission="office.counter", object_rule="case.registered_by"),
    "office:bulk": OfficeRule(STAFF, object_rule="case.<action> per case (engine)"),
    "office:head": OfficeRule(STAFF, permission="office.head"),
    "office:inspectorate": OfficeRule(STAFF, permission="office.inspectorate"),
    "office:agency_admin": OfficeRule(STAFF, permission="agency.manage_units", object_rule="agency.manage_units"),
    "office:agency_members": OfficeRule(STAFF, permission="agency.manage_members",
                                        object_rule="agency.manage_members"),
    "office:agency_canned": OfficeRule(STAFF, permission="agency.manage_units", object_rule="agency.manage_units"),
    # community participation
    "office:participation": OfficeRule(STAFF, permission="participation.staff"),
    "office:participation_new": OfficeRule(STAFF, permission="participation.edit",
                                           object_rule="participation.edit (the owner agency chosen)"),
    "office:participation_edit": OfficeRule(STAFF, permission="participation.edit",
                                            object_rule="participation.edit"),
    "office:participation_process": OfficeRule(STAFF, permission="participation.staff",
                                               object_rule="participation.manage"),
    "office:participation_paper": OfficeRule(STAFF, permission="participation.staff",
                                             object_rule="participation.record"),
    "office:participation_moderation": OfficeRule(STAFF, permission="participation.staff",
                                                  object_rule="participation.manage"),
    "office:participation_forum": OfficeRule(STAFF, permission="participation.staff",
                                             object_rule="participation.record"),
    # PPID (balai.ppid.rules): officers of an agency propose, the main PPID approves
    "office:ppid": OfficeRule(STAFF, permission="ppid.item.propose"),
    "office:ppid_propose": OfficeRule(STAFF, permission="ppid.item.propose", object_rule="ppid.item.propose"),
    "office:ppid_item": OfficeRule(STAFF, permission="ppid.item.propose",
                                   object_rule="ppid.item.propose / ppid.item.approve"),
    "office:ppid_tests": OfficeRule(STAFF, permission="ppid.test.decide", object_rule="ppid.test.decide"),
    "office:ppid_test_pdf": OfficeRule(STAFF, permission="ppid.test.decide", object_rule="ppid.test.decide"),
    "office:ppid_archive": OfficeRule(STAFF, permission="ppid.archive.confirm"),
    "office:ppid_archive_entry": OfficeRule(STAFF, permission="ppid.archive.confirm", object_rule="ppid.archive.confirm"),
    "office:ppid_archive_redact": OfficeRule(STAFF, permission="ppid.archive.confirm", object_rule="ppid.archive.confirm"),
    "office:ppid_archive_page": OfficeRule(STAFF, permission="ppid.archive.confirm", object_rule="ppid.archive.confirm"),
    "office:ppid_objections": OfficeRule(STAFF, permission="ppid.objection.register",
                                         object_rule="ppid.objection.register"),
    "office:ppid_objection": OfficeRule(STAFF, object_rule="ppid.objection.register / ppid.objection.decide"),
    "office:ppid_reports": OfficeRule(STAFF, permission="ppid.report.annotate", object_rule="ppid.report.annotate"),
    # the ICT desk: every staff member of every agency; a request only to its requester and the approver
    "office:ict_desk": OfficeRule(STAFF),
    "office:ict_service": OfficeRule(STAFF, object_rule="ict.requester_agencies"),
    "office:ict_request": OfficeRule(STAFF, object_rule="ict.requester or head of the requesting agency"),
    "office:ict_notices": OfficeRule(STAFF, permission="ict.manage_registry"),
    "office:applications": OfficeRule(STAFF),
    "office:application": OfficeRule(STAFF),
    "office:application_clusters": OfficeRule(STAFF),
    "office:application_new": OfficeRule(STAFF, permission="ict.manage_registry"),
    "office:application_edit": OfficeRule(STAFF, permission="ict.manage_registry"),
}


def rule_for(name: str) -> OfficeRule:
    try:
        return RULES[name]
    except KeyError as exc:
        raise ImproperlyConfigured(f"No office rule declared for URL name {name!r} in balai/office/rules.py") from exc


# --- checks ---------------------------------------------------------------------------------------


def is_workspace_member(user: Any) -> bool:
    """Staff flag and at least one active membership (superusers: the flag is enough)."""
    if not (getattr(user, "is_authenticated", False) and user.is_active and user.is_staff):
        return False
    return bool(user.is_superuser or units_for(user).exists())


def is_verified(user: Any) -> bool:
    return second_factor_verified(user)


def idle_limit_seconds() -> int:
    return int(settings.SESSION_COOKIE_AGE)


def _idle_too_long(request: HttpRequest) -> bool:
    seen = request.session.get(SEEN_KEY)
    now = int(time.time())
    if seen is not None and now - int(seen) > idle_limit_seconds():
        return True
    request.session[SEEN_KEY] = now
    return False


def login_url(request: HttpRequest, *, reason: str = "") -> str:
    params = {}
    nxt = request.get_full_path()
    if request.method == "GET" and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        params["next"] = nxt
    if reason:
        params["reason"] = reason
    url = reverse("office:login")
    return f"{url}?{urlencode(params)}" if params else url


def _enforce(rule: OfficeRule, request: HttpRequest) -> HttpResponse | None:
    """None when the request may go on, else the response to send (redirect) — or raise 403."""
    if rule.level == PUBLIC:
        return None
    user = request.user
    if not user.is_authenticated:
        return redirect(login_url(request))
    if rule.level == PASSWORD:
        return None
    if _idle_too_long(request):
        logout(request)
        return redirect(login_url(request, reason="timeout"))
    if not is_workspace_member(user):
        raise PermissionDenied
    if not is_verified(user):
        return redirect(reverse("office:otp") + "?" + urlencode({"next": request.get_full_path()}))
    if rule.permission and not has_permission(user, rule.permission):
        raise PermissionDenied
    return None


def office_view(name: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Decorate an office view with the rule declared for URL `name` (see the module docstring)."""
    rule = rule_for(name)

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            early = _enforce(rule, request)
            response = early if early is not None else view(request, *args, **kwargs)
            if rule.level != PUBLIC:
                # Staff pages hold personal data: never cached by the browser or a proxy.
                response.setdefault("Cache-Control", "private, no-store")
            return response

        wrapper.office_rule = rule  # type: ignore[attr-defined]
        wrapper.office_url_name = name  # type: ignore[attr-defined]
        return wrapper

    return decorate


class OfficeRuleMixin:
    """For class-based views: set `office_url_name`; the rule is enforced in `dispatch`."""

    office_url_name = ""

    @classmethod
    def as_view(cls, **initkwargs: Any):  # type: ignore[no-untyped-def]
        view = super().as_view(**initkwargs)  # type: ignore[misc]
        return office_view(cls.office_url_name)(view)


# --- object-level rules ---------------------------------------------------------------------------

# Viewer kinds (balai.cases.visibility) that may open a case in the workspace: the responsible agency,
# the inspectorate (and superusers), and an agency the case was forwarded from (content, no identity).
CASE_VIEW_KINDS = frozenset({"responsible", "inspector", "former_agency"})


def case_for_viewer(request: HttpRequest, code: str):  # -> (Case, CaseView)
    """Rule "case.view": the case and what this officer may see of it; 404 unknown, 403 not allowed."""
    from balai.cases.selectors import case_by_code
    from balai.cases.visibility import case_view

    case = case_by_code(code)
    if case is None:
        raise Http404
    view = case_view(case=case, viewer=request.user)
    if view.viewer_kind not in CASE_VIEW_KINDS:
        raise PermissionDenied
    return case, view
