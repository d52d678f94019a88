"""balai.sessions: Django's database sessions read and saved with plain statements, interchangeable with
Django's own store (same table, rows and signing) and with its behaviour on expired or deleted sessions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends import db as django_db
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.models import Session
from django.utils import timezone

from balai.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_it_is_the_configured_engine():
    assert settings.SESSION_ENGINE == "balai.sessions"


def test_sessions_of_djangos_store_and_this_one_read_each_other():
    theirs = django_db.SessionStore()
    theirs["draft"] = {"steps": {"tentang": {"kind": "complaint"}}}
    theirs.save()
    ours = SessionStore(theirs.session_key)
    assert ours["draft"] == {"steps": {"tentang": {"kind": "complaint"}}}
    ours["draft"] = {"steps": {}}
    ours["sent"] = ["ABC"]
    ours.save()
    again = django_db.SessionStore(theirs.session_key)
    assert again["draft"] == {"steps": {}} and again["sent"] == ["ABC"]


def test_a_new_session_is_created_and_saving_again_updates_the_row_and_its_expiry():
    store = SessionStore()
    store["a"] = 1
    store.save()
    key = store.session_key
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + timedelta(seconds=5))
    store = SessionStore(key)
    store["b"] = 2
    store.save()
    row = Session.objects.get(session_key=key)
    assert row.get_decoded() == {"a": 1, "b": 2}
    assert row.expire_date > timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)
    assert Session.objects.count() == 1


def test_an_expired_or_unknown_session_is_empty_and_gets_a_new_key():
    store = SessionStore()
    store["a"] = 1
    store.save()
    Session.objects.filter(session_key=store.session_key).update(expire_date=timezone.now() - timedelta(seconds=1))
    expired = SessionStore(store.session_key)
    assert expired.load() == {} and expired.session_key is None
    unknown = SessionStore("x" * 32)
    assert "a" not in unknown and unknown.session_key is None
    unknown["b"] = 2
    unknown.save()
    assert unknown.session_key not in (None, "x" * 32, store.session_key)


def test_a_tampered_row_reads_as_an_empty_session():
    store = SessionStore()
    store["a"] = 1
    store.save()
    Session.objects.filter(session_key=store.session_key).update(session_data="not-signed:at-all")
    assert SessionStore(store.session_key).load() == {}


def test_saving_a_session_deleted_meanwhile_is_refused_as_by_djangos_store():
    store = SessionStore()
    store["a"] = 1
    store.save()
    loaded = SessionStore(store.session_key)
    loaded["b"] = 2
    Session.objects.filter(session_key=store.session_key).delete()
    with pytest.raises(UpdateError):
        loaded.save()
    assert not Session.objects.exists()


def test_a_portal_page_reads_and_saves_its_session_once(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/lapor/")  # a session with a CSRF-free GET: nothing stored yet
    session = client.session
    session["portal_drafts"] = {}
    session.save()
    with CaptureQueriesContext(connection) as queries:
        client.get("/lapor/")
    sessions = [q["sql"] for q in queries if "django_session" in q["sql"]]
    assert len([q for q in sessions if q.lstrip().upper().startswith("SELECT")]) == 1
    assert len([q for q in sessions if q.lstrip().upper().startswith(("UPDATE", "INSERT"))]) == 1
