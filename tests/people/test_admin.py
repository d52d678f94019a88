"""The people admin: bad input gets a clear message and keeps what was typed; the NIK stays hidden."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from balai.agencies.models import Agency
from balai.people.models import ClientApplication, Membership, User
from balai.people.nik import MESSAGES as NIK_MESSAGES
from balai.people.nik import set_user_nik, user_nik
from balai.people.phone import MESSAGES as PHONE_MESSAGES
from balai.people.services import client_application_for_key
from tests.factories import AgencyFactory, MembershipFactory, StaffFactory, UnitFactory, UserFactory
from tests.otp import verified_login

pytestmark = pytest.mark.django_db
NIK = "6472011508900001"


@pytest.fixture
def admin_client(client):
    verified_login(client, StaffFactory(is_superuser=True))
    return client


def message(text) -> str:
    """The Indonesian text of a msgid or lazy string, HTML-escaped as the admin renders it."""
    with translation.override("id"):
        return escape(translation.gettext(text) if isinstance(text, str) else str(text))


def add_form_data(**overrides) -> dict:
    data = {
        "email": "siti@example.id",
        "phone": "",
        "full_name": "Siti Rahmawati",
        "nik": "",
        "password1": "",
        "password2": "",
        "preferred_language": "id",
        "preferred_channel": "sms",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_add_form_with_a_bad_nik_keeps_everything_typed(admin_client):
    data = add_form_data(nik="6472011502900000", phone="0812-3456-7890")
    response = admin_client.post(reverse("admin:people_user_add"), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert message(NIK_MESSAGES["serial"]) in content
    for typed in ("siti@example.id", "Siti Rahmawati", "0812-3456-7890", "6472011502900000"):
        assert f'value="{typed}"' in content
    assert not User.objects.filter(full_name="Siti Rahmawati").exists()


def test_add_form_with_a_bad_phone_keeps_everything_typed(admin_client):
    data = add_form_data(phone="0812-3456-789O", nik=NIK)
    response = admin_client.post(reverse("admin:people_user_add"), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert message(PHONE_MESSAGES["characters"]) in content
    for typed in ("siti@example.id", "Siti Rahmawati", "0812-3456-789O", NIK):
        assert f'value="{typed}"' in content


def test_add_form_needs_email_or_phone(admin_client):
    response = admin_client.post(reverse("admin:people_user_add"), add_form_data(email=""))
    assert response.status_code == 200
    content = response.content.decode()
    assert message("Give an e-mail address or a phone number (or both).") in content
    assert 'value="Siti Rahmawati"' in content
    assert not User.objects.filter(full_name="Siti Rahmawati").exists()


def test_add_form_password_mismatch(admin_client):
    response = admin_client.post(
        reverse("admin:people_user_add"),
        add_form_data(password1="kata-sandi-panjang-1", password2="kata-sandi-panjang-2"),
    )
    assert response.status_code == 200
    assert message("The two passwords do not match.") in response.content.decode()
    assert not User.objects.filter(email="siti@example.id").exists()


def test_add_by_phone_only_without_password_stores_normalised_phone_and_encrypted_nik(admin_client):
    response = admin_client.post(
        reverse("admin:people_user_add"),
        add_form_data(email="", phone="+62 812 3456 7890", nik="6472 0115 0890 0001"),
    )
    assert response.status_code == 302
    user = User.objects.get(full_name="Siti Rahmawati")
    assert user.phone == "+6281234567890" and user.email is None
    assert not user.has_usable_password()
    assert NIK not in user.nik_encrypted and user_nik(user) == NIK


def test_add_with_password(admin_client):
    response = admin_client.post(
        reverse("admin:people_user_add"),
        add_form_data(password1="kata-sandi-panjang-1", password2="kata-sandi-panjang-1"),
    )
    assert response.status_code == 302
    assert User.objects.get(email="siti@example.id").check_password("kata-sandi-panjang-1")


def test_lists_and_change_form_never_show_the_plain_nik(admin_client):
    user = UserFactory(full_name="Budi Santoso")
    set_user_nik(user, NIK)
    listing = admin_client.get(reverse("admin:people_user_changelist")).content.decode()
    assert "Budi Santoso" in listing and NIK not in listing
    change = admin_client.get(reverse("admin:people_user_change", args=[user.pk])).content.decode()
    assert NIK not in change
    assert "6472••••••••0001" in change


def test_search_by_name_phone_spelling_and_nik(admin_client):
    user = UserFactory(full_name="Budi Santoso", phone="+6281234567890")
    set_user_nik(user, NIK)
    UserFactory(full_name="Orang Lain")
    url = reverse("admin:people_user_changelist")
    for term in ("Budi", "0812-3456-7890", NIK):
        content = admin_client.get(url, {"q": term}).content.decode()
        assert "Budi Santoso" in content and "Orang Lain" not in content, term


def test_change_form_bad_nik_keeps_stored_nik_and_typed_values(admin_client):
    user = UserFactory(full_name="Budi Santoso", email="budi@example.id")
    set_user_nik(user, NIK)
    url = reverse("admin:people_user_change", args=[user.pk])
    data = {
        "email": "budi@example.id",
        "phone": "",
        "full_name": "Budi S. Baru",
        "nik": "6472013102900001",
        "preferred_language": "id",
        "preferred_channel": "sms",
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "08:00:00",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200
    content = response.content.decode()
    assert message(NIK_MESSAGES["date"]) in content
    assert 'value="Budi S. Baru"' in content
    user.refresh_from_db()
    assert user.full_name == "Budi Santoso" and user_nik(user) == NIK

    data["nik"] = "6472015508900002"
    assert admin_client.post(url, data).status_code == 302
    user.refresh_from_db()
    assert user_nik(user) == "6472015508900002"


def test_inspector_role_outside_the_inspectorate_is_refused_in_the_admin(admin_client):
    user = UserFactory()
    unit = UnitFactory()
    response = admin_client.post(
        reverse("admin:people_membership_add"),
        {"user": user.pk, "unit": unit.pk, "role": "inspector", "is_active": "on"},
    )
    assert response.status_code == 200
    assert (
        message("The inspector role can only be given in a unit of the Inspectorate.")
        in response.content.decode()
    )
    assert not Membership.objects.exists()

    inspectorate_unit = UnitFactory(agency=AgencyFactory(kind=Agency.Kind.INSPEKTORAT))
    response = admin_client.post(
        reverse("admin:people_membership_add"),
        {"user": user.pk, "unit": inspectorate_unit.pk, "role": "inspector", "is_active": "on"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.is_staff


def test_membership_list_and_user_change_page_render(admin_client):
    membership = MembershipFactory()
    assert admin_client.get(reverse("admin:people_membership_changelist")).status_code == 200
    page = admin_client.get(reverse("admin:people_user_change", args=[membership.user.pk]))
    assert page.status_code == 200
    assert str(membership.unit.name_id) in page.content.decode()


def test_client_application_add_shows_the_key_once_and_stores_a_hash(admin_client):
    response = admin_client.post(
        reverse("admin:people_clientapplication_add"),
        {"name": "SP4N-LAPOR! connector", "contact_email": "", "scopes": "[]", "rate_limit_per_minute": "60"},
        follow=True,
    )
    assert response.status_code == 200
    client = ClientApplication.objects.get()
    texts = [str(m) for m in response.context["messages"]]
    key = next(word for text in texts for word in text.split() if word.startswith("blk_"))
    assert client.key_hash != key and key not in client.key_hash
    assert client_application_for_key(key) == client
    change = admin_client.get(
        reverse("admin:people_clientapplication_change", args=[client.pk])
    ).content.decode()
    assert key not in change
