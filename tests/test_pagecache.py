"""The public pages' whole-page cache (balai/pagecache.py, ADR 0044): every cached page is served again,
changes right after what it shows changes, and signed-in visitors, sessions and form pages never get a
cached page. Runs on SQLite and PostgreSQL like the rest of the suite (the cache is a database table)."""

from __future__ import annotations

import logging
import re

import pytest
from django.test import Client, RequestFactory

from balai import pagecache
from tests.opendata.conftest import build_opendata_world
from tests.portal.flows_b_data import act, submit

pytestmark = pytest.mark.django_db

TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')


@pytest.fixture
def world():
    return build_opendata_world()


def html(response) -> bytes:
    """The page without its CSRF token (a fresh one on every answer)."""
    return TOKEN.sub(b"", response.content)


def public_pages(world) -> list[str]:
    code = world["service"].code
    case = world["public_cases"][0]
    pages = ["/", "/layanan/", "/layanan/?q=sehat", f"/layanan/{code}/", "/instansi/dinkes/", "/kinerja/",
             "/kinerja/instansi/dinkes/", f"/kinerja/layanan/{code}/", "/kinerja/peringkat/",
             "/kinerja/peringkat/?urut=received", "/laporan/", "/laporan/?status=baru", f"/laporan/{case.pk}/",
             "/data/", "/data/kinerja-provinsi/", "/aplikasi/"]
    return pages + ["/en" + p for p in pages]


def prime(client: Client, paths: list[str]) -> dict[str, bytes]:
    """Fetch each page twice: the second answer comes from the cache."""
    before = {}
    for path in paths:
        first = client.get(path)
        assert first.status_code == 200, path
        second = client.get(path)
        assert second["X-Page-Cache"] == "hit", path
        before[path] = html(second)
    return before


def assert_changed(client: Client, before: dict[str, bytes], *, shows: str | None = None) -> None:
    for path, old in before.items():
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["X-Page-Cache"] == "miss", path  # rendered again, not the old page
        assert html(response) != old, path
        if shows is not None:
            assert shows in response.content.decode(), path


def kept_and_served_again(client: Client, path: str):
    """The first answer renders and is kept, the second is the kept page: the same HTML."""
    first = client.get(path)
    assert first.status_code == 200, path
    assert first["X-Page-Cache"] == "miss", path
    second = client.get(path)
    assert second["X-Page-Cache"] == "hit", path
    assert html(second) == html(first), path
    return second


def test_every_public_page_is_kept_and_served_again(client, world):
    for path in public_pages(world):
        second = kept_and_served_again(client, path)
        # The outer middleware still answer for every request: CSP, language, frames.
        assert "Content-Security-Policy" in second and second["X-Frame-Options"] == "DENY", path
        assert second["Content-Language"] == ("en" if path.startswith("/en/") else "id"), path
        assert b"nonce" not in second.content, path


def test_catalog_edit_changes_catalog_service_agency_and_home_pages(client, world):
    service = world["service"]
    code = service.code
    before = prime(client, ["/", "/layanan/", f"/layanan/{code}/", "/instansi/dinkes/", f"/kinerja/layanan/{code}/",
                            "/en/layanan/"])
    service.name_id = service.name_en = "Surat keterangan sehat baru"
    service.save()
    assert_changed(client, before, shows="Surat keterangan sehat baru")


def test_service_categories_change_the_catalog(client, world):
    from balai.catalog.models import ServiceCategory

    category = ServiceCategory.objects.create(name_id="Kesehatan umum", slug="kesehatan-umum")
    before = prime(client, ["/layanan/", "/layanan/?kategori=kesehatan-umum"])
    world["service"].categories.add(category)  # m2m: no save of the service
    assert_changed(client, before)


def test_agency_edit_changes_its_pages(client, world):
    agency = world["agency"]
    before = prime(client, ["/instansi/dinkes/", "/kinerja/instansi/dinkes/", "/laporan/"])
    agency.name_id = agency.name_en = "Dinas Kesehatan Provinsi Baru"
    agency.short_name = "Dinkes Baru"
    agency.save()
    assert_changed(client, before)


def test_a_new_case_reorders_the_home_pages_popular_services(client, world):
    from tests.factories import ServiceFactory

    other = ServiceFactory(agency=world["agency"], unit=world["unit"], name_id="Akta uji", name_en="Test deed",
                           is_published=True)
    before = prime(client, ["/"])
    page = before["/"].decode()
    assert page.index("Surat sehat") < page.index("Akta uji")  # 1 case against none
    for _ in range(2):
        submit(world, "service_request", service=other)
    response = client.get("/")
    page = response.content.decode()
    assert response["X-Page-Cache"] == "miss" and page.index("Akta uji") < page.index("Surat sehat")


