"""The complaint's final step checks every stored answer again (`flow.rebind`, forms built once per process
and copied): a value changed in the session after its page accepted it is refused with the page's own
message, in the visitor's language, and one visitor's answers or errors never reach another's check."""

from __future__ import annotations

import pytest

from balai.cases.models import Case
from balai.catalog.models import ComplaintCategory
from balai.portal import drafts
from tests.portal.flow_data import build_flow_data
from tests.portal.test_complain import ABOUT, file_report

pytestmark = pytest.mark.django_db

PLACE = {"region": "", "location_text": "Depan pasar", "latitude": "-0.5", "longitude": "117.15"}
PRIVACY = {"confidentiality": "public"}
CONTACT = {"contact_name": "Budi", "contact_phone": "081234567890", "contact_email": "", "contact_channel": "sms",
           "language": "id", "accommodations": [], "accommodation_note": ""}


@pytest.fixture
def data():
    return build_flow_data()


def _drafted(client, prefix: str = "") -> None:
    """The four answered pages of a complaint, through the pages themselves (not sent yet)."""
    for path, answers in ((f"{prefix}/lapor/", ABOUT), (f"{prefix}/lapor/lokasi/", PLACE),
                          (f"{prefix}/lapor/privasi/", PRIVACY), (f"{prefix}/lapor/kontak/", CONTACT)):
        assert client.post(path, answers).status_code == 302


def _tamper(client, step: str, **values) -> None:
    """Change answers in the stored draft, as if the session had been altered after the page accepted them."""
    session = client.session
    stored = session[drafts.SESSION_KEY]
    stored["complaint"]["steps"][step].update(values)
    session[drafts.SESSION_KEY] = stored
    session.save()


@pytest.mark.parametrize(("step", "values", "url", "message"), [
    ("tentang", {"kind": "petition"}, "/lapor/#id_kind_0", "Choose complaint or aspiration."),
    ("tentang", {"category": "no-such-topic"}, "/lapor/#id_category", "Choose what it is about."),
    ("tentang", {"description": "short"}, "/lapor/#id_description", "at least 10 characters"),
    ("tentang", {"title": "x" * 121}, "/lapor/#id_title", "at most 120 characters"),
    ("lokasi", {"region": "99.99"}, "/lapor/lokasi/#id_region", "Choose a place from the list."),
    ("lokasi", {"latitude": "45"}, "/lapor/lokasi/#id_latitude", "outside East Kalimantan"),
    ("lokasi", {"longitude": ""}, "/lapor/lokasi/#id_longitude", "Give both latitude and longitude"),
    ("privasi", {"confidentiality": "everyone"}, "/lapor/privasi/#id_confidentiality_0",
     "Choose who may see your report."),
    ("kontak", {"contact_channel": "pigeon"}, "/lapor/kontak/#id_contact_channel_0",
     "Choose how we should contact you."),
    ("kontak", {"contact_phone": "12"}, "/lapor/kontak/#id_contact_phone", "phone"),
    ("kontak", {"contact_email": "nobody"}, "/lapor/kontak/#id_contact_email", "valid e-mail address"),
    ("kontak", {"accommodations": ["teleport"]}, "/lapor/kontak/#id_accommodations_0",
     "Choose from the options offered."),
    ("kontak", {"language": "fr"}, "/lapor/kontak/#id_language_0", "Choose a language."),
])
def test_final_step_refuses_a_tampered_draft_value(client, data, step, values, url, message):
    _drafted(client)
    _tamper(client, step, **values)
    response = client.post("/en/lapor/periksa/")
    html = response.content.decode()
    assert response.status_code == 400
    assert f'href="/en{url}"' in html and message in html
    assert not Case.objects.exists()


def test_final_step_refuses_a_category_closed_since_it_was_chosen(client, data):
    _drafted(client)
    ComplaintCategory.objects.filter(slug=ABOUT["category"]).update(is_active=False)
    from balai.memo import clear_all

    clear_all()
    response = client.post("/lapor/periksa/")
    assert response.status_code == 400 and not Case.objects.exists()
    assert 'href="/lapor/#id_category"' in response.content.decode()


def test_errors_are_in_each_visitors_language_and_stay_with_their_request(client, data):
    _drafted(client)
    _tamper(client, "privasi", confidentiality="everyone")
    english = client.post("/en/lapor/periksa/").content.decode()
    indonesian = client.post("/lapor/periksa/").content.decode()
    assert "Choose who may see your report." in english
    assert "Choose who may see your report." not in indonesian and 'href="/lapor/privasi/#' in indonesian
    _tamper(client, "privasi", confidentiality="public")
    response = client.post("/lapor/periksa/")  # the same forms again, now valid: no error left over
    assert response.status_code == 302
    assert Case.objects.get().confidentiality == "public"


def test_check_page_shows_the_answers_in_the_visitors_language(client, data):
    _drafted(client)
    english = client.get("/en/lapor/periksa/").content.decode()
    indonesian = client.get("/lapor/periksa/").content.decode()
    assert "Potholes" in english and "Potholes" not in indonesian and "Jalan berlubang" in indonesian
    assert "What is it about?" in english and "What is it about?" not in indonesian


def test_two_visitors_checks_do_not_share_answers(client, data, django_user_model):
    from django.test import Client

    other = Client()
    _drafted(client)
    _drafted(other)
    _tamper(other, "kontak", contact_email="nobody", contact_channel="email")
    assert other.post("/lapor/periksa/").status_code == 400
    assert client.post("/lapor/periksa/").status_code == 302
    assert Case.objects.get().contact_email == ""
    assert "nobody" not in client.get("/lapor/periksa/").content.decode()


def test_sent_complaint_keeps_every_answer(client, data):
    _drafted(client)
    assert client.post("/lapor/periksa/").status_code == 302
    case = Case.objects.get()
    assert (case.kind, case.complaint_category.slug, case.confidentiality) == ("complaint", ABOUT["category"],
                                                                               "public")
    assert str(case.latitude) == "-0.500000" and str(case.longitude) == "117.150000"
    assert case.location_text == "Depan pasar" and case.contact_phone == "+6281234567890"


def test_file_report_helper_still_sends(client, data):
    assert file_report(client).status_code == 302


def test_sending_reads_and_saves_the_session_once(client, data):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _drafted(client)
    with CaptureQueriesContext(connection) as queries:
        assert client.post("/lapor/periksa/").status_code == 302
    verbs = [q["sql"].lstrip().split()[0].upper() for q in queries if "django_session" in q["sql"]]
    assert sorted(verbs) == ["SELECT", "UPDATE"]
    assert drafts.get_draft(_request_of(client), "complaint")["steps"] == {}


def _request_of(client):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.session = client.session
    return request
