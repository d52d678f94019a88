"""Walk EVERY URL of the site as four people who may see little, and fail on anything they may not see.

The URL patterns come from the root URLconf, walked recursively (portal, office, API, Open311, open data,
Django admin, webhooks): a URL added tomorrow is requested too, and a path parameter this walk cannot
fill fails `test_every_url_pattern_is_walked` until a candidate is added to `CANDIDATES`.

Path parameters are filled with real objects of one fixture world (agency A: a confidential complaint, an
anonymous complaint, a service request holding a NIK, their attachments; a public, verified complaint;
users), each URL with every candidate that resolves back to it. Each URL is requested with GET, and with
POST (a valid CSRF token, an empty form), as:

- `anonymous`: nobody signed in;
- `citizen`: a citizen signed in to the portal who owns none of the cases;
- `officer_b`: an operator of agency B with a verified second factor (and a staff API token);
- `admin_a`: agency A's administrator, signed in with the password only (second factor NOT verified).

It fails on any answer that reveals what that viewer may not see:
- a 5xx;
- a 2xx from a URL outside what the viewer may open (`PUBLIC_BY_DESIGN`, `SIGNED_IN`, the office's
  password-step pages; for `officer_b` also the staff pages that name no object): this is how a staff or
  admin page without the verified second factor, or another agency's case, is caught;
- a body or header carrying a tracking code that the request did not carry itself (a code is a
  capability, never listed);
- a body carrying the content (secret title/description markers) of agency A's non-public cases, or the
  identity (name, NIK, phone in any spelling, e-mail) of their reporters.

Every office download (attachment, counter receipt PDF) and the admin are staff surfaces here: each is
requested by the three viewers without a verified second factor and must not answer 2xx.
"""

from __future__ import annotations

import io
import itertools
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.urls.resolvers import LocalePrefixPattern, RegexPattern, RoutePattern
from django.utils import translation
from PIL import Image

from balai.api.open311.models import RequestToken
from balai.api.services import staff_token_create
from balai.people.services import membership_grant
from tests.cases.conftest import force_state, submit, world  # noqa: F401 - fixtures
from tests.factories import MembershipFactory, ServiceFactory, StaffFactory, UnitFactory, UserFactory
from tests.otp import verified_login
from tests.security.helpers import agency_admin, superuser

pytestmark = pytest.mark.django_db

VIEWERS = ("anonymous", "citizen", "officer_b", "admin_a")