def test_rollup_update_changes_the_performance_pages(client, world):
    from balai.transparency import rollup

    code = world["service"].code
    paths = ["/kinerja/", "/en/kinerja/", "/kinerja/instansi/dinkes/", f"/kinerja/layanan/{code}/",
             "/kinerja/peringkat/", "/data/kinerja-provinsi/"]
    before = prime(client, paths)
    assert re.search(r"Cases received</dt><dd>15<", before["/en/kinerja/"].decode())
    submit(world, "service_request")
    # Nothing moved in the roll-ups yet: the cached figures are still the roll-ups' figures.
    assert client.get("/en/kinerja/")["X-Page-Cache"] == "hit"
    rollup.update()
    assert_changed(client, before)
    assert re.search(r"Cases received</dt><dd>16<", client.get("/en/kinerja/").content.decode())


def test_verification_of_a_public_case_publishes_it_at_once(client, world):
    hidden = world["public_cases"][6]
    listed = world["public_cases"][0]
    before = prime(client, ["/laporan/", "/en/laporan/", "/laporan/?status=baru"])
    assert hidden.title.encode() not in before["/laporan/"]
    act(world, hidden, "verify", role="verifier")
    assert_changed(client, before, shows=hidden.title)
    assert client.get(f"/laporan/{hidden.pk}/").status_code == 200
    detail = prime(client, [f"/laporan/{listed.pk}/"])
    act(world, listed, "start", role="operator")  # its status and timeline on the public page
    assert_changed(client, detail)


def test_a_case_made_confidential_leaves_the_list(client, world):
    from balai.cases.models import Case
    from balai.cases.services import case_set_publication

    listed = world["public_cases"][0]
    before = prime(client, ["/laporan/", f"/laporan/{listed.pk}/"])
    case = Case.objects.get(pk=listed.pk)
    assert case_set_publication(case=case, public=False, channel="sms")  # the citizen withdraws consent
    assert listed.title.encode() not in html(client.get("/laporan/"))
    assert client.get(f"/laporan/{listed.pk}/").status_code == 404
    assert before


def test_open_data_page_follows_the_audit_chain_and_published_heads(client, world):
    from balai.audit.selectors import chain_head
    from balai.opendata.services import record_audit_head

    before = prime(client, ["/data/", "/en/data/"])
    submit(world, "service_request")  # writes an audit record
    count, _hash = chain_head()
    assert_changed(client, before, shows=f"<dd>{count}</dd>")
    before = prime(client, ["/data/"])
    record_audit_head()
    assert_changed(client, before)


def test_application_registry_follows_its_edits(client, world):
    from balai.ict.models import Application

    app = Application.objects.create(slug="simpeg-uji", name="SIMPEG Uji", agency=world["agency"],
                                     purpose="Data kepegawaian.", spbe_code="RAB.03.02", status="live")
    before = prime(client, ["/aplikasi/", "/aplikasi/simpeg-uji/", "/en/aplikasi/"])
    app.name = "SIMPEG Provinsi"
    app.save()
    assert_changed(client, before, shows="SIMPEG Provinsi")


def test_an_ict_service_made_public_shows_on_the_catalog_at_once(client, world):
    from balai.catalog.models import Service
    from balai.ict.models import ServiceProfile
    from tests.factories import ServiceFactory

    service = ServiceFactory(code="lapor-siber-uji", kind=Service.Kind.ICT, agency=world["agency"],
                             name_id="Lapor Insiden Siber Uji", name_en="Cyber incident test report")
    profile = ServiceProfile.objects.create(service=service, ticket=ServiceProfile.Ticket.SECURITY)
    before = prime(client, ["/layanan/", "/instansi/dinkes/", "/en/layanan/"])
    profile.public = True
    profile.save()
    assert_changed(client, before)
    assert "Lapor Insiden Siber Uji" in client.get("/layanan/").content.decode()
    assert client.get("/layanan/lapor-siber-uji/").status_code == 200


def test_an_agencies_only_ict_page_made_public_offers_the_form_at_once(client, world):
    from balai.catalog.models import Service
    from balai.ict.models import ServiceProfile
    from tests.factories import ServiceFactory

    service = ServiceFactory(code="lapor-siber-internal", kind=Service.Kind.ICT, agency=world["agency"],
                             name_id="Lapor Insiden Internal", name_en="Internal incident report")
    profile = ServiceProfile.objects.create(service=service, ticket=ServiceProfile.Ticket.SECURITY)
    before = prime(client, ["/layanan/lapor-siber-internal/"])  # the "for agencies' staff" page, kept
    assert "/layanan/lapor-siber-internal/ajukan/" not in client.get("/layanan/lapor-siber-internal/").content.decode()
    profile.public = True
    profile.save()
    assert_changed(client, before)
    assert "/layanan/lapor-siber-internal/ajukan/" in client.get("/layanan/lapor-siber-internal/").content.decode()


