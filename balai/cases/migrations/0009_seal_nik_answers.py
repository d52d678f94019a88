"""Seal NIKs written in plain text before sealing existed: in case answers and queued submissions (ADR 0019).

Idempotent: sealed values are left as they are. Uses the keys configured at `migrate` time (production
refuses to start without FIELD_ENCRYPTION_KEY and FIELD_DIGEST_KEY). The reverse opens them again.
"""

from django.db import migrations

BATCH = 500


def _definitions(apps) -> dict:
    Service = apps.get_model("catalog", "Service")
    return {pk: definition for pk, definition in Service.objects.values_list("pk", "form_definition")}


def seal_plain_niks(apps, schema_editor) -> None:
    from balai.catalog.sealed_answers import seal_answers

    Case = apps.get_model("cases", "Case")
    QueuedSubmission = apps.get_model("cases", "QueuedSubmission")
    definitions = _definitions(apps)
    todo = []
    for pk, service_id, answers in Case.objects.exclude(answers={}).values_list("pk", "service_id", "answers").iterator():
        sealed = seal_answers(definitions.get(service_id), answers)
        if sealed != answers:
            todo.append(Case(pk=pk, answers=sealed))
        if len(todo) >= BATCH:
            Case.objects.bulk_update(todo, ["answers"])
            todo = []
    Case.objects.bulk_update(todo, ["answers"])
    for row in QueuedSubmission.objects.all().iterator():
        payload = dict(row.payload or {})
        if not payload.get("answers"):
            continue
        sealed = seal_answers(definitions.get(payload.get("service")), payload["answers"])
        if sealed != payload["answers"]:
            payload["answers"] = sealed
            QueuedSubmission.objects.filter(pk=row.pk).update(payload=payload)


def open_sealed_niks(apps, schema_editor) -> None:
    from balai.people.nik import is_sealed_nik, unseal_nik

    def opened(answers):
        return {k: unseal_nik(v) if is_sealed_nik(v) else v for k, v in (answers or {}).items()}

    Case = apps.get_model("cases", "Case")
    QueuedSubmission = apps.get_model("cases", "QueuedSubmission")
    for row in Case.objects.filter(answers__icontains="nik_encrypted").iterator():
        Case.objects.filter(pk=row.pk).update(answers=opened(row.answers))
    for row in QueuedSubmission.objects.filter(payload__icontains="nik_encrypted").iterator():
        payload = dict(row.payload)
        payload["answers"] = opened(payload.get("answers"))
        QueuedSubmission.objects.filter(pk=row.pk).update(payload=payload)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0008_case_verified_at_search_text"),
        ("catalog", "0001_initial"),
    ]

    operations = [migrations.RunPython(seal_plain_niks, open_sealed_niks, elidable=False)]
