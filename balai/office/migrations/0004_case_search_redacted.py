"""The staff search reads an anonymous case through its masked `search_text` (balai.cases.search, ADR 0016):
the GIN index gets the new expression. It must stay identical to `balai.cases.search.SEARCH_VECTOR_SQL`
for the planner to use it. On a large database, build the new index by hand first with CREATE INDEX
CONCURRENTLY under a temporary name, drop the old one and rename; this migration then finds the new
expression in place (it drops and recreates only what is missing).
"""

from django.db import migrations

INDEX = "office_case_search"
OLD = "to_tsvector('simple'::regconfig, tracking_code || ' ' || title || ' ' || description)"
NEW = ("to_tsvector('simple'::regconfig, tracking_code || ' ' || CASE WHEN confidentiality = 'anonymous' "
       "THEN search_text ELSE title || ' ' || description END)")


def _replace(schema_editor, expression: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [INDEX])
        row = cursor.fetchone()
    if row is not None and "search_text" in row[0] and "search_text" in expression:
        return  # already built by hand with the new expression
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute(f"CREATE INDEX {INDEX} ON cases_case USING gin (({expression}))")


def forward(apps, schema_editor):
    _replace(schema_editor, NEW)


def backward(apps, schema_editor):
    _replace(schema_editor, OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("office", "0003_staff_digest"),
        ("cases", "0008_case_verified_at_search_text"),
    ]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
