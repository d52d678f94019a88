"""Full-text search over cases for the staff queues (PostgreSQL only; SQLite uses icontains).

The index lives on the engine's table but is the office's need, so it is created here. The expression
must stay identical to `balai.cases.search.SEARCH_VECTOR_SQL` for the planner to use it. On a large
existing database, create it by hand first with CREATE INDEX CONCURRENTLY (same name, same expression):
this migration then does nothing (IF NOT EXISTS).
"""

from django.db import migrations

INDEX = "office_case_search"
EXPRESSION = "to_tsvector('simple'::regconfig, tracking_code || ' ' || title || ' ' || description)"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON cases_case USING gin (({EXPRESSION}))")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("office", "0001_initial"),
        ("cases", "0003_clock_fields"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