# URL names anyone may open (2xx) without signing in. Each is public by design; what it shows is still
# checked below (no tracking code it was not given, no content or identity of a non-public case).
PUBLIC_BY_DESIGN = {
    # machine endpoints
    "healthz",  # liveness: "ok", nothing else
    "metrics",  # answers only loopback/allowed networks or a bearer token; 404 for everyone else
    "set_language",  # the language switch (redirect)
    "api-schema", "api-docs",  # the API's published description
    # the public REST API and Open311 (catalog, statistics; a case by its code for whoever holds it)
    "api:service-list", "api:service-detail", "api:category-list", "api:agency-list", "api:region-list",
    "api:statistics", "api:case-status",
    "open311:discovery", "open311:services", "open311:service", "open311:requests", "open311:request",
    "open311:token",  # GeoReport v2: the token a client got for its request resolves to the request's id
    # the development message page: demo mode only and loopback only (404 otherwise, ADR 0017)
    "channels:dev_messages", "channels:dev_messages_en",
    # how to report by SMS/WhatsApp: the number, the keywords and the poster (public information)
    "sms:page", "sms:poster", "sms:poster_pdf",
    # public performance figures and open data (aggregates and listable cases only, ADR 0016)
    "opendata:overview", "opendata:agency", "opendata:service", "opendata:ranking", "opendata:data",
    "opendata:catalog", "opendata:audit_head", "opendata:download", "opendata:dataset",
    # the portal: catalog, forms, static pages, public reports
    "portal:home", "portal:catalog", "portal:service", "portal:apply", "portal:apply_step",
    "portal:apply_contact", "portal:apply_needs", "portal:apply_check", "portal:complain",
    "portal:complain_place", "portal:complain_files", "portal:complain_privacy", "portal:complain_contact",
    "portal:complain_check", "portal:information", "portal:information_format", "portal:information_contact",
    "portal:information_check", "portal:agency", "portal:display", "portal:privacy", "portal:accessibility",
    "portal:contact", "portal:public_list", "portal:public_case",
    # the PPID's public pages: the register (approved items), decrees of their consequence tests, the archive
    # of answered requests (published entries without identity), the annual report
    "portal:register", "portal:register_item", "portal:register_item_text", "portal:test_decree",
    "portal:archive", "portal:archive_entry", "portal:archive_document",
    "opendata:ppid_report", "opendata:ppid_report_pdf", "opendata:ppid_report_csv",
    # e-mail subscription to serta-merta notices: the link in the mail is the capability, and a confirm or
    # stop page shows nothing but the button (an unknown token: "this link is not valid")
    "portal:subscribe", "portal:subscribe_confirm", "portal:subscribe_stop",
    # Diskominfo's public pages: the application registry (no planned applications, no personal data) and
    # the status page (ADR 0037)
    "portal:applications", "portal:application", "portal:publiccode", "portal:status",
    # tracking by code: the code is the capability; details and replies need a one-time code first
    "portal:track", "portal:track_case", "portal:track_send_code", "portal:track_verify",
    # services of other governments (ADR 0045): the request form, and a forwarded request by its random
    # reference (the provider's tracking code and status; no personal data is kept once forwarded)
    "portal:external_apply", "portal:external_request",
    # NOT here, although reached by code: the confirmation page (the sending session only), the receipt PDF
    # (the sending session, a citizen proven by one-time code, officers of the case with their VERIFIED
    # second factor), the citizen's files, replies and survey (proof needed). No walker holds any of that.
    "portal:account_signin", "portal:account_code",  # the citizen's sign-in
    # community participation: published processes, proposals, results, drafts, Musrenbang forums, and the
    # phone proof (supports, votes and comments need it; nothing personal is ever shown)
    "portal:participation", "portal:participation_phone", "portal:participation_code",
    "portal:participation_inclusion", "portal:participation_process", "portal:participation_proposals",
    "portal:participation_proposal_new", "portal:participation_proposal", "portal:participation_support",
    "portal:participation_photo",
    "portal:participation_vote", "portal:participation_results", "portal:participation_draft",
    "portal:participation_report", "portal:participation_report_pdf", "portal:participation_musrenbang",
    "portal:participation_forum", "portal:participation_minutes", "portal:participation_forum_csv",
    # the staff sign-in itself (office rule PUBLIC) and the admin's door to it (a redirect)
    "office:login", "office:logout", "admin:login", "admin:logout",
}
# Pages for anyone signed in to the portal (their own account only).
SIGNED_IN = {
    "portal:account", "portal:account_signout", "portal:account_profile", "portal:account_data",
    "portal:account_download", "portal:account_request", "portal:account_link",
}
# Staff pages that answer an officer of ANOTHER agency by design, with what the public sees of the case
# (balai/cases/visibility.py: "officer of another agency: what the public sees"; tests/api/test_privacy.py).
# The content checks below still apply to them.
OTHER_AGENCY_PUBLIC_VIEW = {"api:staff-case"}
# Parameters naming an object: a staff page that carries one shows that object, which belongs to agency A
# (or to someone else) in this world, so officer B must never get it.
OBJECT_PARAMS = {"code", "attachment_id", "pk", "object_id", "request_id", "token", "content_type_id"}

PNG_BUFFER = io.BytesIO()
Image.new("RGB", (2, 2), "red").save(PNG_BUFFER, "PNG")
PNG = PNG_BUFFER.getvalue()

NIK = "6472015508900001"  # a valid NIK (Samarinda, born 15-08-1990)
ANON_NIK = "6471021508850002"


