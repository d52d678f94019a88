"""The optional account: sign up / sign in with a one-time code, no enumeration, my cases,
profile, data download, correction/deletion requests recorded with the 3×24 h deadline (UU 27/2022)."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest

from balai.people.models import DataRequest, User
from tests.factories import StaffFactory, UserFactory
from tests.portal.flows_b_data import build_world, last_otp, prove, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def sign_in(client, contact: str, recipient: str | None = None):
    response = client.post("/akun/masuk/", {"kontak": contact})
    assert response.status_code == 302 and response["Location"] == "/akun/masuk/kode/"
    return client.post("/akun/masuk/kode/", {"kode_otp": last_otp(recipient or contact)})


def _clean(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_sign_up_creates_an_account_on_the_first_code(client, world):
    response = sign_in(client, "Warga.Baru@Contoh.id", recipient="warga.baru@contoh.id")
    assert response.status_code == 302 and response["Location"] == "/akun/"
    user = User.objects.get(email="warga.baru@contoh.id")
    assert not user.has_usable_password() and not user.is_staff
    assert "Akun Anda" in client.get("/akun/").content.decode()


def test_sign_in_by_phone_reuses_the_account(client, world):
    existing = UserFactory(email=None, phone="+6281311112222")
    sign_in(client, "0813-1111-2222", recipient="+6281311112222")
    assert client.get("/akun/").wsgi_request.user.pk == existing.pk
    assert User.objects.filter(phone="+6281311112222").count() == 1


def test_sign_in_does_not_reveal_whether_an_account_exists(client, world):
    UserFactory(email="ada@contoh.id")
    pages = []
    for contact in ("ada@contoh.id", "tidakada@contoh.id"):
        response = client.post("/akun/masuk/", {"kontak": contact})
        assert response.status_code == 302 and response["Location"] == "/akun/masuk/kode/"
        pages.append(_clean(client.get("/akun/masuk/kode/").content.decode()))
        wrong = client.post("/akun/masuk/kode/", {"kode_otp": "000000"})
        pages.append(_clean(wrong.content.decode()))
    assert pages[0] == pages[2] and pages[1] == pages[3]
    assert not User.objects.filter(email="tidakada@contoh.id").exists()  # nothing created before the code


def test_bad_contact_is_explained_and_kept(client, world):
    response = client.post("/akun/masuk/", {"kontak": "bukan-kontak"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Masukkan alamat e-mail seperti nama@contoh.id" in body and 'value="bukan-kontak"' in body


def test_staff_cannot_sign_in_with_a_one_time_code(client, world):
    StaffFactory(email="petugas@contoh.id")
    response = sign_in(client, "petugas@contoh.id")
    assert response.status_code == 403
    assert not client.get("/akun/").wsgi_request.user.is_authenticated


def test_account_pages_need_sign_in(client, world):
    for url in ("/akun/", "/akun/profil/", "/akun/data/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == "/akun/masuk/"


def test_my_cases_lists_only_own_cases(client, world):
    me = UserFactory(email="saya@contoh.id")
    other = UserFactory(email="orang@contoh.id")
    mine = submit(world, citizen=me, title="Kasus milik saya")
    submit(world, citizen=other, title="Kasus orang lain")
    sign_in(client, "saya@contoh.id")
    body = client.get("/akun/").content.decode()
    assert mine.tracking_code in body and "Kasus milik saya" in body
    assert "Kasus orang lain" not in body
    # the owner sees details without a one-time code
    assert "Isi permohonan" in client.get(f"/lacak/{mine.tracking_code}/").content.decode()


def test_link_a_tracked_case_after_its_code(client, world):
    case = submit(world, title="Kasus tanpa akun")
    sign_in(client, "baru@contoh.id")
    prove(client, case)
    assert "Tambahkan kasus ini ke akun saya" in client.get(f"/lacak/{case.tracking_code}/").content.decode()
    client.post("/akun/kasus/tambah/", {"kode": case.tracking_code})
    case.refresh_from_db()
    assert case.citizen.email == "baru@contoh.id"


def test_cannot_link_a_case_without_proof(client, world):
    case = submit(world)
    sign_in(client, "pencuri@contoh.id")
    client.post("/akun/kasus/tambah/", {"kode": case.tracking_code})
    case.refresh_from_db()
    assert case.citizen_id is None


def test_profile_saves_language_and_channel(client, world):
    sign_in(client, "profil@contoh.id")
    response = client.post("/akun/profil/", {"full_name": "Budi", "preferred_language": "en",
                                              "preferred_channel": "email"})
    assert response.status_code == 302
    user = User.objects.get(email="profil@contoh.id")
    assert (user.full_name, user.preferred_language, user.preferred_channel) == ("Budi", "en", "email")


def test_profile_refuses_sms_without_a_phone_and_keeps_input(client, world):
    sign_in(client, "tanpahp@contoh.id")
    response = client.post("/akun/profil/", {"full_name": "Ani", "preferred_language": "id",
                                              "preferred_channel": "sms"})
    body = response.content.decode()
    assert response.status_code == 400 and "Akun Anda tidak punya nomor telepon" in body and 'value="Ani"' in body


def test_download_my_data_contains_profile_and_own_cases_and_is_recorded(client, world):
    me = UserFactory(email="unduh@contoh.id", full_name="Rina")
    case = submit(world, citizen=me, title="Permohonan Rina", description="Isi milik Rina")
    submit(world, title="Kasus lain")
    sign_in(client, "unduh@contoh.id")
    response = client.post("/akun/data/unduh/")
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"] and response["Cache-Control"] == "private, no-store"
    data = json.loads(response.content)
    assert data["profile"]["email"] == "unduh@contoh.id" and data["profile"]["full_name"] == "Rina"
    assert [c["tracking_code"] for c in data["cases"]] == [case.tracking_code]
    assert data["cases"][0]["description"] == "Isi milik Rina"
    assert data["cases"][0]["timeline"][0]["action"] == "submit"
    record = DataRequest.objects.get(user=me, kind="access")
    assert record.status == "completed"


def test_download_needs_post_and_sign_in(client, world):
    assert client.get("/akun/data/unduh/").status_code == 405
    assert client.post("/akun/data/unduh/").status_code == 302


def test_deletion_request_is_recorded_with_the_3x24h_deadline(client, world):
    sign_in(client, "hapus@contoh.id")
    response = client.post("/akun/data/permintaan/", {"kind": "deletion", "details": "Hapus semua"})
    assert response.status_code == 302
    record = DataRequest.objects.get(kind="deletion")
    assert record.user.email == "hapus@contoh.id" and record.contact == "hapus@contoh.id"
    assert record.status == "received" and record.details == "Hapus semua"
    assert record.due_at - record.requested_at == timedelta(hours=72)
    page = client.get("/akun/data/").content.decode()
    assert "Penghapusan data saya" in page or "Deletion of my data" in page


def test_data_request_without_kind_is_an_error(client, world):
    sign_in(client, "salah@contoh.id")
    response = client.post("/akun/data/permintaan/", {"details": "x"})
    assert response.status_code == 400 and "Pilih perbaikan atau penghapusan." in response.content.decode()
    assert not DataRequest.objects.exists()


def test_sign_out(client, world):
    sign_in(client, "keluar@contoh.id")
    client.post("/akun/keluar/")
    assert not client.get("/akun/").wsgi_request.user.is_authenticated
