"""Apply for a service end to end with the Django client: steps, uploads, check answers, sending."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from balai.cases.models import Attachment, Case
from balai.portal import drafts
from balai.portal.views.apply import pages_of
from tests.portal.flow_data import PDF, PNG, build_flow_data

pytestmark = pytest.mark.django_db

BASE = "/layanan/izin-usaha-uji/ajukan/"


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}


@pytest.fixture
def data():
    return build_flow_data()


def fill_page_one(client, **overrides):
    post = {"nama_usaha": "Warung Bu Sari", "jenis_usaha": "dagang", "jumlah_pekerja": "3", **overrides}
    return client.post(BASE, post)


def fill_page_two(client, *, upload=True):
    post = {"setuju": "on"}
    if upload:
        post["ktp"] = SimpleUploadedFile("ktp saya.png", PNG, content_type="image/png")
    return client.post(BASE + "2/", post)


def fill_contact(client, **overrides):
    post = {"contact_name": "Sari Wulandari", "contact_phone": "0812 3456 7890", "contact_email": "",
            "contact_channel": "sms", "language": "id", **overrides}
    return client.post(BASE + "kontak/", post)


def complete(client):
    assert fill_page_one(client).status_code == 302
    assert fill_page_two(client).status_code == 302
    assert fill_contact(client).status_code == 302
    return client.post(BASE + "kebutuhan/", {"accommodations": ["sign_language"], "accommodation_note": "Tuli"})


def test_pages_follow_the_step_of_each_field_or_five_per_page():
    assert [len(p) for p in pages_of([{"name": f"f{i}", "type": "text"} for i in range(12)])] == [5, 5, 2]
    assert [[f["name"] for f in p] for p in pages_of([
        {"name": "a", "type": "text", "step": 2}, {"name": "b", "type": "text", "step": 1}])] == [["b"], ["a"]]


def test_first_page_shows_the_service_form_and_progress(client, data):
    response = client.get(BASE)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nama usaha" in html and "Jenis usaha" in html and "Foto KTP" not in html  # KTP is on page 2
    assert "Langkah 1 dari 5" in html or "Step 1 of 5" in html


def test_errors_are_summarised_linked_and_keep_what_was_typed(client, data):
    response = fill_page_one(client, nama_usaha="", jumlah_pekerja="banyak sekali")
    html = response.content.decode()
    assert response.status_code == 400
    assert 'class="error-summary"' in html
    assert 'href="#id_nama_usaha"' in html and 'href="#id_jumlah_pekerja"' in html
    assert 'value="banyak sekali"' in html  # nothing typed is lost
    assert 'aria-invalid="true"' in html


def test_whole_application_is_sent_through_the_engine(client, data):
    response = complete(client)
    assert response.status_code == 302 and response["Location"].endswith(BASE + "periksa/")
    check = client.get(BASE + "periksa/")
    html = check.content.decode()
    assert "Warung Bu Sari" in html and "Perdagangan" in html and "ktp saya.png" in html
    assert '<dt>Data usaha benar</dt><dd class="answer">Ya</dd>' in html  # labels as in the office (answer_rows)
    assert f'href="{BASE}?kembali=periksa#id_nama_usaha"' in html  # change links back to the page
    assert "UU 27/2022" in html or "27/2022" in html  # the purpose of the processing is stated
    sent = client.post(BASE + "periksa/")
    assert sent.status_code == 302
    case = Case.objects.get()
    assert sent["Location"].endswith(f"/terkirim/{case.tracking_code}/")
    assert case.kind == "service_request" and case.channel == "web" and case.service == data["service"]
    assert case.answers["nama_usaha"] == "Warung Bu Sari" and case.answers["jumlah_pekerja"] == 3
    assert case.answers["ktp"]["name"] == "ktp saya.png"
    assert case.contact_phone == "+6281234567890" and case.contact_channel == "sms"
    assert case.accommodations == ["sign_language"] and case.accommodation_note == "Tuli"
    attachment = Attachment.objects.get(case=case)
    assert attachment.content_type == "image/png"
    # The draft and its temporary copy are gone.
    assert client.session.get(drafts.SESSION_KEY, {}).get("apply:izin-usaha-uji") is None
    assert drafts.purge_stale_uploads() == 0


def test_a_kept_upload_survives_going_back_and_changing_an_answer(client, data):
    complete(client)
    response = client.post(BASE + "?kembali=periksa", {"nama_usaha": "Toko Baru", "jenis_usaha": "jasa"})
    assert response["Location"].endswith(BASE + "periksa/")
    page_two = client.get(BASE + "2/").content.decode()
    assert "ktp saya.png" in page_two  # shown as already attached
    assert fill_page_two(client, upload=False).status_code == 302  # no need to choose it again
    client.post(BASE + "periksa/")
    case = Case.objects.get()
    assert case.answers["nama_usaha"] == "Toko Baru" and case.answers["ktp"]["name"] == "ktp saya.png"


def test_a_required_file_must_be_chosen(client, data):
    fill_page_one(client)
    response = fill_page_two(client, upload=False)
    assert response.status_code == 400
    assert 'href="#id_ktp"' in response.content.decode()


def test_a_file_of_the_wrong_type_is_refused_with_a_clear_message(client, data):
    fill_page_one(client)
    response = client.post(BASE + "2/", {"setuju": "on", "ktp": SimpleUploadedFile(
        "ktp.pdf", b"MZ\x90\x00 this is a program", content_type="application/pdf")})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Jenis berkas ini tidak diterima" in html or "This type of file is not accepted" in html
    assert 'checked' in html  # the ticked box is kept


def test_a_file_that_is_too_large_is_refused_with_the_limit(client, data, settings):
    settings.UPLOAD_MAX_BYTES = 100
    fill_page_one(client)
    response = client.post(BASE + "2/", {"setuju": "on", "ktp": SimpleUploadedFile("besar.pdf", PDF * 5)})
    html = response.content.decode()
    assert response.status_code == 400
    assert "terlalu besar" in html or "too large" in html


def test_check_page_sends_you_back_to_what_is_missing(client, data):
    fill_page_one(client)
    response = client.post(BASE + "periksa/")
    html = response.content.decode()
    assert response.status_code == 400
    assert f'href="{BASE}2/#id_ktp"' in html
    assert not Case.objects.exists()


def test_contact_channel_needs_its_contact(client, data):
    response = fill_contact(client, contact_phone="", contact_channel="whatsapp")
    assert response.status_code == 400
    assert 'href="#id_contact_phone"' in response.content.decode()
    response = fill_contact(client, contact_channel="email", contact_email="bukan-email")
    assert 'href="#id_contact_email"' in response.content.decode()


def test_only_the_accommodations_the_service_offers_are_offered(client, data):
    html = client.get(BASE + "kebutuhan/").content.decode()
    assert 'value="sign_language"' in html and 'value="wheelchair"' in html
    assert 'value="braille"' not in html
    response = client.post(BASE + "kebutuhan/", {"accommodations": ["braille"]})
    assert response.status_code == 400


def test_english_pages_under_en(client, data):
    html = client.get("/en" + BASE).content.decode()
    assert "Business name" in html and "Step 1 of 5" in html


def test_a_service_not_offered_online_says_where_to_apply(client, data):
    data["service"].channels = ["counter"]
    data["service"].save()
    response = client.get(BASE)
    assert response.status_code == 200
    assert "portal/apply_offline.html" in [t.name for t in response.templates]


def test_unknown_service_and_step_are_not_found(client, data):
    assert client.get("/layanan/tidak-ada/ajukan/").status_code == 404
    assert client.get(BASE + "9/").status_code == 404


def test_sending_is_rate_limited_with_a_clear_message(client, data, settings):
    settings.BALAI_SUBMIT_LIMITS = {"session": (1, 600)}
    complete(client)
    assert client.post(BASE + "periksa/").status_code == 302
    complete(client)
    response = client.post(BASE + "periksa/")
    html = response.content.decode()
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "menit" in html or "minute" in html
    assert Case.objects.count() == 1
    assert client.get(BASE + "periksa/").status_code == 200  # the answers are still there


def test_files_of_abandoned_drafts_are_purged_and_asked_for_again(client, data):
    from datetime import timedelta

    fill_page_one(client)
    fill_page_two(client)
    assert drafts.purge_stale_uploads() == 0  # fresh files are kept
    assert drafts.purge_stale_uploads(older_than=timedelta(seconds=-60)) == 1
    fill_contact(client)
    response = client.post(BASE + "periksa/")
    assert response.status_code == 400
    assert "Berkas ktp saya.png sudah kedaluwarsa" in response.content.decode()
    assert not Case.objects.exists()
