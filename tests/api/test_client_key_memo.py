"""The verified client key is remembered for at most CLIENT_KEY_MEMO_SECONDS per process (ADR 0046):
a key revoked in another process is refused once that bound has passed, one revoked here at once."""

from __future__ import annotations

from unittest import mock

import pytest
from django.utils import timezone

from balai import memo
from balai.people.models import ClientApplication
from balai.people.services import (
    CLIENT_KEY_MEMO_SECONDS,
    client_application_for_key,
    client_application_revoke,
)
from tests.api.conftest import as_client, submission
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class Clock:
    """`time.monotonic` as the memo sees it, moved by the test (no sleeping)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    c = Clock()
    with mock.patch.object(memo.time, "monotonic", c):
        yield c


def _revoke_elsewhere(client: ClientApplication) -> None:
    """What another process's revocation looks like from here: the row changes, no signal in this process."""
    ClientApplication.objects.filter(pk=client.pk).update(is_active=False, revoked_at=timezone.now())


def test_a_key_revoked_in_another_process_is_refused_after_the_bound(client_key, clock):
    client, key = client_key
    assert client_application_for_key(key) == client
    _revoke_elsewhere(client)
    clock.now += CLIENT_KEY_MEMO_SECONDS / 2
    assert client_application_for_key(key) == client  # still remembered: the documented bound
    clock.now += CLIENT_KEY_MEMO_SECONDS / 2
    assert client_application_for_key(key) is None


def test_the_bound_is_at_most_two_seconds():
    assert CLIENT_KEY_MEMO_SECONDS <= 2.0


def test_a_key_revoked_in_this_process_is_refused_at_once(client_key, clock):
    client, key = client_key
    assert client_application_for_key(key) == client
    client_application_revoke(client=client, actor=UserFactory(is_superuser=True, is_staff=True))
    assert client_application_for_key(key) is None


def test_an_unknown_key_is_remembered_as_unknown_and_never_by_its_text(client_key, clock):
    _client, key = client_key
    wrong = key[:-4] + "zzzz"
    assert client_application_for_key(wrong) is None
    from balai.people import services

    assert key not in services._client_keys._entries and wrong not in services._client_keys._entries
    assert client_application_for_key(key) is not None


def test_the_api_refuses_a_key_revoked_elsewhere_after_the_bound(api_world, client_key, api, clock):
    client, key = client_key
    api = as_client(api, key)
    assert api.post("/api/v1/cases/", submission(api_world), format="json").status_code == 201
    _revoke_elsewhere(client)
    clock.now += CLIENT_KEY_MEMO_SECONDS + 0.01
    assert api.post("/api/v1/cases/", submission(api_world), format="json").status_code == 401
