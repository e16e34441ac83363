from django.db import migrations, models


def groups_never_showed_history(apps, schema_editor):
    Participant = apps.get_model("dialogue", "Participant")
    Participant.objects.filter(dialogue__kind="group").update(sees_history=False)


class Migration(migrations.Migration):
    dependencies = [
        ("dialogue", "0004_remove_participant_notified_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="participant",
            name="sees_history",
            field=models.BooleanField(default=True),
        ),
        migrations.RunPython(groups_never_showed_history, migrations.RunPython.noop),
    ]
