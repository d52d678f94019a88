"""The participation pages of the staff workspace: who may open them, paper entries (audited, refused
as a second vote), answers, merges, moderation and the Musrenbang forum."""

from __future__ import annotations

import pytest

from balai.audit.models import AuditRecord
from balai.participation import services
from balai.participation.models import Ballot, Comment, Forum, Proposal
from tests.factories import AgencyFactory, MembershipFactory, StaffFactory, UnitFactory
from tests.office.conftest import office_login
from tests.participation.world import NIKS, budget_process, process, regions

pytestmark = pytest.mark.django_db


def _member(agency, role):
    user = StaffFactory()
    MembershipFactory(user=user, unit=UnitFactory(agency=agency), role=role)
    return user


def test_paper_ballot_is_audited_and_a_second_vote_refused(client):
    proc, _projects = budget_process()
    counter = _member(AgencyFactory(), "counter")  # a counter officer of another agency of the government
    office_login(client, counter)
    url = f"/kantor/partisipasi/{proc.slug}/kertas/"
    assert client.get(url).status_code == 200
    ok = client.post(url, {"action": "ballot", "location": "Kantor Camat Palaran", "nik": NIKS[0],
                           "codes": "AAAAA, CCCCC"})
    assert ok.status_code == 200 and "Surat suara tercatat" in ok.content.decode()
    again = client.post(url, {"action": "ballot", "location": "Balai Desa", "nik": NIKS[0], "codes": "DDDDD"})
    assert again.status_code == 400 and "sudah tercatat" in again.content.decode()
    assert Ballot.objects.get().recorded_by == counter
    assert AuditRecord.objects.filter(action="participation.paper_ballot").count() == 1
    page = client.get(url).content.decode()
    assert "Kantor Camat Palaran: 1" in page


def test_owner_agency_answers_and_merges_others_cannot(client):
    proc = process()
    a = services.proposal_submit(process=proc, title="Jalan A", description="…", region=regions()["v1"])
    b = services.proposal_submit(process=proc, title="Jalan A juga", description="…", region=regions()["v1"])
    outsider = _member(AgencyFactory(), "operator")
    office_login(client, outsider)
    assert client.get(f"/kantor/partisipasi/{proc.slug}/").status_code == 403
    client.logout()
    owner = _member(proc.agency, "head")
    office_login(client, owner)
    url = f"/kantor/partisipasi/{proc.slug}/"
    assert client.get(url).status_code == 200
    bad = client.post(url, {"action": "status", "code": a.code, "status": "rejected", "note": ""})
    assert bad.status_code == 400
    assert client.post(url, {"action": "status", "code": a.code, "status": "accepted",
                             "note": "Masuk rencana 2027."}).status_code == 302
    assert client.post(url, {"action": "merge", "code": b.code, "into": a.code}).status_code == 302
    assert Proposal.objects.get(pk=b.pk).merged_into_id == a.pk
    assert client.post(url, {"action": "status", "code": "ZZZZZ"}).status_code == 400


def test_moderation_needs_a_reason_to_hide(client):
    proc = process("consultation", slug="rancangan-sp")
    draft = services.draft_create(process=proc, title="Rancangan Standar Pelayanan", sections=[("Biaya", "Gratis")])
    comment = services.comment_submit(draft=draft, section=None, stance="agree", text="Setuju")
    office_login(client, _member(proc.agency, "operator"))
    url = f"/kantor/partisipasi/{proc.slug}/moderasi/"
    assert client.post(url, {"action": "hide", "comment": comment.pk, "reason": ""}).status_code == 400
    assert client.post(url, {"action": "hide", "comment": comment.pk, "reason": "Iklan"}).status_code == 302
    assert Comment.objects.get().hide_reason == "Iklan"
    assert client.post(url, {"action": "report", "intro": "Terima kasih."}).status_code == 302


def test_forum_page_records_decides_and_closes(client):
    places = regions()
    proc = process("musrenbang", slug="musrenbang-x", region=places["regency"])
    proposal = services.proposal_submit(process=proc, title="Sumur", description="…", region=places["v1"],
                                        level="village")
    forum = services.forum_for(process=proc, level="village", region=places["v1"])
    item = services.forum_add(forum=forum, proposal=proposal)
    office_login(client, _member(AgencyFactory(), "counter"))
    url = f"/kantor/partisipasi/{proc.slug}/forum/{forum.pk}/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"action": "close"}).status_code == 400
    assert client.post(url, {"action": "record", "held_on": "2027-01-20", "place": "Balai desa", "women": "14",
                             "men": "16", "disability": "2", "minutes": "Tertib."}).status_code == 302
    assert client.post(url, {"action": "decide", "item": item.pk, "decision": "agreed", "priority": "1"}
                       ).status_code == 302
    assert client.post(url, {"action": "close"}).status_code == 302
    assert Forum.objects.filter(level="district").exists()