@dataclass
class WalkWorld:
    codes: list[str]  # every tracking code: a capability, shown only to whoever sent it
    never: list[str]  # content and identity of agency A's non-public cases: shown to none of the walkers
    candidates: dict[str, list[str]]  # path parameter -> real values
    logins: dict[str, Any]  # viewer -> user (None: nobody signed in)
    staff_key: str  # officer B's staff API token
    case_id: str  # an object of another app for "view on site"
    # capabilities that stand for a code: a request carrying one may see that code (Open311 tokens)
    aliases: dict[str, str] = field(default_factory=dict)


def _phone_spellings(e164: str) -> list[str]:
    local = "0" + e164[3:]
    return [e164, e164[1:], local, f"{local[:4]}-{local[4:8]}-{local[8:]}", local[4:8] + "-" + local[8:]]


@pytest.fixture
def walk_world(world, submit, settings, tmp_path):  # noqa: F811
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "uploads"), "base_url": None}}}
    # Per-address limits (look-ups, sign-in lockout) would answer 429 after a few requests: a cache of the
    # test's own, emptied before each request, so every URL is really answered.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "walk"}}

    nik_service = ServiceFactory(agency=world.agency, unit=world.unit, code="surat-walk", form_definition=[
        {"name": "nomor_induk", "type": "nik", "label": {"id": "NIK", "en": "NIK"}, "required": True}])
    confidential = submit(
        "complaint", confidentiality="confidential", title="RAHASIA-KONF-JUDUL",
        description="RAHASIA-KONF-ISI di kantor", contact_name="Wulan Kerahasiaan",
        contact_phone="0813-5111-2233", contact_email="wulan.rahasia@contoh.id",
        files=[SimpleUploadedFile("foto-konf.png", PNG)])
    reporter = UserFactory(full_name="Rahmat Tersembunyi", phone="+6281349990011", email="rahmat.anon@contoh.id")
    from balai.people.nik import set_user_nik

    set_user_nik(reporter, ANON_NIK)
    anonymous = submit(
        "complaint", confidentiality="anonymous", citizen=reporter, title="RAHASIA-ANON-JUDUL",
        description="RAHASIA-ANON-ISI: saya Rahmat Tersembunyi, HP 0813-4999-0011, NIK " + ANON_NIK,
        contact_name="Rahmat Tersembunyi", contact_phone="0813-4999-0011", contact_email="rahmat.anon@contoh.id",
        files=[SimpleUploadedFile("KTP_Rahmat.png", PNG)])
    # a service request (its title and status are what whoever holds its code sees): NIK and contact secret
    nik_request = submit("service_request", service=nik_service, title="Surat keterangan kerja",
                         description="Untuk melamar kerja", answers={"nomor_induk": NIK},
                         contact_name="Yuni Pemohon", contact_phone="0813-7222-3344")
    public = submit("complaint", title="Jalan berlubang umum", description="Lubang di jalan umum",
                    contact_name="Budi Terbuka", contact_phone="0812-5000-0002")
    from django.utils import timezone

    force_state(public, "verified", verified_at=timezone.now())

    # The viewers: a citizen owning nothing; officer of agency B (verified second factor, a staff API
    # token); agency A's administrator (password only).
    citizen = UserFactory(full_name="Warga Biasa", phone="+6281250009999", email="warga.biasa@contoh.id")
    unit_b = UnitFactory()
    officer_b = StaffFactory(full_name="Petugas Instansi B")
    MembershipFactory(user=officer_b, unit=unit_b, role="operator")
    membership_grant(user=officer_b, unit=unit_b, role="head")  # head of unit B too: more pages open
    _token, staff_key = staff_token_create(user=officer_b, name="walk", via="test")
    admin_a = agency_admin(unit=world.unit)
    superuser()  # an account the admin's user pages are walked with

    never = ["RAHASIA-KONF", "RAHASIA-ANON", "Wulan Kerahasiaan", "wulan.rahasia@contoh.id",
             "Rahmat Tersembunyi", "rahmat.anon@contoh.id", "KTP_Rahmat", NIK, ANON_NIK, "Yuni Pemohon",
             "6472 0155", "6471 0215"]
    for phone in ("+6281351112233", "+6281349990011", "+6281372223344"):
        never += _phone_spellings(phone)
    attachments = [str(a.pk) for c in (confidential, anonymous) for a in c.attachments.all()]
    cases = (confidential, anonymous, nik_request, public)
    codes = [c.tracking_code for c in cases]
    # the Open311 token a client got when it sent the anonymous case: resolves to that case's code
    open311_token = RequestToken.objects.create(token=secrets.token_urlsafe(16), case=anonymous).token
    from balai.catalog.models import ExternalRequest, ExternalService

    elsewhere = ExternalService.objects.create(
        code="ktp-el-walk", name_id="KTP elektronik", provider_id="Disdukcapil Kutai Kartanegara",
        url="https://disdukcapil.example.org/", open311_url="https://balai.example.org/open311/v2/",
        open311_service_code="ktp_baru")
    forwarded = ExternalRequest.objects.create(reference="LR-WALKA-WALKB", service=elsewhere, status="sent",
                                               remote_id="KK-0001-WALK")
    candidates = {
        # a tracking code (each case), or a service's code (portal, open data, REST API)
        "code": codes + [nik_service.code, elsewhere.code],
        "reference": [forwarded.reference, "LR-NOSUC-HTHIN"],
        "code_slug": [nik_service.code, world.service.code],
        "attachment_id": attachments,
        # a case's public id (/laporan/<pk>/); next to a {code}, an attachment (/lacak/<code>/berkas/<pk>/)
        "pk": [str(public.pk), str(confidential.pk)],
        "pk_with_code": attachments,
        # Open311: a case's public id (digits), or a tracking code
        "request_id": [str(public.pk), str(confidential.pk), anonymous.tracking_code],
        "step": ["1", "2"],
        # PPID: a released document of an archived request, an annual report's year
        "doc": ["1"],
        "page": ["1"],  # a page of such a document (the redaction preview, staff only)
        "year": ["2025", "2026"],
        "slug": [world.agency.slug, unit_b.agency.slug, "kasus-publik", "kinerja-layanan"],
        "fmt": ["json", "xml", "csv"],
        "action": ["citizen_reply", "accept", "dispute"],
        "token": [open311_token, "walk-unknown-token"],
        # Django admin: "view on site" of a case; app labels and object ids come from the admin itself
        "content_type_id": [str(ContentType.objects.get_for_model(type(confidential)).pk)],
        "url": ["no-such-page/"],
    }
    return WalkWorld(codes=codes, never=never, candidates=candidates, staff_key=staff_key,
                     case_id=str(confidential.pk), aliases={open311_token: anonymous.tracking_code},
                     logins={"anonymous": None, "citizen": citizen, "officer_b": officer_b, "admin_a": admin_a})


