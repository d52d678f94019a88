"""Who is calling the API: a client application (key `blk_…`) or a staff member (token `bst_…`).

Keys travel in `Authorization: Bearer <key>` or `X-Api-Key: <key>`; Open311 also sends `api_key` as a
form or query parameter (`key_from_request(..., allow_param=True)`). Both kinds are stored only as a
SHA-256 hash (`balai.people.services.hash_api_key`, ADR 0012) and compared in constant time.

Plain Django views (Open311) call `authenticate_client` / `client_has_scope`; DRF views use the
authentication and permission classes below. A key that looks like ours but is wrong, revoked or
expired is refused with 401 — never silently treated as anonymous.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions, permissions

from balai.api.models import StaffToken
from balai.api.selectors import staff_token_for_key
from balai.api.services import STAFF_TOKEN_PREFIX, staff_token_create, staff_token_revoke, staff_token_touch  # noqa: F401 - re-exported
from balai.people.models import ClientApplication
from balai.people.services import (
    CLIENT_KEY_PREFIX,
    CLIENT_SCOPES,
    client_application_for_key,
)

SCOPES = CLIENT_SCOPES
HEADER = "HTTP_X_API_KEY"


class InvalidKey(Exception):
    """A key was given but it is unknown, revoked or expired."""


def key_from_request(request: HttpRequest, *, allow_param: bool = False) -> str:
    """The key the request carries ("" when none): Bearer header, X-Api-Key, or (Open311) `api_key`."""
    auth = request.META.get("HTTP_AUTHORIZATION", "")
    if auth[:7].lower() == "bearer ":
        return auth[7:].strip()
    if request.META.get(HEADER):
        return request.META[HEADER].strip()
    if allow_param:
        value = request.POST.get("api_key") if request.method == "POST" else None
        return (value or request.GET.get("api_key") or "").strip()
    return ""


def key_kind(key: str) -> str:
    """"client", "staff" or "" from the key's first part."""
    head = key.split("_", 1)[0]
    return {CLIENT_KEY_PREFIX: "client", STAFF_TOKEN_PREFIX: "staff"}.get(head, "")


def authenticate_client(request: HttpRequest, *, allow_param: bool = False) -> ClientApplication | None:
    """The client application whose key the request carries; None without a key.

    Raises `InvalidKey` for a key that is present but not a valid active client key.
    """
    key = key_from_request(request, allow_param=allow_param)
    if not key:
        return None
    client = client_application_for_key(key) if key_kind(key) == "client" else None
    if client is None:
        raise InvalidKey(key[:12])
    return client


def client_has_scope(client: ClientApplication | None, scope: str) -> bool:
    """Whether `client` was granted `scope` (one of `SCOPES`)."""
    return client is not None and client.is_active and scope in (client.scopes or [])


# --- staff tokens --------------------------------------------------------------------------------


# --- DRF --------------------------------------------------------------------------------------


def _failed() -> exceptions.AuthenticationFailed:
    return exceptions.AuthenticationFailed(_("The API key is not valid, or it has been revoked."))


class ClientKeyAuthentication(authentication.BaseAuthentication):
    """`request.auth` = the ClientApplication; `request.user` stays anonymous.

    A key of no known kind is refused here too (401), rather than being ignored.
    """

    def authenticate(self, request):
        key = key_from_request(request._request)
        if not key or key_kind(key) == "staff":
            return None
        if key_kind(key) != "client":
            raise _failed()
        client = client_application_for_key(key)
        if client is None:
            raise _failed()
        return AnonymousUser(), client

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


class StaffTokenAuthentication(authentication.BaseAuthentication):
    """`request.user` = the staff member, `request.auth` = the StaffToken."""

    def authenticate(self, request):
        key = key_from_request(request._request)
        if not key or key_kind(key) != "staff":
            return None
        token = staff_token_for_key(key)
        if token is None:
            raise _failed()
        # Last use is useful to spot forgotten tokens; write it at most once a minute.
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            staff_token_touch(token=token, at=now)
        return token.user, token

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


AUTHENTICATION_CLASSES = [ClientKeyAuthentication, StaffTokenAuthentication]


def request_client(request) -> ClientApplication | None:
    return request.auth if isinstance(request.auth, ClientApplication) else None


def request_staff_token(request) -> StaffToken | None:
    return request.auth if isinstance(request.auth, StaffToken) else None


class ScopePermission(permissions.BasePermission):
    """The view's `required_scope`.

    With `client_required = True` a client key is needed (submissions); otherwise anonymous callers and
    staff tokens may read, and a client key must hold the scope (a key limited to submitting cannot read).
    """

    message = _("This API key is not allowed to do this.")

    def has_permission(self, request, view) -> bool:
        scope = getattr(view, "required_scope", "")
        client = request_client(request)
        if getattr(view, "client_required", False):
            if client is None:
                self.message = _("A client application key is required.")
                raise exceptions.NotAuthenticated(self.message)
            return client_has_scope(client, scope)
        if client is not None and scope:
            return client_has_scope(client, scope)
        return True


class StaffTokenRequired(permissions.BasePermission):
    """Staff endpoints: a staff token; what it may do is decided per case by the engine."""

    message = _("A staff API token is required.")

    def has_permission(self, request, view) -> bool:
        if request_staff_token(request) is None:
            raise exceptions.NotAuthenticated(self.message)
        return True
