"""Self-service data export (portability): a copy may have no request, says whose data it
holds (backfilled from its request) and what for."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def backfill_subject(apps, schema_editor):
    AccessArchive = apps.get_model("privacy", "AccessArchive")
    for archive in AccessArchive.objects.select_related("request").iterator():
        archive.subject_id = archive.request.subject_id
        archive.save(update_fields=["subject"])


def check_constraints_now(apps, schema_editor):
    """PostgreSQL: the backfill's deferred foreign-key checks run now, before ALTER TABLE
    (which refuses a table with pending trigger events)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0004_requests_consents_archives"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="accessarchive",
            name="purpose",
            field=models.CharField(
                choices=[
                    ("access", "Copy of all your data"),
                    ("portability", "Export of the data you provided"),
                ],
                default="access",
                max_length=12,
            ),
        ),
        migrations.AlterField(
            model_name="accessarchive",
            name="request",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="archives",
                to="privacy.datarequest",
            ),
        ),
        migrations.AddField(
            model_name="accessarchive",
            name="subject",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="data_archives",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(backfill_subject, migrations.RunPython.noop),
        migrations.RunPython(check_constraints_now, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="accessarchive",
            name="subject",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="data_archives",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
    ]