@pytest.mark.parametrize("slug", ["kasus-publik", "partisipasi-anggaran", "daftar-informasi"])
def test_dataset_pages_read_live_are_never_kept(client, world, slug):
    for _ in range(2):
        response = client.get(f"/data/{slug}/")  # says "last: <now>"
        assert response.status_code == 200 and "X-Page-Cache" not in response


def test_display_preferences_and_language_have_their_own_pages(client, world):
    prime(client, ["/"])
    client.cookies["balai_tampilan"] = "large.high"
    response = client.get("/")
    assert response["X-Page-Cache"] == "miss"
    assert 'class="text-large contrast-high"' in response.content.decode()
    assert client.get("/")["X-Page-Cache"] == "hit"
    client.cookies["balai_tampilan"] = "normal.normal"
    response = client.get("/")
    assert response["X-Page-Cache"] == "hit" and "text-large" not in response.content.decode()
    english = client.get("/en/")
    assert english["X-Page-Cache"] == "miss" and '<html lang="en"' in english.content.decode()


def test_signed_in_visitors_and_sessions_never_get_a_cached_page(client, world):
    from balai.catalog.models import Service

    service = world["service"]
    paths = ["/", "/layanan/", f"/layanan/{service.code}/"]
    prime(client, paths)
    # Changed without a signal: the anonymous cache does not know, which shows who is served from it.
    Service.objects.filter(pk=service.pk).update(name_id="Nama diam-diam")
    for path in paths:
        assert client.get(path)["X-Page-Cache"] == "hit"
        assert "Nama diam-diam" not in client.get(path).content.decode()
    staff = Client()
    staff.force_login(world["staff"]["operator"])
    visitor_with_session = Client()
    visitor_with_session.cookies["sessionid"] = "something"
    for other in (staff, visitor_with_session):
        for path in paths:
            response = other.get(path)
            assert "X-Page-Cache" not in response, path
            assert "Nama diam-diam" in response.content.decode(), path


def test_form_pages_and_errors_are_never_kept(client, world):
    code = world["service"].code
    for path in ("/tampilan/", "/lacak/", "/lapor/", "/informasi/", f"/layanan/{code}/ajukan/",
                 "/layanan/tidak-ada/", "/laporan/999999/", "/kinerja/instansi/tidak-ada/"):
        for _ in range(2):
            response = client.get(path)
            assert "X-Page-Cache" not in response, path


