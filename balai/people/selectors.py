"""Reads on people used by the faces (admin, /kantor/)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from django.db import connections, router
from django.db.models import Q, QuerySet

from balai.people.models import DataRequest, Membership, Role, User
from balai.people.permissions import agencies_for, units_for

ACCESS_FLAGS = ("is_active", "is_staff", "is_superuser")


def signed_in_citizen(user: object) -> User | None:
    """The citizen a signed-in session belongs to, or None: nobody signed in, or staff, who on the portal act
    for someone else (or as citizens through another account), so nothing is tied to or prefilled from their
    own account. The one rule every portal page asks (`request.user` is passed as it is)."""
    if isinstance(user, User) and user.is_authenticated and not user.is_staff:
        return user
    return None


def second_factor_verified(user: object) -> bool:
    """Signed in AND verified by a second factor in this session (django-otp's middleware gives the user
    `is_verified`): what every staff surface asks for, the admin and the staff downloads included (ADR 0015)."""
    check = getattr(user, "is_verified", None)
    return bool(getattr(user, "is_authenticated", False) and callable(check) and check())


def staff_members() -> QuerySet[User]:
    return User.objects.filter(is_staff=True)


def user_access_flags(user: User) -> dict[str, bool]:
    """The account's stored flags (not what an unsaved form put on the instance)."""
    row = User.objects.filter(pk=user.pk).values(*ACCESS_FLAGS).first()
    return row or dict.fromkeys(ACCESS_FLAGS, False)


def active_memberships_of_agency(agency_id: int) -> QuerySet[Membership]:
    """The roles held in an agency, for its administration page (unit, then name, then role)."""
    return (Membership.objects.filter(unit__agency_id=agency_id, is_active=True)
            .select_related("user", "unit").order_by("unit__name_id", "user__full_name", "role"))


def second_factor_resettable(actor: User | None, users: Iterable[User]) -> set[int]:
    """Ids of ``users`` whose second factor ``actor`` may reset: a superuser (or a command, None) anyone's;
    an agency's administrator a member of their own agencies only: not a superuser, not themselves, and
    every active role of the member inside the agencies they administer (no reaching into another agency's
    staff). Two queries whatever the number of users."""
    users = list(users)
    if actor is None or (actor.is_active and actor.is_superuser):
        return {user.pk for user in users}
    managed = set(agencies_for(actor, roles=[Role.ADMIN]).values_list("pk", flat=True))
    held: dict[int, set[int]] = {}
    for user_id, agency_id in Membership.objects.filter(
            user__in=[user.pk for user in users], is_active=True).values_list("user_id", "unit__agency_id"):
        held.setdefault(user_id, set()).add(agency_id)
    return {user.pk for user in users
            if not user.is_superuser and user.pk != actor.pk and held.get(user.pk) and held[user.pk] <= managed}


def superuser_ids() -> set[int]:
    return set(User.objects.filter(is_superuser=True).values_list("pk", flat=True))


def superusers_except(ids: set[int]) -> list[User]:
    return list(User.objects.filter(is_superuser=True).exclude(pk__in=ids))


def data_requests_of(user: User) -> list[DataRequest]:
    """Every data subject request of `user`, oldest first (their copy of their own data lists them)."""
    return list(user.data_requests.order_by("requested_at"))


def recent_change_requests(user: User, *, limit: int = 10) -> list[DataRequest]:
    """The latest correction and deletion requests of `user`, newest first (downloads are left out)."""
    return list(user.data_requests.exclude(kind=DataRequest.Kind.ACCESS).order_by("-requested_at")[:limit])


def citizen_accounts(*, phone: str = "", email: str = "", limit: int = 2) -> list[User]:
    """Active citizen (non-staff) accounts with this phone number (E.164) or e-mail address (any case), at
    most `limit`. A message from a phone or an address joins an account only when exactly one matches."""
    if phone:  # unique: one account at most
        found = citizen_by_phone(phone)
        return [found] if found is not None and limit > 0 else []
    if not email:
        return []
    return list(User.objects.filter(is_active=True, is_staff=False, email__iexact=email)[:limit])


