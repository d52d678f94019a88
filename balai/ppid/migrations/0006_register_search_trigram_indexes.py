"""Trigram indexes for the register's word search (balai.ppid.selectors.public_items: `icontains` on the
title and the summary, `iexact` on the number), PostgreSQL only. Without the pg_trgm extension (a
database role that may not create it) the search works as before, by a scan (bench/RESULTS.md)."""

from django.db import migrations, transaction

INDEXES = (
    "CREATE INDEX IF NOT EXISTS ppid_item_title_trgm ON ppid_informationitem "
    "USING gin (UPPER(title::text) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS ppid_item_summary_trgm ON ppid_informationitem "
    "USING gin (UPPER(summary::text) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS ppid_item_number_upper ON ppid_informationitem (UPPER(number::text))",
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception:  # noqa: BLE001 - no right to create extensions: keep the scan
        return
    for sql in INDEXES:
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in ("ppid_item_title_trgm", "ppid_item_summary_trgm", "ppid_item_number_upper"):
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ("ppid", "0005_redaction_subscriber_confirmation_warning_emails"),
    ]

    operations = [migrations.RunPython(create, drop)]
