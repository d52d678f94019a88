"""One rule for "the signed-in citizen": an authenticated user who is not staff (`people.selectors.signed_in_citizen`,
docs/architecture.md, one rule, one place). Staff on the portal act for someone else, so what they send is not
tied to their account, nothing is prefilled from it and they are not offered to link a case to it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from balai.cases.models import Case
from balai.people.selectors import signed_in_citizen
from tests.factories import UserFactory
from tests.portal.flow_data import build_flow_data
from tests.portal.test_information import HOW, WHAT, WHO

pytestmark = pytest.mark.django_db


def test_the_rule():
    citizen, staff = UserFactory(), UserFactory(is_staff=True)
    assert signed_in_citizen(citizen) == citizen
    assert signed_in_citizen(staff) is None
    assert signed_in_citizen(AnonymousUser()) is None
    assert signed_in_citizen(None) is None


@pytest.mark.parametrize("is_staff", [False, True])
def test_a_request_sent_from_the_portal_belongs_to_the_citizen_only(client, is_staff):
    build_flow_data()
    user = UserFactory(full_name="Rahmat Hidayat", is_staff=is_staff)
    client.force_login(user)
    client.post("/informasi/", WHAT)
    client.post("/informasi/bentuk/", HOW)
    client.post("/informasi/kontak/", WHO)
    assert client.post("/informasi/periksa/").status_code == 302
    assert Case.objects.get().citizen == (None if is_staff else user)
