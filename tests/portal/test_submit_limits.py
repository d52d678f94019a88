"""Submit limits counted inside the submission's transaction (ADR 0047): one counter row per limit,
a case that goes over a limit is undone, a failed submission counts nothing, and the check step needs
only the chosen category."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.test import RequestFactory

from balai.cases.models import Case
from balai.portal import submit_limits
from balai.portal.models import RateCounter
from tests.portal.flow_data import build_flow_data
from tests.portal.test_complain import ABOUT, file_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    return build_flow_data()


def _request(client_ip: str = "203.0.113.7", session_key: str | None = None):
    from django.contrib.sessions.backends.db import SessionStore

    request = RequestFactory().post("/lapor/periksa/", REMOTE_ADDR=client_ip)
    request.session = SessionStore(session_key=session_key)
    return request


def test_a_sent_case_counts_once_per_limit_in_rows_that_name_no_client(client, data):
    assert file_report(client).status_code == 302
    rows = list(RateCounter.objects.values_list("key", "count"))
    assert sorted(c for _k, c in rows) == [1, 1] and len({k for k, _c in rows}) == 2
    assert all(key.startswith(("submit:ip:", "submit:session:")) for key, _c in rows)
    assert not any("127.0.0.1" in key or client.session.session_key in key for key, _c in rows)


def test_a_refused_submission_counts_nothing(client, data):
    client.post("/lapor/", {**ABOUT, "description": "Terlalu"})  # too short: the check step refuses it
    assert client.post("/lapor/periksa/").status_code == 400
    assert not RateCounter.objects.exists()


def test_a_parallel_submission_that_takes_the_last_place_undoes_this_one(client, data, settings, monkeypatch):
    settings.BALAI_SUBMIT_LIMITS = {"session": (1, 600)}
    assert file_report(client).status_code == 302
    # Another request of this session passed the check before the first one counted: the count, taken
    # under the row's lock in the submission's transaction, refuses it and nothing of it stays.
    monkeypatch.setattr(submit_limits, "check_submit", lambda request: submit_limits.Limit(True, 0))
    response = file_report(client)
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert Case.objects.count() == 1
    assert sorted(RateCounter.objects.values_list("count", flat=True)) == [1, 1]
    assert client.get("/lapor/periksa/").status_code == 200  # the answers are still there


def test_counts_start_again_in_a_new_window(settings, monkeypatch):
    settings.BALAI_SUBMIT_LIMITS = {"ip": (1, 60), "session": (100, 600)}
    clock = [1_000_040.0]  # 20 s into a 60 s window
    monkeypatch.setattr(submit_limits, "time", SimpleNamespace(time=lambda: clock[0]))
    assert submit_limits.count_submit(_request()).allowed
    assert not submit_limits.check_submit(_request()).allowed
    assert submit_limits.check_submit(_request()).retry_after == 40
    assert not submit_limits.count_submit(_request()).allowed  # a second case in the window is over
    clock[0] += 60
    assert submit_limits.check_submit(_request()).allowed
    assert submit_limits.count_submit(_request()).allowed
    ip_rows = RateCounter.objects.filter(key__startswith="submit:ip:")
    assert list(ip_rows.values_list("count", "window_start")) == [(1, 1_000_080.0)]


def test_the_check_step_shows_the_chosen_category_and_refuses_one_switched_off_since(client, data):
    file_report_until_check = [("/lapor/", ABOUT), ("/lapor/lokasi/", {"region": ""}), ("/lapor/berkas/", {}),
                               ("/lapor/privasi/", {"confidentiality": "public"}),
                               ("/lapor/kontak/", {"contact_name": "Budi", "contact_phone": "081234567890",
                                                   "contact_channel": "sms", "language": "id"})]
    for path, form in file_report_until_check:
        assert client.post(path, form).status_code == 302
    html = client.get("/lapor/periksa/").content.decode()
    assert data["category"].name_id in html
    data["category"].is_active = False
    data["category"].save()
    response = client.post("/lapor/periksa/")
    assert response.status_code == 400 and "Pilih topiknya." in response.content.decode()
    assert not Case.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_submissions_at_once_from_one_address_only_one_takes_the_last_place(settings):
    """Two real PostgreSQL connections count in their own transactions: the second waits for the first's
    row lock, sees its count and is refused (its submission would be undone)."""
    import threading
    import time

    from django.db import connection, transaction

    settings.BALAI_SUBMIT_LIMITS = {"ip": (1, 3600), "session": (100, 600)}
    hooks = [submit_limits.counting(_request()), submit_limits.counting(_request())]  # two sessions, one address
    barrier = threading.Barrier(2)
    results: list[object] = [None, None]

    def worker(i: int) -> None:
        try:
            barrier.wait()
            with transaction.atomic():
                hooks[i](None)
                time.sleep(0.3)  # keep the row lock: the other must meet it
            results[i] = "sent"
        except Exception as exc:  # noqa: BLE001 - the test inspects it
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(type(r).__name__ for r in results) == ["Limited", "str"], results
    assert list(RateCounter.objects.filter(key__startswith="submit:ip:").values_list("count", flat=True)) == [1]