# --- the URL patterns ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    template: str  # "/kantor/berkas/{code}/": literal text and {param} holes
    name: str  # namespace-qualified URL name ("" when unnamed)
    callback: Any
    choices: tuple[tuple[str, tuple[str, ...]], ...]  # param -> alternatives written in a regex

    @property
    def params(self) -> list[str]:
        return re.findall(r"\{(\w+)\}", self.template)


_ROUTE_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


def _regex_template(regex: str) -> tuple[str, dict[str, tuple[str, ...]]]:
    """A RegexPattern's text as a template: named groups become holes; literal alternatives are kept."""
    out, choices, i = [], {}, 0
    regex = regex.lstrip("^").rstrip("$").replace("\\Z", "")
    while i < len(regex):
        if regex.startswith("(?P<", i):
            name = regex[i + 4:regex.index(">", i)]
            depth, j = 0, i
            while True:  # the group's end, nested groups included
                if regex[j] == "\\":
                    j += 2
                    continue
                depth += {"(": 1, ")": -1}.get(regex[j], 0)
                if depth == 0:
                    break
                j += 1
            body = regex[regex.index(">", i) + 1:j]
            if re.fullmatch(r"[\w-]+(\|[\w-]+)*", body):
                choices[name] = tuple(body.split("|"))
            out.append("{" + name + "}")
            i = j + 1
        elif regex.startswith(".*", i):
            i += 2
        elif regex[i] == "\\":
            out.append(regex[i + 1])
            i += 2
        else:
            out.append(regex[i])
            i += 1
    return "".join(out), choices