def test_a_cached_page_carries_a_fresh_working_csrf_token(world):
    browser = Client(enforce_csrf_checks=True)
    browser.get("/")
    tokens = []
    for _ in range(2):
        response = browser.get("/")
        assert response["X-Page-Cache"] == "hit"
        tokens.append(re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', response.content).group(1))
    assert tokens[0] != tokens[1] and all(len(t) == 64 for t in tokens)  # masked anew for every answer
    switched = browser.post("/i18n/setlang/", {"csrfmiddlewaretoken": tokens[1].decode(), "language": "en",
                                               "next": "/en/"})
    assert switched.status_code == 302
    # A visitor arriving on a cached page without a CSRF cookie gets one that matches the page's token.
    newcomer = Client(enforce_csrf_checks=True)
    response = newcomer.get("/")
    assert response["X-Page-Cache"] == "hit" and "csrftoken" in response.cookies
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', response.content).group(1).decode()
    assert newcomer.post("/i18n/setlang/", {"csrfmiddlewaretoken": token, "language": "en",
                                            "next": "/en/"}).status_code == 302


def test_answers_using_a_nonce_a_cookie_or_the_session_are_not_kept():
    from django.http import HttpResponse

    factory = RequestFactory()
    request = factory.get("/")
    assert pagecache._cacheable_response(request, HttpResponse("ok"))
    request._csp_nonce = "abc"
    assert not pagecache._cacheable_response(request, HttpResponse("ok"))
    request = factory.get("/")
    response = HttpResponse("ok")
    response.set_cookie("x", "1")
    assert not pagecache._cacheable_response(request, response)
    assert not pagecache._cacheable_response(request, HttpResponse("gone", status=404))
    response = HttpResponse("ok")
    response["Cache-Control"] = "private"
    assert not pagecache._cacheable_response(request, response)


def test_switched_off(client, world, settings):
    settings.BALAI_PAGE_CACHE_SECONDS = 0
    for _ in range(2):
        assert "X-Page-Cache" not in client.get("/")


def test_a_cache_that_fails_never_fails_the_page(client, world, monkeypatch):
    def broken():
        raise ConnectionError("cache down")

    monkeypatch.setattr(pagecache, "_cache", broken)
    for _ in range(2):
        response = client.get("/layanan/")
        assert response.status_code == 200 and "X-Page-Cache" not in response


# --- what submissions and the worker change: read from their own rows, never written to the cache ------


def test_a_submission_writes_nothing_to_the_page_cache(client, world):
    """The submission path does no write and no commit of its own for the page cache: the generations
    of what it changes are read from the rows it writes anyway (ADR 0044)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    prime(client, ["/", "/laporan/", "/data/"])
    with CaptureQueriesContext(connection) as queries:
        submit(world, "complaint")
        submit(world, "service_request")
    assert not [q["sql"] for q in queries.captured_queries if "page_cache" in q["sql"]]


@pytest.fixture
def elsewhere(monkeypatch):
    """Changes made by another process (a worker, the other web worker): this process is not told; it
    reads the generations again once `BALAI_PAGE_CACHE_RECHECK_SECONDS` have passed (`later()`)."""
    import time

    monkeypatch.setattr(pagecache, "forget_after_commit", lambda: None)
    offset = [0.0]
    monkeypatch.setattr(pagecache, "_now", lambda: time.monotonic() + offset[0])

    class Clock:
        @staticmethod
        def later() -> None:
            from django.conf import settings

            offset[0] += settings.BALAI_PAGE_CACHE_RECHECK_SECONDS + 0.01

    return Clock


def test_a_change_in_another_process_shows_within_the_recheck_time(client, world, elsewhere):
    hidden = world["public_cases"][6]
    before = prime(client, ["/laporan/", "/en/laporan/"])
    act(world, hidden, "verify", role="verifier")
    # The allowed staleness: until this process reads the generations again (1 s by default).
    assert client.get("/laporan/")["X-Page-Cache"] == "hit"
    elsewhere.later()
    assert_changed(client, before, shows=hidden.title)


def test_the_workers_queued_registration_and_rollup_job_change_the_pages(client, world, elsewhere):
    """The worker's steps, as the worker runs them (its periodic tasks), in a process that serves no
    page: the web process sees the new case and the new figures once it reads the generations again."""
    from balai.cases.intake import queue_submission
    from balai.cases.submission import Submission
    from balai.cases.tasks import register_queued_submissions
    from balai.people.services import client_application_create
    from balai.transparency.tasks import update_rollups

    app, _key = client_application_create(name="Sistem Kabupaten", scopes=["cases:submit"],
                                          rate_limit_per_minute=0, queued_intake=True)
    paths = ["/", "/en/kinerja/", "/kinerja/instansi/dinkes/", "/data/", "/data/kinerja-provinsi/"]
    before = prime(client, paths)
    queue_submission(Submission(client=app, kind="complaint", channel="api", title="Jalan berlubang",
                                complaint_category=world["category"], contact_phone="081250000001"))
    register_queued_submissions.call()
    elsewhere.later()
    home = client.get("/")
    assert home["X-Page-Cache"] == "miss"  # a new case: the popular services are read again
    assert client.get("/en/kinerja/")["X-Page-Cache"] == "hit"  # the roll-ups have not moved yet
    update_rollups.call()
    elsewhere.later()
    assert_changed(client, {p: v for p, v in before.items() if p != "/"})
    assert re.search(r"Cases received</dt><dd>16<", client.get("/en/kinerja/").content.decode())


def test_a_hit_reads_nothing_while_the_generations_are_recent(client, world, django_assert_num_queries):
    """The first layer: a page this process served, with generations read less than a second ago, is
    answered from memory without a query (the database cache's table is read once a second at most)."""
    prime(client, ["/layanan/"])
    with django_assert_num_queries(0):
        assert client.get("/layanan/")["X-Page-Cache"] == "hit"


def test_a_page_kept_in_memory_is_answered_before_the_url_is_resolved(client, world, monkeypatch, caplog):
    """The hot path skips URL resolving (a tenth of a hit); the request log still names the route."""
    from django.core.handlers.base import BaseHandler

    prime(client, ["/layanan/", "/en/kinerja/"])

    def no_resolving(self, request):
        raise AssertionError(f"{request.path} was resolved")

    monkeypatch.setattr(BaseHandler, "resolve_request", no_resolving)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="balai.request"):
        catalog, kinerja = client.get("/layanan/"), client.get("/en/kinerja/")
    assert catalog["X-Page-Cache"] == kinerja["X-Page-Cache"] == "hit"
    assert kinerja["Content-Language"] == "en" and "Content-Security-Policy" in catalog
    routes = [r.fields["route"] for r in caplog.records if r.name == "balai.request"]
    assert routes == ["portal:catalog", "opendata:overview"]


def test_the_fresh_csrf_token_unmasks_to_the_visitors_secret():
    from django.middleware.csrf import CSRF_ALLOWED_CHARS, _unmask_cipher_token

    request = RequestFactory().get("/")
    token = pagecache.csrf_token(request)  # a visitor without a CSRF cookie: a new secret, sent as the cookie
    assert len(token) == 64 and set(token) <= set(CSRF_ALLOWED_CHARS)
    assert _unmask_cipher_token(token) == request.META["CSRF_COOKIE"] and request.META["CSRF_COOKIE_NEEDS_UPDATE"]
    request = RequestFactory().get("/")
    request.META["CSRF_COOKIE"] = secret = "abcDEF0123" * 3 + "xy"
    tokens = {pagecache.csrf_token(request) for _ in range(20)}
    assert len(tokens) == 20 and {_unmask_cipher_token(t) for t in tokens} == {secret}


# --- PPID, participation and the SMS guide ----------------------------------------------------------------


@pytest.fixture
def civic(world):
    """A published register item and archive entry; a proposals process with a proposal, a budget whose
    results are published while voting is still open, a consultation with a published comment and report."""
    from balai.participation import services as participation
    from balai.participation.models import Proposal
    from balai.ppid.models import ArchiveEntry
    from balai.ppid.services import archive_confirm
    from tests.participation.world import process
    from tests.ppid.helpers import approved_item

    agency, place = world["agency"], world["district"]
    item = approved_item(agency, title="Laporan keuangan uji")
    request = submit(world, "information_request", title="Anggaran puskesmas",
                     description="Mohon rincian anggaran puskesmas 2025.")
    act(world, request, "answer", role="ppid", body="Rincian anggaran terlampir.")
    entry = ArchiveEntry.objects.get(case=request)
    archive_confirm(actor=None, entry=entry, publish=True, question=entry.question, answer=entry.answer)
    proposals = process(slug="usulan-uji", region=world["samarinda"], agency=agency)
    proposal = participation.proposal_submit(process=proposals, title="Lampu taman", description="Pasang lampu.",
                                             region=place, author_key="k-1")
    budget = process("budget", slug="anggaran-uji", phases=("voting",), region=world["samarinda"], agency=agency,
                     budget=1000, ballot_kind="knapsack")
    projects = [Proposal.objects.create(process=budget, code=code, title=f"Proyek {code}", description="…",
                                        region=place, feasible=True, cost=cost)
                for code, cost in (("AAAAA", 600), ("CCCCC", 300))]
    participation.results_publish(process=budget, actor=None)
    consultation = process("consultation", slug="rancangan-uji", region=world["samarinda"], agency=agency)
    draft = participation.draft_create(process=consultation, title="Rancangan Perda Air Bersih",
                                       sections=[("Umum", "Pasal 1."), ("Tarif", "Pasal 2.")])
    comment = participation.comment_submit(draft=draft, section=None, stance="agree", text="Setuju sekali.",
                                           person_key="k-2")
    participation.comment_moderate(comment=comment, publish=True, actor=None)
    participation.report_publish(draft=draft, introduction="Terima kasih atas masukan.", actor=None)
    return {"item": item, "entry": entry, "proposals": proposals, "proposal": proposal, "budget": budget,
            "projects": projects, "draft": draft}


def civic_pages(civic) -> list[str]:
    item, entry, proposal = civic["item"], civic["entry"], civic["proposal"]
    pages = ["/informasi/daftar/", "/informasi/daftar/?tahun=2026", f"/informasi/daftar/{item.pk}/",
             "/informasi/arsip/", f"/informasi/arsip/{entry.pk}/", "/partisipasi/", "/partisipasi/usulan-uji/",
             "/partisipasi/usulan-uji/usulan/", f"/partisipasi/usulan-uji/usulan/{proposal.code}/",
             "/partisipasi/anggaran-uji/hasil/", "/partisipasi/rancangan-uji/rancangan/",
             "/partisipasi/rancangan-uji/rancangan/laporan/", "/partisipasi/inklusi/", "/sms/", "/sms/poster/"]
    return pages + ["/en" + p for p in pages]


def test_ppid_participation_and_sms_pages_are_kept_and_served_again(client, civic):
    for path in civic_pages(civic):
        kept_and_served_again(client, path)
    for path in ("/partisipasi/usulan-uji/usulan/baru/", "/partisipasi/anggaran-uji/pilih/",
                 "/partisipasi/telepon/", "/informasi/langganan/"):
        for _ in range(2):
            assert "X-Page-Cache" not in client.get(path), path  # forms, or a redirect to prove a phone


def test_a_register_item_edit_changes_the_register_pages_at_once(client, world, civic):
    from balai.ppid.services import item_review, item_update

    item = civic["item"]
    before = prime(client, ["/informasi/daftar/", f"/informasi/daftar/{item.pk}/", "/en/informasi/daftar/"])
    item_update(actor=None, item=item, values={"title": "Laporan keuangan perubahan"})  # back to the main PPID
    assert client.get("/informasi/daftar/")["X-Page-Cache"] == "miss"
    assert client.get(f"/informasi/daftar/{item.pk}/").status_code == 404
    item_review(actor=None, item=item, approve=True)
    assert_changed(client, before, shows="Laporan keuangan perubahan")


def test_an_urgent_notice_shows_on_the_home_page_at_once(client, world, civic):
    from balai.ppid.services import announce

    before = prime(client, ["/", "/en/", f"/informasi/daftar/{civic['item'].pk}/"])
    announce(actor=None, item=civic["item"], notice="Banjir di Palaran: jalan ditutup")
    assert_changed(client, before, shows="Banjir di Palaran")


def test_a_published_answer_and_its_objection_change_the_archive_at_once(client, world, civic):
    from balai.ppid.models import ArchiveEntry
    from balai.ppid.services import archive_confirm

    entry = civic["entry"]
    before = prime(client, ["/informasi/arsip/", "/en/informasi/arsip/", "/informasi/arsip/?q=sekolah"])
    request = submit(world, "information_request", title="Data sekolah", description="Mohon daftar sekolah rusak.")
    # The citizen's request writes nothing the archive shows: still the kept pages.
    assert client.get("/informasi/arsip/")["X-Page-Cache"] == "hit"
    act(world, request, "answer", role="ppid", body="Daftar sekolah terlampir.")
    answered = ArchiveEntry.objects.get(case=request)
    archive_confirm(actor=None, entry=answered, publish=True, question=answered.question, answer=answered.answer)
    assert_changed(client, before, shows="sekolah rusak")
    detail = prime(client, [f"/informasi/arsip/{entry.pk}/"])
    archive_confirm(actor=None, entry=entry, publish=True, question=entry.question, answer="Rincian dikirim ulang.")
    assert_changed(client, detail, shows="Rincian dikirim ulang.")


def test_an_exemption_that_ends_changes_the_register_item_at_once(client, world, civic):
    from datetime import date, timedelta

    from django.utils import timezone

    from balai.ppid.services import ppid_sweep
    from tests.ppid.helpers import privacy_test

    item = civic["item"]
    privacy_test(world["agency"], item=item, until=date.today() + timedelta(days=1))
    item.category = "dikecualikan"  # listed with its consequence test
    item.save()
    before = prime(client, [f"/informasi/daftar/{item.pk}/", "/informasi/daftar/"])
    result = ppid_sweep(now=timezone.now() + timedelta(days=3))  # the worker's sweep opens it
    assert result.opened
    assert_changed(client, before)


def test_a_new_proposal_and_a_support_change_the_participation_pages_at_once(client, world, civic):
    from balai.participation import services as participation

    proposal = civic["proposal"]
    page = f"/partisipasi/usulan-uji/usulan/{proposal.code}/"
    before = prime(client, ["/partisipasi/usulan-uji/usulan/", "/en/partisipasi/usulan-uji/usulan/"])
    figures = prime(client, ["/partisipasi/inklusi/"])
    participation.proposal_submit(process=civic["proposals"], title="Taman bacaan", description="Buka taman.",
                                  region=world["district"], author_key="k-3", channel="sms")
    assert_changed(client, before, shows="Taman bacaan")
    assert_changed(client, figures)  # a first proposal by SMS: a new (suppressed) cell
    before = prime(client, [page, "/en" + page, "/partisipasi/usulan-uji/usulan/"])
    assert participation.proposal_support(proposal=proposal, person_key="k-4", channel="web").ok
    assert_changed(client, before)
    assert re.search(r"Supports</dt><dd>1<", client.get("/en" + page).content.decode())


def test_a_vote_changes_the_published_results_at_once(client, world, civic):
    from balai.participation import services as participation
    from balai.participation.keys import phone_key
    from tests.participation.world import NIKS, PHONES

    before = prime(client, ["/partisipasi/anggaran-uji/hasil/", "/en/partisipasi/anggaran-uji/hasil/",
                            "/partisipasi/inklusi/"])
    result = participation.ballot_cast(process=civic["budget"], nik=NIKS[0], codes=["CCCCC"], channel="web",
                                       verified_phone_key=phone_key(PHONES[0]))
    assert result.ok, result
    assert_changed(client, before)
    assert "1 ballot." in client.get("/en/partisipasi/anggaran-uji/hasil/").content.decode()


def test_staff_moderation_and_answers_change_the_participation_pages_at_once(client, world, civic):
    from balai.participation import services as participation

    draft, proposal = civic["draft"], civic["proposal"]
    pages = ["/partisipasi/rancangan-uji/rancangan/", "/partisipasi/rancangan-uji/rancangan/laporan/",
             "/en/partisipasi/rancangan-uji/rancangan/"]
    before = prime(client, pages)
    comment = participation.comment_submit(draft=draft, section=None, stance="disagree", text="Tarif terlalu mahal.",
                                           person_key="k-5")
    # Waiting for moderation: the page is rendered again (a new comment id) but shows nothing new.
    assert all(html(client.get(p)) == before[p] for p in pages)
    before = prime(client, pages)
    participation.comment_moderate(comment=comment, publish=True, actor=None)
    assert_changed(client, before)  # the draft shows the comment, the report its count
    assert "Tarif terlalu mahal." in client.get(pages[0]).content.decode()
    page = f"/partisipasi/usulan-uji/usulan/{proposal.code}/"
    before = prime(client, [page, "/partisipasi/usulan-uji/usulan/"])
    participation.proposal_set_status(proposal=proposal, status="answered", note="Masuk rencana 2027.", actor=None)
    assert_changed(client, before)
    assert "Masuk rencana 2027." in client.get(page).content.decode()


def test_a_new_day_opens_and_closes_the_phases_at_once(client, world, civic, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    before = prime(client, ["/partisipasi/", "/partisipasi/usulan-uji/",
                            f"/partisipasi/usulan-uji/usulan/{civic['proposal'].code}/"])
    today = timezone.localdate()
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today + timedelta(days=40))
    pagecache.GENERATIONS.forget()  # as the next recheck does, at most a second after midnight
    assert_changed(client, before)


def test_complaint_categories_change_the_sms_guide(client, world):
    category = world["category"]
    before = prime(client, ["/sms/", "/en/sms/", "/sms/poster/"])
    assert category.keyword.upper() in before["/sms/poster/"].decode()
    category.is_active = False
    category.save()
    assert_changed(client, before)
    assert category.keyword.upper() not in client.get("/sms/poster/").content.decode()


def test_citizens_proposals_supports_votes_and_comments_write_nothing_to_the_page_cache(client, world, civic):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from balai.cases.commands import CaseCommand
    from balai.cases.services import case_transition
    from balai.participation import services as participation
    from balai.ppid.models import Objection
    from tests.participation.world import NIKS, PHONES

    prime(client, civic_pages(civic)[:15])
    with CaptureQueriesContext(connection) as queries:
        # The requester objects to the archived answer (a row of the objection register, not shown).
        case_transition(civic["entry"].case, CaseCommand(action="object", actor=None, channel="web",
                                                         reason="Tidak lengkap", data={"objection_grounds": ["d"]}))
        participation.proposal_submit(process=civic["proposals"], title="Jalan setapak", description="Cor jalan.",
                                      region=world["district"], author_key="k-6")
        assert participation.proposal_support(proposal=civic["proposal"], person_key="k-7", channel="sms").ok
        assert participation.ballot_cast(process=civic["budget"], nik=NIKS[1], codes=["AAAAA"], channel="sms",
                                         phone=PHONES[1]).ok
        participation.comment_submit(draft=civic["draft"], section=None, stance="neutral", text="Catatan.",
                                     person_key="k-8")
        submit(world, "information_request", title="Data jalan", description="Mohon data jalan rusak.")
    assert not [q["sql"] for q in queries.captured_queries if "page_cache" in q["sql"]]
    assert Objection.objects.filter(case=civic["entry"].case).exists()


# --- Musrenbang, the information pages and /status/ ------------------------------------------------------


def test_musrenbang_pages_follow_the_facilitators_records_at_once(client, world):
    from datetime import date

    from balai.participation import services as participation
    from tests.participation.world import process

    musrenbang = process("musrenbang", slug="musrenbang-uji", region=world["samarinda"], agency=world["agency"])
    proposal = participation.proposal_submit(process=musrenbang, title="Semenisasi jalan RT 03", description="…",
                                             region=world["district"], author_key="k-9", level="village")
    forum = participation.forum_for(process=musrenbang, level="village", region=world["district"])
    item = participation.forum_add(forum=forum, proposal=proposal)
    pages = ["/partisipasi/musrenbang-uji/musrenbang/", f"/partisipasi/musrenbang-uji/musrenbang/{forum.pk}/"]
    pages += ["/en" + p for p in pages]
    for path in pages:
        kept_and_served_again(client, path)
    # A citizen's new proposal is on no forum's agenda until the facilitator puts it there: still kept.
    participation.proposal_submit(process=musrenbang, title="Sumur bor RT 05", description="…",
                                  region=world["district"], author_key="k-10", level="village")
    assert all(client.get(p)["X-Page-Cache"] == "hit" for p in pages)
    before = prime(client, pages)
    participation.forum_record(forum=forum, held_on=date(2027, 1, 20), place="Balai desa", chair="Kepala Desa",
                               minutes="Tertib.", women=12, men=15, disability=3, actor=None)
    assert_changed(client, before, shows="2027")
    before = prime(client, pages[1::2])
    participation.forum_decide(item=item, decision="carried_over", reason="Pagu desa habis", actor=None)
    assert_changed(client, before, shows="Pagu desa habis")


def test_information_pages_are_kept_and_the_contact_page_follows_the_agencies(client, world, monkeypatch):
    pages = ["/privasi/", "/aksesibilitas/", "/kontak/"]
    pages += ["/en" + p for p in pages]
    for path in pages:
        kept_and_served_again(client, path)
    before = prime(client, ["/kontak/", "/en/kontak/"])
    agency = world["agency"]
    agency.phone = "0541-123456"
    agency.save()
    assert_changed(client, before, shows="0541-123456")
    assert client.get("/privasi/")["X-Page-Cache"] == "hit"  # shows no agency
    # Pages that show nothing from the database change with a release (its fingerprint is in the key).
    monkeypatch.setattr(pagecache, "release", lambda: "another-release")
    assert client.get("/privasi/")["X-Page-Cache"] == "miss"


@pytest.fixture
def monitored(world, monkeypatch):
    """A public application on /status/, checked once (up); `down()` makes its next check fail."""
    from balai.ict import probes
    from balai.ict.models import Application
    from balai.ict.services import forget_status_board, probe_round

    Application.objects.create(slug="sipd-uji", name="SIPD Uji", agency=world["agency"], purpose="Perencanaan.",
                               url="https://sipd.example.go.id/", status="live", users="public")
    forget_status_board()  # the board's fragments live in the default cache, shared by the tests
    monkeypatch.setattr(probes, "probe", lambda *args, **kwargs: probes.Outcome(True, 200, 120))
    probe_round()

    class Probes:
        @staticmethod
        def down() -> None:
            monkeypatch.setattr(probes, "probe", lambda *args, **kwargs: probes.Outcome(False, None, None, "timeout"))

    return Probes


def test_the_status_page_follows_the_workers_probe_rounds(client, world, monitored, elsewhere):
    """A probe round in the worker: the newest probe result id is a stamp, so the web process shows it
    once it reads the generations again, and the round leaves the other ICT pages kept."""
    from balai.ict.services import probe_round

    before = prime(client, ["/status/", "/en/status/", "/status/?keadaan=down"])
    assert "SIPD Uji" not in before["/status/?keadaan=down"].decode()
    registry = prime(client, ["/aplikasi/", "/aplikasi/sipd-uji/"])
    monitored.down()
    probe_round()
    assert client.get("/status/")["X-Page-Cache"] == "hit"  # until the recheck second
    elsewhere.later()
    assert_changed(client, before)
    assert "SIPD Uji" in client.get("/status/?keadaan=down").content.decode()
    assert all(client.get(p)["X-Page-Cache"] == "hit" for p in registry)  # a probe is no registry edit


def test_the_status_page_shows_a_new_incident_at_once(client, world, monitored):
    from balai.ict.services import notice_open, notice_update

    before = prime(client, ["/status/", "/en/status/", "/status/?instansi=dinkes"])
    notice = notice_open(actor=None, kind="incident", title="SIPD tidak bisa diakses", body="Sedang diperiksa.")
    assert_changed(client, before, shows="SIPD tidak bisa diakses")
    before = prime(client, ["/status/"])
    notice_update(actor=None, notice=notice, body="Sudah pulih.", close=True)
    assert_changed(client, before, shows="Sudah pulih.")


def test_maintenance_that_starts_moves_to_the_incidents_within_the_minute(client, world, monitored, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    from balai.ict.services import notice_open

    start = timezone.now() + timedelta(seconds=90)
    notice_open(actor=None, kind="maintenance", title="Pemeliharaan pusat data", body="Jaringan mati 1 jam.",
                starts_at=start, ends_at=start + timedelta(hours=1))
    before = prime(client, ["/en/status/"])
    assert b"No incident is open." in before["/en/status/"]
    now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: now() + timedelta(minutes=2))
    pagecache.GENERATIONS.forget()  # as the next recheck does, at most a second into the minute
    assert_changed(client, before)
    page = client.get("/en/status/").content.decode()
    assert "No incident is open." not in page and "No maintenance is planned." in page


@pytest.mark.django_db(transaction=True)
def test_a_topic_is_renewed_once_per_transaction_however_many_rows_changed(monkeypatch):
    """A job that deletes many rows (old probe results) writes each topic's token once, after its commit."""
    from django.db import transaction

    renewed: list[str] = []
    monkeypatch.setattr(pagecache, "_new_generation", renewed.append)
    with transaction.atomic():
        for _ in range(3):
            pagecache.bump(pagecache.ICT)
        pagecache.bump(pagecache.CATALOG)
        assert renewed == []  # nothing before the commit
    assert renewed == [pagecache.ICT, pagecache.CATALOG]
    with transaction.atomic():
        with transaction.atomic():  # a savepoint rolled back takes its pending renewal with it
            pagecache.bump(pagecache.ICT)
            transaction.set_rollback(True)
        pagecache.bump(pagecache.ICT)
    assert renewed == [pagecache.ICT, pagecache.CATALOG, pagecache.ICT]
