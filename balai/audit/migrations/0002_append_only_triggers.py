"""Database triggers that make the audit table append-only (ADR 0005).

PostgreSQL: a row trigger refuses UPDATE and DELETE. SQLite: a trigger refuses UPDATE (a DELETE trigger
would break Django's test flush, which empties SQLite tables with DELETE; the ORM refuses deletes).
TRUNCATE is not triggered (test flush uses it on PostgreSQL): in production the application's role
must not hold TRUNCATE on this table, and the daily published chain head reveals a truncated chain.

The one UPDATE allowed is the ORM's on_delete=SET_NULL when a user is deleted: `actor_id` becomes NULL
and nothing else changes; `actor_label`, which the hash covers, keeps who it was.

Note: SQLite "table rebuild" migrations (AlterField etc.) drop triggers; a later migration that rebuilds
this table on SQLite must re-create them.
"""

from django.db import migrations

PG_FORWARD = [
    """
    CREATE OR REPLACE FUNCTION audit_auditrecord_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' AND NEW.actor_id IS NULL
           AND (to_jsonb(NEW) - 'actor_id') = (to_jsonb(OLD) - 'actor_id') THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'audit_auditrecord is append-only: % refused', TG_OP
            USING ERRCODE = 'integrity_constraint_violation';
    END
    $$;
    """,
    """
    CREATE TRIGGER audit_auditrecord_append_only
    BEFORE UPDATE OR DELETE ON audit_auditrecord
    FOR EACH ROW EXECUTE FUNCTION audit_auditrecord_append_only();
    """,
]
PG_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_auditrecord_append_only ON audit_auditrecord;",
    "DROP FUNCTION IF EXISTS audit_auditrecord_append_only();",
]

SQLITE_FORWARD = [
    """
    CREATE TRIGGER audit_auditrecord_no_update BEFORE UPDATE ON audit_auditrecord
    WHEN NEW.actor_id IS NOT NULL
      OR NEW.id IS NOT OLD.id OR NEW.at IS NOT OLD.at OR NEW.actor_label IS NOT OLD.actor_label
      OR NEW.action IS NOT OLD.action OR NEW.target_type IS NOT OLD.target_type
      OR NEW.target_id IS NOT OLD.target_id OR NEW.data IS NOT OLD.data
      OR NEW.prev_hash IS NOT OLD.prev_hash OR NEW.hash IS NOT OLD.hash
    BEGIN
        SELECT RAISE(ABORT, 'audit_auditrecord is append-only: UPDATE refused');
    END;
    """,
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS audit_auditrecord_no_update;"]


class VendorRunSQL(migrations.RunSQL):
    """RunSQL that runs only on one database vendor (a no-op elsewhere)."""

    def __init__(self, vendor, *args, **kwargs):
        self.vendor = vendor
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, args, kwargs = super().deconstruct()
        return name, [self.vendor, *args], kwargs

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        VendorRunSQL("postgresql", sql=PG_FORWARD, reverse_sql=PG_REVERSE),
        VendorRunSQL("sqlite", sql=SQLITE_FORWARD, reverse_sql=SQLITE_REVERSE),
    ]