def _template(pattern: Any) -> tuple[str, dict[str, tuple[str, ...]]]:
    if isinstance(pattern, RoutePattern):
        # `<slug:code>` is a service's code (portal, open data); `<str:code>` a tracking code (or, in the
        # REST API's catalog, a service's code): the hole is named after both, "{code}" and "{code_slug}"
        return _ROUTE_PARAM.sub(lambda m: "{" + m.group(2) + ("_slug" if m.group(1) == "slug" and
                                                              m.group(2) == "code" else "") + "}", str(pattern)), {}
    if isinstance(pattern, LocalePrefixPattern):
        return pattern.language_prefix, {}
    if isinstance(pattern, RegexPattern):
        return _regex_template(str(pattern))
    raise AssertionError(f"unknown URL pattern kind {type(pattern).__name__}: teach the walk about it")


def url_patterns(resolver: Any = None, prefix: str = "/", namespace: str = "",
                 choices: dict | None = None) -> Iterator[Pattern]:
    """Every endpoint of the URLconf (recursively through includes), as a template."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        text, found = _template(entry.pattern)
        merged = {**(choices or {}), **found}
        if isinstance(entry, URLResolver):
            ns = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else (entry.namespace or namespace)
            yield from url_patterns(entry, prefix + text, ns, merged)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else (entry.name or "")
            yield Pattern(prefix + text, name, entry.callback, tuple(sorted(merged.items())))


def _admin_model(pattern: Pattern) -> Any:
    """The model an admin URL is about (/admin/people/user/{id}/password/ -> User), or None."""
    from django.contrib import admin

    for model in admin.site._registry:
        if pattern.template.startswith(f"/admin/{model._meta.app_label}/{model._meta.model_name}/"):
            return model
    return None


def _candidates(pattern: Pattern, ww: WalkWorld) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    written = dict(pattern.choices)
    model = _admin_model(pattern)
    for param in pattern.params:
        if param in written:
            values[param] = list(written[param])
        elif param in ("object_id", "id") and model is not None:
            # an object of the admin page's model (accounts: the superuser's, the most tempting one)
            rows = model._default_manager.order_by("-is_superuser" if model is type(ww.logins["citizen"]) else "pk")
            first = rows.values_list("pk", flat=True).first()
            values[param] = [str(first if first is not None else 1)]
        elif param == "object_id":
            values[param] = [ww.case_id]
        else:
            assert param in ww.candidates, (
                f"{pattern.template}: no candidate for the path parameter {param!r}; add real objects to "
                "`candidates` in tests/security/test_url_walk.py")
            values[param] = ww.candidates[param]
    for param in {"pk", "attachment_id"} & set(values):
        if "code" in values:
            # an object inside a case: each attachment under each tracking code (its own and another's)
            values["code"], values[param] = ww.codes, ww.candidates["pk_with_code"]
    return values


def instances(pattern: Pattern, ww: WalkWorld) -> list[str]:
    """The concrete paths of a pattern that resolve back to it, one per combination of candidates."""
    values = _candidates(pattern, ww)
    params = pattern.params
    paths = []
    for combo in itertools.product(*(values[p] for p in params)) if params else [()]:
        path = pattern.template.format(**dict(zip(params, combo, strict=True)))
        try:
            match = resolve(path)
        except Resolver404:
            continue
        if match.func is pattern.callback and (not pattern.name or match.view_name == pattern.name):
            paths.append(path)
    return paths


# --- who may see what ----------------------------------------------------------------------------------


def _office_level(pattern: Pattern) -> str:
    rule = getattr(pattern.callback, "office_rule", None)
    return rule.level if rule is not None else ""


def is_staff_surface(pattern: Pattern) -> bool:
    """Needs a verified second factor: office pages of level STAFF, every admin page but its sign-in and
    sign-out doors, the staff API."""
    if pattern.name.startswith("admin:"):
        return pattern.name not in ("admin:login", "admin:logout")
    if pattern.name.startswith("api:staff-"):
        return True
    return _office_level(pattern) == "staff"


def may_open(viewer: str, pattern: Pattern) -> bool:
    """May `viewer` get a 2xx from this URL (with the objects of this world)?"""
    if pattern.name in PUBLIC_BY_DESIGN:
        return True
    if viewer == "anonymous":
        return False
    if pattern.name in SIGNED_IN:
        return True
    if _office_level(pattern) == "password":  # the second-factor step itself
        return True
    if viewer == "officer_b" and is_staff_surface(pattern):
        # verified staff of agency B: pages naming no object (queues, own settings, admin index); every
        # object of this world belongs to agency A or to someone else
        return pattern.name in OTHER_AGENCY_PUBLIC_VIEW or not (set(pattern.params) & OBJECT_PARAMS)
    return False


def _client(ww: WalkWorld, viewer: str) -> Client:
    client = Client(enforce_csrf_checks=True)
    user = ww.logins[viewer]
    if viewer == "officer_b":
        verified_login(client, user)
    elif user is not None:
        client.force_login(user)  # admin_a: the password step only
    client.cookies["csrftoken"] = "w" * 32  # a valid CSRF token, sent back in the header of each POST
    return client


# Admin pages POSTed to as well as read: the account pages (finding 1: flags, passwords) and the sign-in.
# The other admin pages' GET and POST pass the same `has_permission` gate; GET is enough to walk them.
ADMIN_POSTS = ("admin:people_user_add", "admin:people_user_change", "admin:auth_user_password_change",
               "admin:password_change", "admin:login")


def _post_meaningful(pattern: Pattern) -> bool:
    return not pattern.name.startswith("admin:") or pattern.name in ADMIN_POSTS


def problems(viewer: str, pattern: Pattern, method: str, path: str, response: Any, ww: WalkWorld) -> list[str]:
    where = f"{viewer} {method} {path} ({pattern.name or 'unnamed'}) -> {response.status_code}"
    found = []
    if response.status_code >= 500:
        found.append(f"{where}: server error")
    if 200 <= response.status_code < 300 and not may_open(viewer, pattern):
        found.append(f"{where}: answered although this viewer may not open it")
    streaming = getattr(response, "streaming", False)
    body = b"".join(response.streaming_content) if streaming else response.content
    text = body.decode("utf-8", "replace") + "\n" + "\n".join(f"{k}: {v}" for k, v in response.items())
    carried = {code for code in ww.codes if code in path}
    carried |= {code for alias, code in ww.aliases.items() if alias in path}
    for code in ww.codes:
        if code in text and code not in carried:
            found.append(f"{where}: shows the tracking code {code} it was not given")
    for secret in ww.never:
        if secret in text:
            found.append(f"{where}: shows {secret!r} (content or identity of a non-public case)")
    return found


def walk(ww: WalkWorld, patterns: list[Pattern], viewers=VIEWERS) -> tuple[list[str], int]:
    with translation.override(settings.LANGUAGE_CODE):  # paths without the /en/ prefix resolve in Indonesian
        targets = [(pattern, path) for pattern in patterns for path in instances(pattern, ww)]
    assert {p for p, _path in targets} == set(patterns), "a URL pattern got no concrete path"
    found, requests = [], 0
    for viewer in viewers:
        client = _client(ww, viewer)
        for pattern, path in targets:
            for method in ("GET", "POST") if _post_meaningful(pattern) else ("GET",):
                cache.clear()
                extra = {"REMOTE_ADDR": "198.51.100.7"}
                if viewer == "officer_b" and path.startswith("/api/v1/staff/"):
                    extra["HTTP_AUTHORIZATION"] = f"Bearer {ww.staff_key}"
                if method == "GET":
                    response = client.get(path, **extra)
                else:
                    response = client.post(path, {}, HTTP_X_CSRFTOKEN="w" * 32, **extra)
                requests += 1
                found += problems(viewer, pattern, method, path, response, ww)
                cookie = response.cookies.get(settings.SESSION_COOKIE_NAME)
                if cookie is not None and not cookie.value:  # the request ended the session: sign in again
                    client = _client(ww, viewer)
    return found, requests


# --- the tests -----------------------------------------------------------------------------------------


def test_every_url_pattern_is_walked(walk_world):
    """Each endpoint gets at least one concrete path (a new URL with an unknown parameter fails here)."""
    patterns = list(url_patterns())
    assert len(patterns) > 100  # portal, office, API, Open311, open data, admin, webhooks
    with translation.override(settings.LANGUAGE_CODE):
        unwalked = [p.template for p in patterns if not instances(p, walk_world)]
    assert unwalked == []
    names = {p.name for p in patterns}
    assert {"office:attachment", "office:counter_receipt", "portal:receipt", "admin:index", "channels:sms",
            "open311:requests", "api:staff-case", "opendata:download"} <= names
    assert PUBLIC_BY_DESIGN | SIGNED_IN <= names, "an allow-listed URL name no longer exists"


def test_no_url_reveals_what_its_viewer_may_not_see(walk_world):
    found, requests = walk(walk_world, list(url_patterns()))
    assert requests > 400
    assert found == [], "\n".join(found)


def test_staff_downloads_need_the_verified_second_factor(walk_world):
    """Every download an officer gets (a case's attachment, the counter receipt PDF, the portal's receipt
    PDF of a case of their agency): never 2xx for a viewer without a verified second factor, agency A's
    own administrator included, whatever object they name; the same administrator WITH the second factor
    gets the files (the walk's objects are real)."""
    names = ("office:attachment", "office:counter_receipt", "portal:receipt")
    downloads = [p for p in url_patterns() if p.name in names]
    assert sorted(p.name for p in downloads) == sorted(names)
    assert all(is_staff_surface(p) for p in downloads if p.name.startswith("office:"))
    unverified = ("anonymous", "citizen", "admin_a")
    for viewer in unverified:
        assert not any(may_open(viewer, p) for p in downloads)
    found, requests = walk(walk_world, downloads, viewers=unverified)
    assert requests >= 3 * 3 * 2 and found == []

    client = verified_login(Client(), walk_world.logins["admin_a"])  # the positive control
    code, attachment = walk_world.codes[0], walk_world.candidates["attachment_id"][0]
    attachment_response = client.get(f"/kantor/berkas/{code}/lampiran/{attachment}/")
    assert attachment_response.status_code == 200
    receipt = client.get(f"/lacak/{code}/tanda-terima.pdf")
    assert receipt.status_code == 200 and receipt.content.startswith(b"%PDF")


def test_the_walk_catches_a_missing_second_factor_check(walk_world, monkeypatch):
    """The walk's teeth: with the office's rule check disabled (as if a view lost its decorator), the walk
    reports staff pages and downloads answered to viewers without a verified second factor."""
    from balai.office import rules

    monkeypatch.setattr(rules, "_enforce", lambda rule, request: None)
    targets = [p for p in url_patterns() if p.name in ("office:queue", "office:agency_members")]
    found, _requests = walk(walk_world, targets, viewers=("admin_a",))
    assert any("office:queue" in f and "answered although" in f for f in found)
    assert any("office:agency_members" in f and "answered although" in f for f in found)


def test_the_walk_catches_a_missing_object_check(walk_world, monkeypatch):
    """The walk's teeth, object level: if the case page's rule let officers of another agency in (as if
    `case_for_viewer` lost its check), the walk reports agency A's cases answered to officer B. (Attachments
    stay refused even then: `attachment_response` asks `case_view` again.)"""
    from balai.office import rules

    monkeypatch.setattr(rules, "CASE_VIEW_KINDS", rules.CASE_VIEW_KINDS | {"other_agency"})
    targets = [p for p in url_patterns() if p.name == "office:case"]
    found, _requests = walk(walk_world, targets, viewers=("officer_b",))
    assert any("office:case" in f and "answered although" in f for f in found)
