"""Services of other governments forwarded by Open311 (ADR 0045): the citizen sends the request from the
catalog, the background job forwards it to the provider's endpoint (a fake Open311 server on 127.0.0.1),
once, with retries, audited, and the citizen's page shows the provider's tracking code and status."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from balai.api.open311.services.external import poll_due, send_due
from balai.audit.models import AuditRecord
from balai.catalog.models import ExternalRequest, ExternalService
from tests.api.open311.fake_server import FakeOpen311

pytestmark = pytest.mark.django_db


@pytest.fixture
def remote():
    with FakeOpen311() as server:
        yield server


@pytest.fixture
def ktp(remote, settings):
    settings.BALAI_FORWARD_ALLOWED_HOSTS = ["127.0.0.1"]  # the fake provider listens on the loopback address
    return ExternalService.objects.create(
        code="ktp-el", name_id="KTP elektronik", name_en="Electronic identity card",
        provider_id="Disdukcapil Kabupaten Kutai Kartanegara", url="https://disdukcapil.example.org/",
        keywords="ktp ktp-el e-ktp", open311_url=remote.url, open311_service_code="ktp_baru",
        open311_api_key="blk_kukar_kunci")


def _send(client, code="ktp-el", **fields):
    data = {"description": "KTP saya hilang, mohon dicetak ulang.", "address": "Tenggarong",
            "contact_name": "Siti Aminah", "contact_phone": "0812-5000-0001", "consent": "on", **fields}
    return client.post(reverse("portal:external_apply", args=[code]), data)


def test_search_offers_to_send_the_request_from_here(client, ktp):
    page = client.get(reverse("portal:catalog"), {"q": "ktp"}).content.decode()
    assert reverse("portal:external_apply", args=["ktp-el"]) in page and "disdukcapil.example.org" in page
    ktp.open311_url = ktp.open311_service_code = ""
    ktp.save()  # an admin's edit: the cached catalog pages follow it
    page = client.get(reverse("portal:catalog"), {"q": "ktp"}).content.decode()
    assert reverse("portal:external_apply", args=["ktp-el"]) not in page  # a link only
    assert client.get(reverse("portal:external_apply", args=["ktp-el"])).status_code == 404


def test_the_request_is_forwarded_once_by_the_job_and_the_citizen_sees_the_code_and_status(client, ktp, remote):
    response = _send(client)
    assert response.status_code == 302
    request = ExternalRequest.objects.get()
    assert response["Location"].endswith(f"/layanan/luar/permintaan/{request.reference}/")
    assert remote.posts == []  # the portal only queues it (the outbox): nothing leaves during the request
    assert "Menunggu dikirim" in client.get(response["Location"]).content.decode()
    assert send_due() == 1
    assert send_due() == 0  # idempotent: sent once
    (post,) = remote.posts
    assert post["service_code"] == "ktp_baru" and post["api_key"] == "blk_kukar_kunci"
    assert post["phone"] == "+6281250000001" and post["description"].startswith("KTP saya hilang")
    assert post["attribute[balai_reference]"] == request.reference
    request.refresh_from_db()
    assert (request.status, request.remote_id, request.remote_status) == ("sent", "KK-0001-UJI", "open")
    assert (request.description, request.contact_phone, request.contact_name) == ("", "", "")  # erased once sent
    page = client.get(response["Location"]).content.decode()
    assert "KK-0001-UJI" in page and "Disdukcapil Kabupaten Kutai Kartanegara" in page
    actions = list(AuditRecord.objects.filter(target_id=str(request.pk)).values_list("action", flat=True))
    assert actions == ["external_request.submit", "external_request.forward"]
    # The provider closes it: the next poll brings the status and its note (cleaned) to the citizen's page.
    remote.status, remote.status_notes = "closed", "<b>KTP sudah dicetak</b>; ambil di kecamatan."
    assert poll_due(now=timezone.now() + timedelta(minutes=20)) == 1
    request.refresh_from_db()
    assert request.is_final and request.remote_status_notes == "KTP sudah dicetak; ambil di kecamatan."
    assert "ditutup di sana" in client.get(response["Location"]).content.decode()
    english = client.get("/en" + response["Location"]).content.decode()
    assert "Tracking code at Disdukcapil" in english


def test_a_failed_attempt_is_retried_later_and_audited(client, ktp, remote):
    remote.fail_next = 1
    _send(client)
    request = ExternalRequest.objects.get()
    assert send_due() == 0
    request.refresh_from_db()
    assert request.status == "pending" and request.attempts == 1 and "500" in request.last_error
    assert request.next_attempt_at > timezone.now() and request.contact_phone  # kept for the retry
    assert send_due() == 0 and remote.posts == []  # not due yet
    assert send_due(now=timezone.now() + timedelta(minutes=2)) == 1
    request.refresh_from_db()
    assert request.status == "sent" and request.attempts == 2
    assert AuditRecord.objects.filter(action="external_request.forward_failed", target_id=str(request.pk)).exists()


def test_an_address_balai_may_not_reach_is_refused_and_given_up_with_a_way_out(client, ktp, remote, settings):
    from balai.catalog.services import MAX_ATTEMPTS

    settings.BALAI_FORWARD_ALLOWED_HOSTS = []  # 127.0.0.1 is not a public address: the SSRF guard refuses it
    response = _send(client)
    later = timezone.now()
    for _n in range(MAX_ATTEMPTS):
        later += timedelta(days=2)
        send_due(now=later)
    request = ExternalRequest.objects.get()
    assert remote.posts == [] and request.status == "failed" and request.attempts == MAX_ATTEMPTS
    assert request.contact_phone == "" and request.description == ""  # not kept once Balai gave up
    assert AuditRecord.objects.filter(action="external_request.forward_refused").count() == MAX_ATTEMPTS
    page = client.get(response["Location"]).content.decode()
    assert "Balai tidak dapat mengirimkannya" in page and "disdukcapil.example.org" in page


def test_the_form_needs_a_way_to_reach_the_citizen_and_consent(client, ktp):
    response = _send(client, contact_phone="", consent="")
    assert response.status_code == 400 and not ExternalRequest.objects.exists()
    text = response.content.decode()
    assert "Centang kotak" in text and "nomor telepon atau alamat e-mail" in text


def test_requests_and_their_forwarding_never_renew_the_cached_catalog_pages(client, ktp, remote, settings):
    """ExternalRequest lives in the catalog app, whose staff edits renew the page cache's catalog topic;
    citizens' requests and the job's writes must not (balai/pagecache.py: never written by a submission)."""
    from balai import pagecache

    pagecache.bump(pagecache.CATALOG)
    before = pagecache._cache().get(pagecache._generation_key(pagecache.CATALOG))
    _send(client)
    send_due()
    poll_due(now=timezone.now() + timedelta(minutes=20))
    assert pagecache._cache().get(pagecache._generation_key(pagecache.CATALOG)) == before


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_a_request_once(client, ktp, remote):
    """PostgreSQL: the row is locked while it is sent; a second worker skips it (SKIP LOCKED), then finds it
    sent. (SQLite has one writer at a time and no row locks: nothing to prove there.)"""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's")
    _send(client)
    remote.release.clear()  # the provider holds the first POST until the second worker has run
    results: list[int] = []

    def worker() -> None:
        try:
            results.append(send_due())
        finally:
            connections.close_all()

    first = threading.Thread(target=worker)
    first.start()
    assert remote.posted.wait(10)
    second = threading.Thread(target=worker)
    second.start()
    second.join(20)
    remote.release.set()
    first.join(20)
    assert sorted(results) == [0, 1] and len(remote.posts) == 1
    assert ExternalRequest.objects.get().status == "sent"
