from __future__ import annotations

import pytest
from django.db import IntegrityError, InternalError, OperationalError, connection, transaction
from django.utils import timezone

from balai.audit.models import AuditImmutableError, AuditRecord
from balai.audit.services import audit_record

pytestmark = pytest.mark.django_db

DB_REFUSALS = (IntegrityError, InternalError, OperationalError)


@pytest.fixture
def record():
    audit_record(action="case.submit", target_type="cases.case", target_id="1")
    return audit_record(action="case.assign", target_type="cases.case", target_id="1")


def test_model_refuses_update_and_delete(record):
    record.action = "case.forged"
    with pytest.raises(AuditImmutableError):
        record.save()
    with pytest.raises(AuditImmutableError):
        record.delete()


def test_queryset_refuses_delete_and_update(record):
    with pytest.raises(AuditImmutableError):
        AuditRecord.objects.all().delete()
    with pytest.raises(AuditImmutableError):
        AuditRecord.objects.filter(pk=record.pk).update(action="case.forged")
    with pytest.raises(AuditImmutableError):
        AuditRecord.objects.bulk_update([record], ["action"])
    assert AuditRecord.objects.count() == 2


def test_records_are_written_only_with_a_valid_hash():
    forged = AuditRecord(action="x", prev_hash="0" * 64, hash="f" * 64, at=timezone.now())
    with pytest.raises(AuditImmutableError):
        forged.save()


def test_database_refuses_raw_update(record):
    with pytest.raises(DB_REFUSALS, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditrecord SET action = 'case.forged' WHERE id = %s", [record.pk])
    assert AuditRecord.objects.get(pk=record.pk).action == "case.assign"


@pytest.mark.postgres
def test_postgres_refuses_raw_delete(record):
    with pytest.raises(DB_REFUSALS, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditrecord WHERE id = %s", [record.pk])
    assert AuditRecord.objects.filter(pk=record.pk).exists()


@pytest.mark.postgres
def test_postgres_refuses_update_that_only_looks_like_forgetting_a_user(record):
    # Nulling actor_id is the one allowed update; combined with any other change it is refused.
    with pytest.raises(DB_REFUSALS, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditrecord SET actor_id = NULL, target_id = '2' WHERE id = %s", [record.pk]
        )
