from django.db import migrations, models


def running_and_cancelled_grays_began_when_released(apps, schema_editor):
    """A gray release's row was made when it began (released_at); a finished one's
    released_at moved to when it went to everyone, so only these two are known."""
    Release = apps.get_model("releases", "Release")
    Release.objects.filter(state__in=("gray", "gray_cancelled")).update(
        gray_started_at=models.F("released_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("releases", "0003_gray_experiencers_first"),
    ]

    operations = [
        migrations.AddField(
            model_name="release",
            name="gray_started_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(
            running_and_cancelled_grays_began_when_released, migrations.RunPython.noop
        ),
    ]
