"""A budget for the residents of one region and the regions inside it: the voter's village is asked on
the web and at the counter and must lie inside; a vote by SMS is sent to the web or a counter."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from balai.participation import services
from balai.participation.models import Ballot
from tests.factories import MembershipFactory, RegionFactory, StaffFactory, UnitFactory
from tests.office.conftest import office_login
from tests.participation.test_public_pages import prove_phone
from tests.participation.world import NIKS, budget_process

pytestmark = pytest.mark.django_db


@pytest.fixture
def limited():
    """A Samarinda budget for the residents of the Palaran district only (villages v1, v2)."""
    proc, _projects = budget_process()
    palaran = proc.region.children.get(code="64.72.01")
    elsewhere = RegionFactory(code="64.72.02", name="Samarinda Seberang", level="district", parent=proc.region)
    outside = RegionFactory(code="64.72.02.1001", name="Sungai Keledang", level="village", parent=elsewhere)
    proc.voters_region = palaran
    proc.save()
    inside = palaran.children.get(code="64.72.01.1001")
    return proc, inside, outside


def test_only_residents_of_the_region_and_its_places_vote(limited):
    proc, inside, outside = limited
    refused = services.ballot_cast(process=proc, nik=NIKS[0], codes=["AAAAA"], channel="web", region=outside)
    assert refused.error == "region_outside" and "hanya untuk warga Palaran" in refused.message
    missing = services.ballot_cast(process=proc, nik=NIKS[0], codes=["AAAAA"], channel="web")
    assert missing.error == "region_needed" and "sebutkan desa" in missing.message
    sms = services.ballot_cast(process=proc, nik=NIKS[0], phone="081234567890", codes=["AAAAA"], channel="sms")
    assert sms.error == "region_by_message" and "lewat web atau di loket" in services.ballot_error_message(sms)
    assert not Ballot.objects.exists()
    ok = services.ballot_cast(process=proc, nik=NIKS[0], codes=["AAAAA"], channel="web", region=inside)
    assert ok.ok and Ballot.objects.get().region == inside
    # the district itself counts as inside (a voter placed by district when villages are too many)
    assert services.ballot_cast(process=proc, nik=NIKS[1], codes=["CCCCC"], channel="web",
                                region=proc.voters_region).ok


def test_the_web_form_asks_where_the_voter_lives(client, limited):
    proc, inside, outside = limited
    page = client.get(f"/partisipasi/{proc.slug}/").content.decode()
    assert "Siapa yang boleh memilih" in page and "Warga Palaran dan wilayah di dalamnya." in page
    assert "Residents of Palaran and the places inside it." in client.get(f"/en/partisipasi/{proc.slug}/").content.decode()
    url = f"/partisipasi/{proc.slug}/pilih/"
    prove_phone(client, url)
    page = client.get(url).content.decode()
    assert "Tempat tinggal Anda" in page and "Rawa Makmur" in page and "Sungai Keledang" not in page
    missing = client.post(url, {"nik": NIKS[0], "proyek": ["AAAAA"]})
    assert missing.status_code == 400 and "Sebutkan tempat tinggal Anda." in missing.content.decode()
    forged = client.post(url, {"nik": NIKS[0], "proyek": ["AAAAA"], "desa": outside.code})
    assert forged.status_code == 400 and not Ballot.objects.exists()
    assert client.post(url, {"nik": NIKS[0], "proyek": ["AAAAA"], "desa": inside.code}).status_code == 200
    assert Ballot.objects.get().region == inside


def test_the_counter_records_where_the_voter_lives(client, limited):
    proc, inside, _outside = limited
    counter = StaffFactory()
    MembershipFactory(user=counter, unit=UnitFactory(agency=proc.agency), role="counter")
    office_login(client, counter)
    url = f"/kantor/partisipasi/{proc.slug}/kertas/"
    assert "Tempat tinggal pemilih (sesuai KTP)" in client.get(url).content.decode()
    no_place = client.post(url, {"action": "ballot", "location": "Kantor Camat Palaran", "nik": NIKS[0],
                                 "codes": "AAAAA"})
    assert no_place.status_code == 400 and "sebutkan desa" in no_place.content.decode()
    ok = client.post(url, {"action": "ballot", "location": "Kantor Camat Palaran", "nik": NIKS[0], "codes": "AAAAA",
                           "voter_place": inside.code})
    assert ok.status_code == 200 and Ballot.objects.get().region == inside


def test_the_editor_sets_the_voters_region_within_the_government(limited):
    proc, inside, _outside = limited
    head = StaffFactory()
    MembershipFactory(user=head, unit=UnitFactory(agency=proc.agency), role="head")
    kaltara = RegionFactory(code="65", name="Kalimantan Utara", level="province")
    data = {name: getattr(proc, name) for name in services.PROCESS_FIELDS}
    phases = [services.PhaseInput(p.kind, p.starts_on, p.ends_on) for p in proc.phases.filter(kind="voting")]
    with pytest.raises(ValidationError) as exc:
        services.process_save(actor=head, data={**data, "voters_region": kaltara}, phases=phases, process=proc)
    assert "voters_region" in exc.value.message_dict
    assert "wilayah proses (Kota Samarinda)" in exc.value.message_dict["voters_region"][0]
    services.process_save(actor=head, data={**data, "voters_region": None}, phases=phases, process=proc)
    proc.refresh_from_db()
    assert proc.voters_region is None
    # once votes are cast, who may vote is frozen like the other ballot rules
    assert services.ballot_cast(process=proc, nik=NIKS[2], codes=["AAAAA"], channel="sms", phone="081234567899").ok
    with pytest.raises(ValidationError) as exc:
        services.process_save(actor=head, data={**data, "voters_region": inside.parent}, phases=phases, process=proc)
    assert "budget" in exc.value.message_dict
