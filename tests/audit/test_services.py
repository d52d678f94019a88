from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from balai.audit.hashing import GENESIS_HASH
from balai.audit.models import AuditRecord
from balai.audit.selectors import chain_head
from balai.audit.services import audit_record, verify_chain
from tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def make_chain(n: int) -> list[AuditRecord]:
    return [
        audit_record(
            action="case.transition.verify", target_type="cases.case", target_id=str(i), data={"i": i}
        )
        for i in range(n)
    ]


def test_records_link_into_a_chain_that_verifies():
    records = make_chain(5)
    assert records[0].prev_hash == GENESIS_HASH
    for before, after in zip(records, records[1:], strict=False):
        assert after.prev_hash == before.hash
    report = verify_chain()
    assert report.ok and report.checked == 5 and report.first_bad_id is None
    assert report.head == records[-1].hash


def test_empty_chain_verifies_and_head_is_genesis():
    assert verify_chain().ok
    assert chain_head() == (0, GENESIS_HASH)


def test_chain_head_is_count_and_newest_hash():
    records = make_chain(3)
    assert chain_head() == (3, records[-1].hash)


def test_target_actor_and_data_are_recorded():
    user = UserFactory(full_name="Siti Rahmawati")
    unit = UnitFactory()
    when = dt.datetime(2026, 3, 20, 8, 0, tzinfo=dt.UTC)
    record = audit_record(action="case.assign", actor=user, target=unit, data={"when": when, "ids": (1, 2)})
    record.refresh_from_db()
    assert record.target_type == "agencies.unit" and record.target_id == str(unit.pk)
    # a reference, never the name: the chain cannot be edited when a deletion request comes
    assert record.actor == user and record.actor_label == f"user:{user.pk}"
    # stored as read back, so the hash recomputes identically from the database
    assert record.data == {"when": "2026-03-20T08:00:00Z", "ids": [1, 2]}
    assert record.compute_hash() == record.hash
    assert record.at.tzinfo is not None


def test_record_rolls_back_with_the_callers_transaction():
    make_chain(1)
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(action="case.submit", target_type="cases.case", target_id="9")
        raise RuntimeError("the change it describes failed")
    assert AuditRecord.objects.count() == 1
    assert verify_chain().ok


def test_deleted_user_keeps_history_and_chain():
    user = UserFactory(full_name="Budi Santoso")
    record = audit_record(action="auth.login", actor=user)
    make_chain(2)
    pk = user.pk
    user.delete()
    record.refresh_from_db()
    assert record.actor_id is None and record.actor_label == f"user:{pk}" and "Budi" not in record.actor_label
    assert verify_chain().ok


def test_action_is_required():
    with pytest.raises(ValueError):
        audit_record(action="")