@cache
def _citizen_by_phone_sql(alias: str) -> str:
    quote = connections[alias].ops.quote_name
    column = {field.name: quote(field.column) for field in User._meta.concrete_fields if field.column}
    table, pk, phone, active, staff = (quote(User._meta.db_table), column["id"], column["phone"],
                                       column["is_active"], column["is_staff"])
    return f"SELECT {pk} FROM {table} WHERE {phone} = %s AND {active} = %s AND {staff} = %s"  # noqa: S608 # nosec B608 # model names, placeholders


def citizen_by_phone(phone: str) -> User | None:
    """The active citizen (non-staff) account with this phone number (E.164; the column is unique), or None.
    Every SMS report asks, and most senders have no account: that answer is one plain statement built once
    per process (no queryset to compile); only a match reads the account."""
    if not phone:
        return None
    alias = router.db_for_read(User)
    with connections[alias].cursor() as cursor:
        cursor.execute(_citizen_by_phone_sql(alias), [phone, True, False])
        found = cursor.fetchall()
    if len(found) != 1:
        return None
    return User.objects.using(alias).filter(pk=found[0][0], is_active=True, is_staff=False).first()


def active_user(pk: int | str | None) -> User | None:
    """The active account `pk`, or None (an assignee chosen by id)."""
    if pk in (None, ""):
        return None
    try:
        return User.objects.filter(pk=int(pk), is_active=True).first()
    except (TypeError, ValueError):
        return None


def assignee_choices(*, unit_id: int | None, agency_id: int | None) -> list[tuple[int, str]]:
    """Officers holding an active role in the unit (or, without one, the agency), once each, by name: the
    assign form's choices."""
    qs = Membership.objects.filter(is_active=True, user__is_active=True).select_related("user")
    qs = qs.filter(unit=unit_id) if unit_id else qs.filter(unit__agency=agency_id)
    seen: dict[int, str] = {}
    for m in qs.order_by("user__full_name", "user_id"):
        if m.user_id not in seen:
            seen[m.user_id] = f"{m.user.full_name or m.user.get_username()} ({m.get_role_display()})"
    return list(seen.items())


def user_by_pk(pk: int | str | None) -> User | None:
    """The account `pk` (active or not: the engine explains an inactive assignee), or None."""
    return User.objects.filter(pk=int(pk)).first() if pk is not None and str(pk).isdigit() else None


def officers_of_units(user: User) -> list[tuple[int, str]]:
    """(id, name) of the active officers holding a role in `user`'s units, once each, by name."""
    qs = (Membership.objects.filter(is_active=True, user__is_active=True, unit__in=units_for(user))
          .select_related("user").order_by("user__full_name", "user_id"))
    seen: dict[int, str] = {}
    for m in qs:
        seen.setdefault(m.user_id, m.user.full_name or m.user.get_username())
    return list(seen.items())


def staff_to_alert(*, governments: list[int], assignees: Iterable[int], opted_out: Iterable[int],
                   done: Iterable[int], limit: int) -> list[User]:
    """Active staff with an e-mail address and an active membership in one of `governments` who are a head or
    an inspector there, or whose id is among `assignees`; not in `opted_out` nor `done` (subqueries of user
    ids), by id, at most `limit` (the daily digest's recipients)."""
    members = Membership.objects.filter(is_active=True, unit__is_active=True, unit__agency__is_active=True,
                                        unit__agency__government_id__in=governments)
    qs = (User.objects.filter(is_active=True, is_staff=True, email__isnull=False, pk__in=members.values("user_id"))
          .exclude(email="")
          .filter(Q(pk__in=members.filter(role__in=[Role.HEAD, Role.INSPECTOR]).values("user_id"))
                  | Q(pk__in=assignees))
          .exclude(pk__in=opted_out)
          .exclude(pk__in=done))
    return list(qs.order_by("pk")[:limit])
