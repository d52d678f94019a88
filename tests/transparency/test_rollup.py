"""Incremental roll-ups equal rebuilt roll-ups; the cursor is idempotent and sees late-committed events."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from balai.agencies.models import Region
from balai.cases.commands import CaseCommand
from balai.cases.errors import CaseError
from balai.cases.models import Event
from balai.cases.services import available_actions, case_transition, citizen_actions
from balai.survey.elements import ELEMENT_KEYS
from balai.survey.services import is_rateable, quick_rating, survey_submit
from balai.transparency.models import RollupCursor
from balai.transparency.rollup import rebuild, refresh_cases, update, update_once
from tests.cases.conftest import wita
from tests.transparency.conftest import dump_cells, dump_facts

KINDS = ("service_request", "complaint", "aspiration", "information_request", "ict_request")
CHANNELS = ("web", "sms", "whatsapp", "counter")
NEEDS = ((), ("sign_language",), ("wheelchair", "braille"))


def _args(world, spec) -> dict:
    kw = {}
    for need in spec.requires:
        if need == "reason":
            kw["reason"] = "Alasan"
        elif need == "body":
            kw["body"] = "Isi jawaban"
        elif need == "exemption":
            kw["exemption"] = "17h"
        elif need == "assignee":
            kw["assignee"] = world.staff["operator"]
        elif need == "target":
            kw["target_unit"] = world.other_unit
    return kw


class Runner:
    def __init__(self, world, submit, regions):
        self.world, self.submit, self.regions = world, submit, regions
        self.cases = []
        self.now = wita(2026, 6, 2, 8)

    def tick(self, hours: int):
        self.now += timedelta(hours=hours)

    def do_submit(self, kind, channel, region, needs):
        self.cases.append(self.submit(kind, channel=channel, region=self.regions[region], accommodations=needs,
                                      submitted_at=self.now))

    def do_action(self, index, choice):
        if not self.cases:
            return
        case = self.cases[index % len(self.cases)]
        case.refresh_from_db()
        options = [(None, spec) for spec in citizen_actions(case=case, at=self.now)]
        for user in self.world.staff.values():
            options += [(user, spec) for spec in available_actions(case=case, user=user, at=self.now)]
        moving = [o for o in options if o[1].name not in ("note", "assign", "escalate")]
        if moving and choice % 5:
            options = moving  # mostly status changes, sometimes notes/assignments/escalations
        if not options:
            return
        user, spec = options[choice % len(options)]
        try:
            case_transition(case, CaseCommand(action=spec.name, actor=user, channel="web" if user is None else None,
                            at=self.now, **_args(self.world, spec)))
        except CaseError:
            pass  # e.g. a guard: the sequence goes on

    def do_rate(self, index, quick):
        if not self.cases:
            return
        case = self.cases[index % len(self.cases)]
        case.refresh_from_db()
        if is_rateable(case):
            if quick:
                quick_rating(case=case, score=1 + index % 4, channel="sms", submitted_at=self.now)
            else:
                survey_submit(case=case, scores={k: 1 + (index + i) % 4 for i, k in enumerate(ELEMENT_KEYS)},
                              channel="web", submitted_at=self.now)


STEP = st.one_of(
    st.tuples(st.just("submit"), st.sampled_from(KINDS), st.sampled_from(CHANNELS),
              st.sampled_from(("city", "district", None)), st.sampled_from(NEEDS)),
    st.tuples(st.just("action"), st.integers(0, 50), st.integers(0, 50)),
    st.tuples(st.just("action"), st.integers(0, 50), st.integers(0, 50)),
    st.tuples(st.just("action"), st.integers(0, 50), st.integers(0, 50)),
    st.tuples(st.just("rate"), st.integers(0, 50), st.booleans()),
    st.tuples(st.just("tick"), st.integers(1, 24 * 12)),
    st.tuples(st.just("update"), st.integers(1, 7)),
)


@pytest.fixture
def regions(db):
    prov = Region.objects.get_or_create(code="64", defaults={"name": "Kalimantan Timur", "level": "province"})[0]
    city = Region.objects.create(code="64.72", name="Kota Samarinda", level="city", parent=prov)
    regency = Region.objects.create(code="64.11", name="Kabupaten Mahakam Ulu", level="regency", parent=prov)
    district = Region.objects.create(code="64.11.01", name="Long Bagun", level="district", parent=regency)
    return {"city": city, "district": district, None: None}


@pytest.mark.django_db
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(steps=st.lists(STEP, min_size=8, max_size=30))
def test_incremental_equals_rebuild(world, submit, regions, steps):
    with transaction.atomic():
        runner = Runner(world, submit, regions)
        for step in steps:
            if step[0] == "submit":
                runner.do_submit(*step[1:])
            elif step[0] == "action":
                runner.do_action(*step[1:])
            elif step[0] == "rate":
                runner.do_rate(*step[1:])
            elif step[0] == "tick":
                runner.tick(step[1])
            else:
                update(batch_size=step[1])
        update(batch_size=5)
        incremental, facts = dump_cells(), dump_facts()
        rebuild(chunk_size=3)
        assert dump_facts() == facts
        assert dump_cells() == incremental
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_update_is_idempotent_and_reports(world, submit):
    case = submit(submitted_at=wita(2026, 6, 2, 9))
    first = update()
    assert first.events == 1 and first.cases == 1 and first.cells > 0
    before = dump_cells()
    assert update().events == 0
    refresh_cases([case.pk])  # applying the same case again changes nothing
    assert dump_cells() == before
    cursor = RollupCursor.objects.get()
    assert cursor.last_event_id == Event.objects.latest("id").pk
    assert cursor.gaps == {}  # a fresh cursor does not take ids below the first one for gaps


@pytest.mark.django_db
def test_an_idle_run_keeps_last_modified(world, submit):
    # The public pages cache their figures per roll-up state (`updated_at`): an idle run must not move it.
    submit(submitted_at=wita(2026, 6, 2, 9))
    update()
    stamp = RollupCursor.objects.get().updated_at
    assert update().events == 0
    assert RollupCursor.objects.get().updated_at == stamp
    submit(submitted_at=wita(2026, 6, 3, 9))
    assert update().events == 1
    assert RollupCursor.objects.get().updated_at > stamp


@pytest.mark.django_db
def test_event_committed_late_below_the_cursor_is_picked_up(world, submit):
    """Transaction A takes event id n, B takes n+1 and commits first: the job must still see n later."""
    submit(submitted_at=wita(2026, 6, 1, 9))
    update()
    a = submit(submitted_at=wita(2026, 6, 2, 9))
    b = submit(submitted_at=wita(2026, 6, 2, 10))
    late = Event.objects.get(case=a)
    saved = {f.attname: getattr(late, f.attname) for f in Event._meta.concrete_fields}
    late.delete()  # "not yet committed"
    update()
    cursor = RollupCursor.objects.get()
    assert str(saved["id"]) in cursor.gaps
    assert cursor.last_event_id == Event.objects.get(case=b).pk
    Event.objects.create(**saved)  # "commits now", with its lower id
    report = update_once()
    assert report.cases == 1
    assert RollupCursor.objects.get().gaps == {}
    incremental = dump_cells()
    rebuild()
    assert dump_cells() == incremental


@pytest.mark.django_db
def test_deleted_case_leaves_the_rollups(world, submit):
    case = submit(submitted_at=wita(2026, 6, 2, 9))
    update()
    pk = case.pk
    from balai.cases.models import Case

    Case.objects.filter(pk=pk).delete()
    refresh_cases([pk])
    assert dump_cells() == {} and dump_facts() == {}


@pytest.mark.django_db
def test_rebuild_command(world, submit):
    from io import StringIO

    from django.core.management import call_command

    submit(submitted_at=wita(2026, 6, 2, 9))
    out = StringIO()
    call_command("rebuild_rollups", stdout=out)
    assert dump_facts() and dump_cells()
    assert "1" in out.getvalue()


def test_task_is_registered(settings):
    assert settings.BALAI_PERIODIC_TASKS["balai.transparency.tasks.update_rollups"] == 60


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_count_each_case_once(world, submit):
    """Two workers run the job at the same moment: the cursor lock serialises them, nothing is counted twice."""
    import threading

    from django.db import connection

    cases = [submit(submitted_at=wita(2026, 6, 2, 9)) for _ in range(6)]
    for case in cases[:3]:
        case_transition(case, CaseCommand(action="verify", actor=world.staff["verifier"], at=wita(2026, 6, 2, 10)))
    barrier = threading.Barrier(2)
    errors = []

    def work():
        try:
            barrier.wait()
            update(batch_size=4)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    from balai.transparency import selectors

    assert selectors.overview(government=world.government).received == 6
    incremental = dump_cells()
    rebuild()
    assert dump_cells() == incremental


@pytest.mark.django_db
def test_fact_contributions_are_what_the_job_adds(world, submit, regions):
    from balai.transparency.facts import contributions
    from balai.transparency.rollup import _add_fact

    case = submit("complaint", region=regions["district"], accommodations=["braille", "wheelchair"],
                  submitted_at=wita(2026, 6, 2, 9))
    update()
    fact = dump_facts()[case.pk]
    target: dict = {}
    _add_fact(target, fact, +1)
    assert target == contributions(fact)
    keys = set(target)
    # government: none, channel, area, regency, district, 2 needs; agency: the same without district;
    # unit and category: none — each per kind and for all kinds ("*")
    assert len(keys) == (7 + 6 + 2) * 2
    assert f"government:{world.government.pk}:district:64.11.01:complaint:2026-06" in keys
    assert f"agency:{world.agency.pk}:accommodation:braille:*:2026-06" in keys
