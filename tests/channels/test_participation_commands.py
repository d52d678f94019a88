"""DUKUNG / USUL / PILIH by SMS: through the same webhook, limits and idempotency as the other keywords,
and one person one vote across SMS, web and paper."""

from __future__ import annotations

import pytest

from balai.channels.models import InboundMessage, Outcome
from balai.notify.gsm import fits_one_segment
from balai.participation import services
from balai.participation.keys import phone_key
from balai.participation.models import Ballot, Proposal, Support
from tests.channels.conftest import OTHER_PHONE, PHONE
from tests.factories import StaffFactory
from tests.participation.world import NIKS, budget_process, process, regions

pytestmark = pytest.mark.django_db


def test_dukung_supports_once_and_the_web_key_is_the_same(sms):
    proc = process()
    proposal = services.proposal_submit(process=proc, title="Sumur bor", description="…", region=regions()["v1"])
    answer = sms(f"dukung {proposal.code.lower()}")
    assert "tercatat" in answer["reply"] and "1." in answer["reply"] and fits_one_segment(answer["reply"])
    again = sms(f"DUKUNG {proposal.code}")
    assert "tidak dicatat" in again["reply"] and "satu kali" in again["reply"]
    assert Support.objects.get().person_key == phone_key(PHONE)  # what a web proof of this number gives
    assert InboundMessage.objects.filter(outcome=Outcome.SUPPORTED).count() == 1
    assert "not found" in sms("SUPPORT 99999", sender=OTHER_PHONE)["reply"]


def test_same_gateway_message_twice_supports_once(sms):
    proposal = services.proposal_submit(process=process(), title="Posyandu", description="…",
                                        region=regions()["v1"])
    sms(f"DUKUNG {proposal.code}", message_id="gw-1")
    sms(f"DUKUNG {proposal.code}", message_id="gw-1")
    assert Support.objects.count() == 1


def test_usul_makes_a_proposal_in_the_open_process(sms):
    process()
    answer = sms("USUL Perbaikan jembatan kayu di RT 07 Kelurahan Rawa Makmur yang sudah lapuk")
    proposal = Proposal.objects.get()
    assert proposal.channel == "sms" and proposal.code in answer["reply"] and proposal.author_key == phone_key(PHONE)
    assert "usul" in sms("usul")["reply"].lower()


def test_usul_when_nothing_is_open(sms):
    process(phases=("voting",))
    assert "tidak ada penerimaan usulan" in sms("USUL jalan rusak")["reply"]


def test_pilih_then_web_and_paper_are_refused(sms):
    proc, _projects = budget_process()
    answer = sms(f"PILIH {NIKS[0]} AAAAA ccccc")
    assert "tercatat untuk AAAAA, CCCCC" in answer["reply"], answer["reply"]
    assert NIKS[0] not in InboundMessage.objects.get().body  # never kept in clear text
    web = services.ballot_cast(process=proc, nik=NIKS[0], codes=["DDDDD"], channel="web")
    assert web.error == "already_voted" and web.previous_channel == "sms"
    paper = services.ballot_cast(process=proc, nik=NIKS[1], phone=PHONE, codes=["DDDDD"], channel="paper",
                                 recorded_by=StaffFactory(), location="Balai Desa Rawa Makmur")
    assert paper.error == "already_voted"
    second = sms(f"VOTE {NIKS[0]} DDDDD", sender=OTHER_PHONE)
    assert "NOT recorded" in second["reply"] and "SMS" in second["reply"] and fits_one_segment(second["reply"])
    assert Ballot.objects.count() == 1


def test_pilih_errors_are_explained(sms):
    budget_process()
    assert "16" in sms("PILIH AAAAA")["reply"]
    over = sms(f"PILIH {NIKS[2]} AAAAA EEEEE")["reply"]
    assert "melebihi anggaran" in over and fits_one_segment(over)
    assert "tidak ditemukan" in sms(f"PILIH {NIKS[2]} 99999")["reply"]


def test_pilih_in_a_budget_for_one_region_sends_the_voter_to_the_web_or_a_counter(sms):
    proc, _projects = budget_process()
    proc.voters_region = proc.region.children.get(code="64.72.01")
    proc.save()
    reply = sms(f"PILIH {NIKS[0]} AAAAA")["reply"]
    assert "warga Palaran" in reply and "loket" in reply and fits_one_segment(reply), reply
    assert not Ballot.objects.exists()
