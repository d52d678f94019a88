"""A message refers to its subject generically (content type + id) instead of a foreign key to the case
(ADR 0027). Existing rows keep their link: `case_id` is copied to `subject_id` with the case's content
type, and the case's tracking code to `reference` (what an e-mail reply address quotes)."""

import django.db.models.deletion
from django.db import migrations, models


def copy_case_links(apps, schema_editor):
    Message = apps.get_model("notify", "Message")
    Case = apps.get_model("cases", "Case")
    ContentType = apps.get_model("contenttypes", "ContentType")
    linked = Message.objects.filter(case__isnull=False)
    if not linked.exists():
        return
    case_type, _created = ContentType.objects.get_or_create(app_label="cases", model="case")
    linked.update(subject_type=case_type, subject_id=models.F("case_id"),
                  reference=models.Subquery(Case.objects.filter(pk=models.OuterRef("case_id"))
                                            .values("tracking_code")[:1]))


def copy_links_back(apps, schema_editor):
    Message = apps.get_model("notify", "Message")
    ContentType = apps.get_model("contenttypes", "ContentType")
    case_type = ContentType.objects.filter(app_label="cases", model="case").first()
    if case_type is not None:
        Message.objects.filter(subject_type=case_type).update(case_id=models.F("subject_id"))


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0009_seal_nik_answers"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("notify", "0003_staff_digest_event"),
    ]

    operations = [
        migrations.AddField(
            model_name="message",
            name="reference",
            field=models.CharField(blank=True, help_text="The public code of what the message is about, quoted by replies.", max_length=40, verbose_name="reference"),
        ),
        migrations.AddField(
            model_name="message",
            name="subject_id",
            field=models.PositiveBigIntegerField(blank=True, null=True, verbose_name="subject id"),
        ),
        migrations.AddField(
            model_name="message",
            name="subject_type",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="contenttypes.contenttype", verbose_name="subject type"),
        ),
        migrations.RunPython(copy_case_links, copy_links_back),
        migrations.RemoveField(
            model_name="message",
            name="case",
        ),
        migrations.AddIndex(
            model_name="message",
            index=models.Index(fields=["subject_type", "subject_id"], name="message_subject"),
        ),
    ]
