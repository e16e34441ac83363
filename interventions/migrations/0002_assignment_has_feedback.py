from django.db import migrations, models


def flag_feedback(apps, schema_editor):
    """Sets has_feedback where the overall or a step's feedback is not empty (decrypted here:
    emptiness cannot be seen in a ciphertext)."""
    Assignment = apps.get_model("interventions", "Assignment")
    StepAnswer = apps.get_model("interventions", "StepAnswer")
    flagged = set()
    for assignment in Assignment.objects.only("pk", "feedback").iterator(chunk_size=500):
        if assignment.feedback:
            flagged.add(assignment.pk)
    for answer in StepAnswer.objects.only("pk", "assignment_id", "feedback").iterator(
        chunk_size=500
    ):
        if answer.feedback:
            flagged.add(answer.assignment_id)
    Assignment.objects.filter(pk__in=flagged).update(has_feedback=True)


class Migration(migrations.Migration):
    dependencies = [
        ("interventions", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="assignment",
            name="has_feedback",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.RunPython(flag_feedback, migrations.RunPython.noop, elidable=True),
    ]
