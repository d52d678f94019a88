"""Nothing of an anonymous citizen's identity reaches the agency, not even in part.

Officers could open the portal's confirmation page of an anonymous case and read `+6281••••••198`;
the Django admin's message lists showed the full number next to the case; a photo's EXIF carried the GPS
position and the camera owner's name, and a file named `KTP_Siti….jpg` named the reporter. Now: the
confirmation page answers only the browser session that sent the case; the admin lists read identity
through `balai.cases.visibility` as /kantor/ does; images are stored re-encoded without metadata; the
citizen's files on an anonymous case get a neutral name.
"""

from __future__ import annotations

import io
import re
import time

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, PngImagePlugin

from balai.cases.models import Case
from balai.cases.tracking import new_tracking_code
from balai.cases.visibility import case_view
from balai.channels.models import InboundMessage
from balai.notify.models import Message
from balai.portal.services import otp
from balai.portal.views import flow
from tests.cases.conftest import submit, world  # noqa: F401 - fixtures
from tests.factories import MembershipFactory, StaffFactory, UserFactory
from tests.office.conftest import office_login

pytestmark = pytest.mark.django_db

NAME = "Siti Nurhaliza"
PHONE, PHONE_E164 = "0813-4777-2198", "+6281347772198"
PHONE_PIECES = (PHONE_E164, "81347772198", "4777", "+6281•")
OTHER_PHONE_E164 = "+6281250000002"


@pytest.fixture(autouse=True)
def uploads_in_tmp(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "uploads"), "base_url": None}}}


@pytest.fixture
def anonymous(world, submit):  # noqa: F811
    return submit("complaint", confidentiality="anonymous", contact_name=NAME, contact_phone=PHONE,
                  contact_channel="sms", title="Pungli di loket", description=f"Saya {NAME}, HP {PHONE}.")


@pytest.fixture
def named(world, submit):  # noqa: F811
    return submit("complaint", contact_name="Budi Santoso", contact_phone="0812-5000-0002", contact_channel="sms",
                  title="Jalan rusak", description="Lubang besar.")


def _superuser():
    return UserFactory(is_staff=True, is_superuser=True, email="super@example.go.id")


# --- the confirmation page ---------------------------------------------------------------------------------

_CSRF = re.compile(r'value="[A-Za-z0-9]{64}"')


def _page(client, code: str) -> tuple[int, str]:
    response = client.get(reverse("portal:confirmation", args=[code]))
    return response.status_code, _CSRF.sub('value="…"', response.content.decode()).replace(code, "CODE")


def test_confirmation_page_answers_only_the_sending_session(client, world, anonymous):  # noqa: F811
    code, unknown_code = anonymous.tracking_code, new_tracking_code()

    def same_as_unknown() -> None:
        status, body = _page(client, code)
        assert (status, body) == _page(client, unknown_code)
        assert status == 404
        for piece in PHONE_PIECES:
            assert piece not in body

    same_as_unknown()  # another browser
    office_login(client, world.staff["head"])  # an officer of the responsible unit, second factor verified
    same_as_unknown()
    client.logout()
    office_login(client, _superuser())
    same_as_unknown()
    client.logout()
    session = client.session  # the citizen, proven by a one-time code in another browser
    session[otp.SESSION_KEY] = {str(anonymous.pk): time.time() + 600}
    session.save()
    same_as_unknown()
    session = client.session  # the browser that sent it
    session[flow.RECEIPTS_KEY] = [code]
    session.save()
    status, body = _page(client, code)
    assert status == 200 and "CODE" in body


# --- Django admin lists ----------------------------------------------------------------------------------

def _inbound(case, sender: str) -> InboundMessage:
    return InboundMessage.objects.create(channel="sms", gateway_message_id=f"gw-{case.pk}", sender=sender,
                                         body=f"LAPOR pungli, saya {NAME} {PHONE}", command="report", case=case,
                                         outcome="case_created")


def test_admin_message_lists_seal_an_anonymous_citizens_address(client, anonymous, named):
    assert Message.objects.filter(case=anonymous, recipient=PHONE_E164).exists()  # the acknowledgement
    _inbound(anonymous, PHONE_E164)
    _inbound(named, OTHER_PHONE_E164)
    office_login(client, _superuser())
    for path in ("/admin/notify/message/", "/admin/channels/inboundmessage/"):
        page = client.get(path).content.decode()
        assert anonymous.tracking_code in page and OTHER_PHONE_E164 in page, path
        for piece in (*PHONE_PIECES, NAME, "Nurhaliza"):
            assert piece not in page, (path, piece)
    for obj, path in ((Message.objects.filter(case=anonymous).first(), "/admin/notify/message/"),
                      (InboundMessage.objects.get(case=anonymous), "/admin/channels/inboundmessage/")):
        detail = client.get(f"{path}{obj.pk}/change/")
        assert detail.status_code == 200
        for piece in (*PHONE_PIECES, "Nurhaliza"):
            assert piece not in detail.content.decode(), (path, piece)


def test_admin_search_by_number_does_not_link_it_to_the_anonymous_case(client, anonymous, named):
    _inbound(anonymous, PHONE_E164)
    _inbound(named, OTHER_PHONE_E164)
    office_login(client, _superuser())
    for path in ("/admin/notify/message/", "/admin/channels/inboundmessage/"):
        for term in ("81347772198", PHONE_E164, "4777"):
            rows = list(client.get(path, {"q": term}).context["cl"].result_list)
            assert rows == [], (path, term)
        by_code = list(client.get(path, {"q": anonymous.tracking_code}).context["cl"].result_list)
        assert by_code and {_case_id(r) for r in by_code} == {anonymous.pk}
        assert [_case_id(r) for r in client.get(path, {"q": "81250000002"}).context["cl"].result_list] == [named.pk]


