"""Musrenbang: village → district → regency → province, with merging, carry-over and rejection."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from balai.agencies.models import Region
from balai.audit.models import AuditRecord
from balai.participation import documents, selectors, services
from balai.participation.models import Forum
from tests.factories import AgencyFactory, StaffFactory
from tests.participation.world import process, regions

pytestmark = pytest.mark.django_db


def _record(forum, staff, women=12, men=15, disability=3):
    services.forum_record(forum=forum, held_on=date(2027, 1, 20), place="Balai desa", chair="Kepala Desa",
                          minutes="Musyawarah berjalan tertib.", women=women, men=men, disability=disability,
                          actor=staff)


def test_escalation_with_carry_over_and_rejection_through_every_level():
    places = regions()
    proc = process("musrenbang", slug="musrenbang-2027", region=places["province"])
    staff, dinas = StaffFactory(), AgencyFactory(short_name="DPUPR")
    made = {}
    for key, village, title in (("road", "v1", "Semenisasi jalan RT 03"), ("well", "v1", "Sumur bor RT 05"),
                                ("drain", "v2", "Drainase Jl. Poros"), ("dup", "v2", "Saluran air Jl. Poros"),
                                ("hall", "v2", "Renovasi balai warga")):
        made[key] = services.proposal_submit(
            process=proc, title=title, description="…", region=places[village], location="RT 03",
            volume="300 m", cost=150_000_000, responsible_agency=dinas, contribution="Tenaga kerja warga",
            level="village")
    f1 = services.forum_for(process=proc, level="village", region=places["v1"])
    f2 = services.forum_for(process=proc, level="village", region=places["v2"])
    for key in ("road", "well"):
        services.forum_add(forum=f1, proposal=made[key])
    for key in ("drain", "dup", "hall"):
        services.forum_add(forum=f2, proposal=made[key])

    items1 = {i.proposal.code: i for i in selectors.forum_items(f1)}
    services.forum_decide(item=items1[made["road"].code], decision="agreed", priority=1, actor=staff)
    with pytest.raises(ValidationError):  # carry-over needs a reason
        services.forum_decide(item=items1[made["well"].code], decision="carried_over", actor=staff)
    services.forum_decide(item=items1[made["well"].code], decision="carried_over",
                          reason="Pagu desa tahun ini habis", actor=staff)
    with pytest.raises(ValidationError):  # the meeting must be recorded first
        services.forum_close(forum=f1, actor=staff)
    _record(f1, staff)
    services.forum_close(forum=f1, actor=staff)

    services.forum_merge(forum=f2, source=made["dup"], target=made["drain"], actor=staff)
    items2 = {i.proposal.code: i for i in selectors.forum_items(f2)}
    services.forum_decide(item=items2[made["drain"].code], decision="agreed", priority=1, actor=staff)
    services.forum_decide(item=items2[made["hall"].code], decision="rejected", reason="Salah perangkat daerah",
                          actor=staff)
    _record(f2, staff)
    services.forum_close(forum=f2, actor=staff)

    well, hall, dup = (type(made["well"]).objects.get(pk=made[k].pk) for k in ("well", "hall", "dup"))
    assert well.level_state == "carried_over" and well.level_reason == "Pagu desa tahun ini habis"
    assert hall.status == "rejected" and hall.answer == "Salah perangkat daerah"  # the proposer sees it
    assert dup.status == "merged"

    district = Forum.objects.get(process=proc, level="district", region=places["district"])
    assert sorted(i.proposal.code for i in selectors.forum_items(district)) == sorted(
        [made["road"].code, made["drain"].code])
    # district → regency → province, everything agreed
    forum = district
    for level in ("district", "regency", "province"):
        assert forum.level == level
        for n, item in enumerate(selectors.forum_items(forum), start=1):
            services.forum_decide(item=item, decision="agreed", priority=n, actor=staff)
        _record(forum, staff)
        services.forum_close(forum=forum, actor=staff)
        upper = Forum.objects.filter(process=proc, closed_at__isnull=True).first()
        if level != "province":
            assert upper is not None and upper.region == forum.region.parent
            forum = upper
    road = type(made["road"]).objects.get(pk=made["road"].pk)
    assert road.status == "in_plan" and road.level == "province" and road.level_state == "agreed"
    history = [e.note for e in selectors.proposal_events(road)]
    assert any("Kecamatan" in n for n in history)
    assert AuditRecord.objects.filter(action="participation.forum_close").count() == 5

    rows = list(csv.DictReader(io.StringIO(documents.agreed_csv(forum=forum))))
    assert [r["code"] for r in rows] == [selectors.forum_items(forum)[0].proposal.code,
                                        selectors.forum_items(forum)[1].proposal.code]
    assert rows[0]["volume"] == "300 m" and rows[0]["estimated_cost"] == "150000000"
    assert rows[0]["responsible_agency"] == dinas.name_id and "Rawa Makmur" in (rows[0]["location"] + rows[1]["location"])
    assert Region.objects.get(code="64").name


def test_attendance_must_add_up_and_minutes_pdf():
    places = regions()
    proc = process("musrenbang", slug="musrenbang-b", region=places["regency"])
    forum = services.forum_for(process=proc, level="village", region=places["v1"])
    with pytest.raises(ValidationError):
        _record(forum, StaffFactory(), women=1, men=1, disability=5)
    _record(forum, StaffFactory())
    assert documents.minutes_pdf(forum=forum).startswith(b"%PDF")
