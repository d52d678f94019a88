"""`balai.rows.insert_rows` writes exactly the row `bulk_create` writes from the same instance, with one
statement, and sets the new primary keys (on SQLite and on PostgreSQL: CI runs this file on both)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from balai.audit.models import AuditRecord
from balai.cases.models import Case, Event
from balai.cases.services import case_submit
from balai.cases.submission import Submission
from balai.notify.models import Message
from balai.rows import insert_rows

pytestmark = pytest.mark.django_db


def _submitted(world) -> Case:
    return case_submit(Submission(
        kind="complaint", channel="api", title="Jalan rusak", description="Lubang besar",
        complaint_category=world.category, contact_name="Siti", contact_phone="0812-3456-7890",
        latitude="-0.5", longitude="117.15", accommodations=["large_print"], submitted_at=timezone.now()))


def _rows_of(case: Case) -> list:
    return [
        Case.objects.get(pk=case.pk),
        Event.objects.get(case=case),
        Message.objects.get(case=case, event="received"),
        AuditRecord.objects.get(action="case.submit", target_id=str(case.pk)),
        DBTaskResult.objects.filter(task_path__endswith="deliver_message").latest("enqueued_at"),
    ]


def _copy(obj):
    """A new, unsaved instance with the same values (fresh values for the unique columns)."""
    model = type(obj)
    clone = model(**{f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields})
    for f in model._meta.concrete_fields:
        if f.primary_key and f.get_internal_type() in ("AutoField", "BigAutoField"):
            setattr(clone, f.attname, None)
        elif f.unique or f.primary_key:
            setattr(clone, f.attname, uuid.uuid4() if f.get_internal_type() == "UUIDField"
                    else uuid.uuid4().hex[: f.max_length or 32])
    clone._state.adding = True
    return clone


def _stored(obj) -> dict:
    """The stored row but its keys and the columns stamped with the time of the write (auto_now, auto_now_add)."""
    model = type(obj)
    row = model.objects.filter(pk=obj.pk).values().get()
    skip = {f.attname for f in model._meta.concrete_fields
            if f.unique or f.primary_key or (getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False))}
    return {k: v for k, v in row.items() if k not in skip}


def test_a_submission_writes_what_bulk_create_writes(world):
    for original in _rows_of(_submitted(world)):
        ours, django = _copy(original), _copy(original)
        before = timezone.now()
        with CaptureQueriesContext(connection) as queries:
            insert_rows([ours])
        type(django).objects.bulk_create([django])
        assert len(queries) == 1, type(original).__name__
        for f in type(ours)._meta.concrete_fields:
            if (getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)):  # stamped at the write, as save() and bulk_create() do
                assert getattr(ours, f.attname) >= before
        assert ours.pk is not None and ours._state.adding is False and ours._state.db == "default"
        assert _stored(ours) == _stored(django), type(original).__name__
        assert _stored(ours) == _stored(original), type(original).__name__


def test_many_rows_one_statement_ids_in_order_and_values_kept(world):
    case = _submitted(world)
    at = timezone.now() - timedelta(days=1)
    events = [Event(case=case, kind=Event.Kind.NOTE, action="note", actor_label=f"Petugas {i}", is_public=i % 2 == 0,
                    data={"i": i, "text": "ä ✓", "nested": [1, None]}, at=at + timedelta(seconds=i))
              for i in range(5)]
    with CaptureQueriesContext(connection) as queries:
        insert_rows(events)
    assert len(queries) == 1
    ids = [e.pk for e in events]
    assert ids == sorted(ids) and len(set(ids)) == 5
    for i, event in enumerate(events):
        stored = Event.objects.get(pk=event.pk)
        assert (stored.actor_label, stored.is_public, stored.data, stored.at, stored.case_id) == (
            f"Petugas {i}", i % 2 == 0, {"i": i, "text": "ä ✓", "nested": [1, None]}, at + timedelta(seconds=i),
            case.pk)


def test_values_converted_like_django(world):
    """A decimal, a lazy text and a related object saved after it was assigned."""
    from django.utils.translation import gettext_lazy

    source = Case.objects.get(pk=_submitted(world).pk)
    case = _copy(source)
    case.latitude = Decimal("-0.500000")
    case.title = gettext_lazy("Complaint")
    insert_rows([case])
    stored = Case.objects.get(pk=case.pk)
    assert stored.latitude == Decimal("-0.500000")
    assert stored.title == str(gettext_lazy("Complaint"))
    # Nullable columns left out of the statement are NULL.
    assert stored.closed_at is None and stored.registered_by_id is None

    later = Case(**{f.attname: getattr(source, f.attname) for f in Case._meta.concrete_fields
                    if not f.primary_key and f.attname != "tracking_code"}, tracking_code="ZZZZZZZZ")
    event = Event(case=later, kind=Event.Kind.NOTE, action="note", actor_label="x", data={}, at=timezone.now())
    insert_rows([later])
    insert_rows([event])
    assert Event.objects.get(pk=event.pk).case_id == later.pk


def test_unsaved_related_object_is_refused(world):
    unsaved = Case(title="x")
    with pytest.raises(ValueError, match="unsaved related object"):
        insert_rows([Event(case=unsaved, kind=Event.Kind.NOTE, action="note", data={}, at=timezone.now())])
    message = Message(event="x", channel="sms", recipient="+62", language="id", body="b")
    message.about = unsaved
    with pytest.raises(ValueError, match="unsaved related object"):
        insert_rows([message])


def test_model_to_dict_round_trip_on_the_audit_chain_row(world):
    """The audit record's hash is computed from the values in memory: what is stored hashes the same."""
    record = AuditRecord.objects.get(action="case.submit", target_id=str(_submitted(world).pk))
    assert record.hash == record.compute_hash()
    assert model_to_dict(record)["data"] == record.data
