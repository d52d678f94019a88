"""Drop case indexes that another index already covers, and the LIKE indexes no query uses.

Every case submitted writes every index of cases_case (bench/RESULTS.md). The field changes
are state only; the database drops exactly the redundant indexes by name (the FK constraints stay as
they are, where AlterField would drop and re-validate them on a big table). agency, unit and assignee
are the first column of case_agency_queue, case_unit_queue and case_assignee_queue; kind that of
case_public_list; status and channel keep a plain b-tree (case_status, case_channel). Reversing
re-creates the plain b-trees, not PostgreSQL's varchar_pattern_ops copies.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

OLD_PLAIN = {
    "cases_case_agency_id_062136fa": "agency_id",
    "cases_case_unit_id_f34fc706": "unit_id",
    "cases_case_assignee_id_28343c2e": "assignee_id",
    "cases_case_kind_f223b793": "kind",
    "cases_case_status_95787cb3": "status",
    "cases_case_channel_7d5230ef": "channel",
}
OLD_LIKE = ["cases_case_kind_f223b793_like", "cases_case_status_95787cb3_like", "cases_case_channel_7d5230ef_like"]


class Migration(migrations.Migration):

    dependencies = [
        ("agencies", "0001_initial"),
        ("cases", "0005_sweep_clock_index"),
        ("catalog", "0001_initial"),
        ("people", "0002_data_request"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='case',
                    name='agency',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='cases', to='agencies.agency', verbose_name='responsible agency'),
                ),
                migrations.AlterField(
                    model_name='case',
                    name='assignee',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='assigned_cases', to=settings.AUTH_USER_MODEL, verbose_name='assigned officer'),
                ),
                migrations.AlterField(
                    model_name='case',
                    name='channel',
                    field=models.CharField(choices=[('web', 'Web'), ('sms', 'SMS'), ('whatsapp', 'WhatsApp'), ('email', 'E-mail'), ('counter', 'Counter'), ('api', 'API')], default='web', max_length=10, verbose_name='channel of origin'),
                ),
                migrations.AlterField(
                    model_name='case',
                    name='kind',
                    field=models.CharField(choices=[('service_request', 'Service request'), ('complaint', 'Complaint'), ('aspiration', 'Aspiration'), ('information_request', 'Public information request'), ('ict_request', 'ICT request')], max_length=24, verbose_name='kind'),
                ),
                migrations.AlterField(
                    model_name='case',
                    name='status',
                    field=models.CharField(editable=False, max_length=24, verbose_name='status'),
                ),
                migrations.AlterField(
                    model_name='case',
                    name='unit',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='cases', to='agencies.unit', verbose_name='responsible unit'),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    [f'DROP INDEX IF EXISTS "{name}"' for name in [*OLD_PLAIN, *OLD_LIKE]],
                    reverse_sql=[f'CREATE INDEX IF NOT EXISTS "{name}" ON "cases_case" ("{column}")'
                                 for name, column in OLD_PLAIN.items()],
                ),
            ],
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['status'], name='case_status'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['channel'], name='case_channel'),
        ),
    ]