def _case_id(row) -> int | None:
    """The case an admin row belongs to: an outbox message refers to it generically (ADR 0027)."""
    return row.subject_id if isinstance(row, Message) else row.case_id


def test_admin_viewer_outside_the_agency_sees_neither_contact_nor_text(client, world, named):  # noqa: F811
    from django.contrib.auth.models import Permission

    _inbound(named, OTHER_PHONE_E164)
    viewer = world.outsider  # an officer of another agency, allowed to read the inbound list
    viewer.user_permissions.add(Permission.objects.get(codename="view_inboundmessage"))
    office_login(client, viewer)
    page = client.get("/admin/channels/inboundmessage/")
    assert page.status_code == 200 and named.tracking_code in page.content.decode()
    detail = client.get(f"/admin/channels/inboundmessage/{InboundMessage.objects.get(case=named).pk}/change/")
    body = detail.content.decode()
    assert detail.status_code == 200
    for secret in (OTHER_PHONE_E164, "81250000002", NAME, "pungli", named.title):
        assert secret not in body, secret


def test_admin_identity_rule_is_the_workspace_rule(world, submit):  # noqa: F811
    from balai.cases.visibility import identity_visible_q

    cases = [submit("complaint", confidentiality=c, contact_phone=PHONE) for c in ("public", "confidential",
                                                                                  "anonymous")]
    inactive = StaffFactory(is_active=False)
    MembershipFactory(user=inactive, unit=world.unit, role="operator")
    viewers = [world.staff["operator"], world.staff["head"], world.staff["inspector"], world.outsider, _superuser(),
               world.citizen, inactive, world.staff["ict_agent"]]
    for viewer in viewers:
        for case in cases:
            sql = Case.objects.filter(identity_visible_q(viewer), pk=case.pk).exists()
            assert sql == case_view(case=case, viewer=viewer).can_see_identity, (viewer, case.confidentiality)


# --- attachments ----------------------------------------------------------------------------------------

def _exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x013B] = "Siti Nurhaliza"  # Artist
    exif[0x8298] = "Siti Nurhaliza"  # Copyright
    exif[0x010F] = "KameraMerk"  # Make
    exif[0x0112] = 6  # Orientation: turn 90° clockwise to view
    gps = exif.get_ifd(0x8825)
    gps.update({1: "S", 2: (0.0, 30.0, 8.0), 3: "E", 4: (117.0, 9.0, 12.0)})
    return exif


def _photo(fmt: str) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", (4, 2), (10, 200, 30))
    if fmt == "PNG":
        info = PngImagePlugin.PngInfo()
        info.add_text("Author", "Siti Nurhaliza")
        image.save(out, "PNG", pnginfo=info, exif=_exif())
    elif fmt == "JPEG":
        image.save(out, "JPEG", exif=_exif(), comment=b"Milik Siti Nurhaliza")
    else:
        image.save(out, fmt, exif=_exif(), xmp=b"<x:xmpmeta>Siti Nurhaliza</x:xmpmeta>")
    data = out.getvalue()
    assert b"Nurhaliza" in data
    return data


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_uploaded_images_are_stored_without_metadata(world, submit, fmt):  # noqa: F811
    upload = SimpleUploadedFile(f"foto.{fmt.lower()}", _photo(fmt))
    case = submit("complaint", contact_phone=PHONE, files=[upload])
    attachment = case.attachments.get()
    with default_storage.open(attachment.storage_name, "rb") as handle:
        stored = handle.read()
    assert b"Nurhaliza" not in stored and b"KameraMerk" not in stored
    image = Image.open(io.BytesIO(stored))
    assert image.format == fmt
    assert dict(image.getexif()) == {}
    assert not {"exif", "comment", "xmp", "XML:com.adobe.xmp", "Author", "icc_profile"} & set(image.info)
    assert image.size == (2, 4)  # the orientation was applied to the pixels, so the photo stays upright
    assert attachment.size == len(stored)


def test_a_broken_image_is_refused_with_a_message(world, submit):  # noqa: F811
    from django.core.exceptions import ValidationError

    broken = b"\xff\xd8\xff\xe0" + b"\x00" * 300  # a JPEG header, then nothing
    with pytest.raises(ValidationError) as error:
        submit("complaint", contact_phone=PHONE, files=[SimpleUploadedFile("foto.jpg", broken)])
    assert "cannot be read" in str(error.value) or "tidak dapat dibaca" in str(error.value)


def test_citizens_files_on_an_anonymous_case_have_neutral_names(client, world, submit):  # noqa: F811
    case = submit("complaint", confidentiality="anonymous", contact_name=NAME, contact_phone=PHONE,
                  files=[SimpleUploadedFile("KTP_Siti_Nurhaliza.jpg", _photo("JPEG")),
                         SimpleUploadedFile("surat Siti.png", _photo("PNG"))])
    assert sorted(case.attachments.values_list("original_name", flat=True)) == ["lampiran-1.jpg", "lampiran-2.png"]
    office_login(client, world.staff["head"])
    page = client.get(reverse("office:case", args=[case.tracking_code])).content.decode()
    assert "lampiran-1.jpg" in page and "Siti" not in page and "KTP" not in page
    first = case.attachments.order_by("id").first()
    download = client.get(reverse("office:attachment", args=[case.tracking_code, first.pk]))
    assert download.status_code == 200 and "lampiran-1.jpg" in download["Content-Disposition"]
    assert "Siti" not in download["Content-Disposition"]


def test_a_named_case_keeps_its_file_names(world, submit):  # noqa: F811
    case = submit("complaint", contact_phone=PHONE, files=[SimpleUploadedFile("KTP_Budi.jpg", _photo("JPEG"))])
    assert case.attachments.get().original_name == "KTP_Budi.jpg"
