"""Demo step: one staff user per role, a superuser and two citizens.

The passwords are PUBLIC demo passwords (`demo-<role>-2026`), listed in the README; demo mode only.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import Permission

from balai.agencies.models import Unit
from balai.people.models import User
from balai.people.nik import set_user_nik
from balai.people.services import membership_grant, user_set_access, user_set_django_permissions

VIA = "command:load_demo"

DOMAIN = "demo.balai.id"

# (role, full name, agency slug, unit slug): the documented demo accounts (README "Demo logins"), each at
# its first unit with its role.
STAFF: tuple[tuple[str, str, str, str], ...] = (
    ("operator", "Rina Oktaviani", "dpmptsp", "perizinan"),
    ("verifier", "Andi Pratama", "dpmptsp", "perizinan"),
    ("head", "Nurul Hidayah", "dpmptsp", "pimpinan"),
    ("counter", "Yusuf Maulana", "dpmptsp", "loket"),
    ("ppid", "Dewi Lestari", "diskominfo", "ppid"),
    ("ppid_main", "Ratna Sari", "diskominfo", "ppid"),
    ("ict_agent", "Fajar Ramadhan", "diskominfo", "aptika"),
    ("inspector", "Hendra Wijaya", "inspektorat", "irban-investigasi"),
    ("admin", "Sri Wahyuni", "diskominfo", "sekretariat"),
)
# Further roles of the documented accounts, so that each has real work it can carry to closure:
# (login, role, agency slug, unit slug).
EXTRA_ROLES: tuple[tuple[str, str, str, str], ...] = (
    # DPMPTSP's complaints (licences, investment) go to its Bidang Pengaduan.
    ("operator", "operator", "dpmptsp", "pengaduan"),
    ("verifier", "verifier", "dpmptsp", "pengaduan"),
    # Complaints about government websites and apps land in Bidang Aplikasi Informatika; ICT requests
    # also in Bidang Infrastruktur TIK (with its data centre) and Bidang Persandian.
    ("ict_agent", "verifier", "diskominfo", "aptika"),
    ("ict_agent", "ict_agent", "diskominfo", "tik"),
    ("ict_agent", "ict_agent", "diskominfo", "persandian"),
    # Reports of corruption and illegal fees go to the Inspectorate's investigations unit.
    ("inspector", "verifier", "inspektorat", "irban-investigasi"),
)
# Every agency without a documented head gets its head (at the root of its unit tree) and a PPID officer
# (information requests to the agency), so that no case lands where nobody can act:
# kepala.<agency>@ and ppid.<agency>@, passwords demo-head-2026 / demo-ppid-2026 (README).
AGENCY_HEAD_NAMES = ("Ahmad Fauzi", "Bambang Sutrisno", "Citra Dewi", "Dedi Kurniawan", "Eka Putri", "Fitri Handayani",
                     "Gunawan Saputra", "Hasanah Rahmawati", "Irfan Hakim", "Joko Susilo", "Kartika Sari",
                     "Lukman Hakim", "Maya Anggraini", "Novi Wulandari", "Oki Setiawan", "Putu Ayu", "Rudi Hartono")
SUPERUSER = ("superadmin", "Administrator Balai")
# (login name, full name, phone, NIK (valid demo numbers: Samarinda woman born 12-05-1990, Balikpapan man
# born 15-08-1985), preferred channel)
CITIZENS: tuple[tuple[str, str, str, str, str], ...] = (
    ("warga1", "Siti Aminah", "+6281250000001", "6472015205900001", "sms"),
    ("warga2", "Budi Santoso", "+6281250000002", "6471021508850002", "whatsapp"),
)
# Django admin permissions of the demo administrator (the superuser has all of them anyway).
ADMIN_APPS = ("agencies", "catalog", "people", "worktime")


def password_for(role: str) -> str:
    return f"demo-{role}-2026"


def email_for(login: str) -> str:
    return f"{login}@{DOMAIN}"


def _user(login: str, full_name: str, *, password: str, **fields) -> User:
    email = email_for(login)
    user = User.objects.filter(email=email).first() or User(email=email)
    user.full_name = full_name
    for name, value in fields.items():
        setattr(user, name, value)
    user.set_password(password)
    user.full_clean(validate_unique=False)
    user.save()
    return user


def _grant(user: User, unit: Unit, role: str) -> None:
    membership_grant(user=user, unit=unit, role=role, via=VIA)


def _set_nik(user: User, nik: str) -> None:
    set_user_nik(user, nik)


def load(*, log: Callable[[str], None]) -> None:
    accounts: dict[str, User] = {}
    for role, name, agency_slug, unit_slug in STAFF:
        user = accounts[role] = _user(role, name, password=password_for(role))  # made staff by the audited grant below
        _grant(user, Unit.objects.get(agency__slug=agency_slug, slug=unit_slug), role)
        if role == "admin":  # through the audited service (recorded the first time only)
            user_set_django_permissions(actor=None, user=user, groups=[], via=VIA, permissions=list(
                Permission.objects.filter(content_type__app_label__in=ADMIN_APPS)))
        log(f"  staff {email_for(role)} ({role})")
    for login, role, agency_slug, unit_slug in EXTRA_ROLES:
        _grant(accounts[login], Unit.objects.get(agency__slug=agency_slug, slug=unit_slug), role)
    _agency_staff(log=log)
    login, name = SUPERUSER
    user_set_access(actor=None, user=_user(login, name, password=password_for("superuser")), is_staff=True,
                    is_superuser=True, via=VIA)
    log(f"  superuser {email_for(login)}")
    for login, name, phone, nik, channel in CITIZENS:
        user = _user(login, name, password=password_for("warga"), phone=phone, preferred_channel=channel)
        _set_nik(user, nik)
        log(f"  citizen {email_for(login)}")


def _agency_staff(*, log: Callable[[str], None]) -> None:
    from balai.agencies.models import Agency

    headed = {agency for role, _n, agency, unit in STAFF if role == "head" and unit == "pimpinan"}
    documented_ppid = {agency for role, _n, agency, _u in STAFF if role == "ppid"}
    for number, agency in enumerate(Agency.objects.filter(is_active=True).order_by("slug")):
        root = Unit.objects.filter(agency=agency, kind=Unit.Kind.LEADERSHIP).order_by("id").first()
        if root is None:
            continue
        name = AGENCY_HEAD_NAMES[number % len(AGENCY_HEAD_NAMES)]
        if agency.slug not in headed:
            head = _user(f"kepala.{agency.slug}", name, password=password_for("head"), is_staff=True)
            _grant(head, root, "head")
        if agency.slug not in documented_ppid:
            ppid = _user(f"ppid.{agency.slug}", f"PPID {agency.short_name}", password=password_for("ppid"),
                         is_staff=True)
            _grant(ppid, root, "ppid")
    log("  heads and PPID officers of every agency")
