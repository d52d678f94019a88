"""Proposals: one support per person, the threshold that obliges an answer, merging, the public path."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from balai.audit.models import AuditRecord
from balai.participation import selectors, services
from balai.participation.keys import phone_key, user_key
from balai.participation.models import ProposalStatus, Support
from tests.factories import StaffFactory
from tests.participation.world import PHONES, process, regions

pytestmark = pytest.mark.django_db


def _proposal(proc, title="Semenisasi jalan RT 12"):
    return services.proposal_submit(process=proc, title=title, description="Jalan tanah becek saat hujan.",
                                    region=regions()["v1"], category="infrastructure")


def test_submit_gives_a_code_and_a_public_history():
    proc = process()
    proposal = _proposal(proc)
    assert len(proposal.code) == 5
    assert [e.status for e in selectors.proposal_events(proposal)] == ["open"]
    assert selectors.public_proposal(proc, proposal.code.lower()) == proposal


def test_submit_refused_when_the_proposals_phase_is_closed():
    proc = process(phases=("voting",))
    with pytest.raises(ValidationError):
        _proposal(proc)


def test_one_support_per_person_across_channels():
    proposal = _proposal(process())
    key = phone_key(PHONES[0])
    assert services.proposal_support(proposal=proposal, person_key=key, channel="web").ok
    again = services.proposal_support(proposal=proposal, person_key=phone_key("+62 812-3456-7801"), channel="sms")
    assert not again.ok and again.error == "already"
    assert "satu kali" in again.message
    assert services.proposal_support(proposal=proposal, person_key=user_key(7), channel="web").ok
    proposal.refresh_from_db()
    assert proposal.support_count == 2


def test_threshold_by_date_obliges_a_public_answer():
    today = timezone.localdate()
    proc = process(support_threshold=2, threshold_date=today)
    popular, quiet = _proposal(proc, "Posyandu baru"), _proposal(proc, "Lampu taman")
    for phone in PHONES[:2]:
        services.proposal_support(proposal=popular, person_key=phone_key(phone), channel="web")
    services.proposal_support(proposal=quiet, person_key=phone_key(PHONES[0]), channel="web")
    assert selectors.proposals_owed_answer(proc) == [popular]
    services.proposal_set_status(proposal=popular, status=ProposalStatus.ANSWERED,
                                 note="Dibahas di Musrenbang kecamatan.", actor=StaffFactory())
    assert selectors.proposals_owed_answer(proc) == []


def test_supports_after_the_threshold_date_do_not_oblige():
    proc = process(support_threshold=1, threshold_date=timezone.localdate() - timedelta(days=1))
    proposal = _proposal(proc)
    services.proposal_support(proposal=proposal, person_key=phone_key(PHONES[0]), channel="web")
    assert selectors.proposals_owed_answer(proc) == []


def test_merge_moves_supports_and_counts_a_person_once():
    proc = process()
    keep, dup = _proposal(proc, "Perbaikan drainase"), _proposal(proc, "Drainase tersumbat")
    both, only_dup = phone_key(PHONES[0]), phone_key(PHONES[1])
    services.proposal_support(proposal=keep, person_key=both, channel="web")
    services.proposal_support(proposal=dup, person_key=both, channel="web")
    services.proposal_support(proposal=dup, person_key=only_dup, channel="sms")
    services.proposal_merge(source=dup, target=keep, actor=StaffFactory())
    keep.refresh_from_db()
    dup.refresh_from_db()
    assert keep.support_count == 2
    assert Support.objects.filter(proposal=keep).count() == 2
    assert dup.status == "merged" and dup.merged_into == keep
    # supporting the merged one supports the target (and the person already did)
    assert services.proposal_support(proposal=dup, person_key=only_dup, channel="web").error == "already"
    assert AuditRecord.objects.filter(action="participation.proposal_merge").count() == 1


def test_public_path_to_the_end_and_rejection_needs_a_reason():
    proposal = _proposal(process())
    staff = StaffFactory()
    with pytest.raises(ValidationError):
        services.proposal_set_status(proposal=proposal, status="rejected", note=" ", actor=staff)
    for status in ("accepted", "in_plan", "funded", "built"):
        services.proposal_set_status(proposal=proposal, status=status, note=f"Tahap {status}", actor=staff)
    assert [e.status for e in selectors.proposal_events(proposal)] == ["open", "accepted", "in_plan", "funded",
                                                                       "built"]
    assert AuditRecord.objects.filter(action="participation.proposal_status").count() == 4
