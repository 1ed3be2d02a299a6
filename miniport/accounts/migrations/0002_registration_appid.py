# The registration records the AppID of the mini program it opened (REG-9), so its audit
# rows and events carry it without the accounts domain reading mini programs. Existing
# registrations take the AppID of their mini program.

from django.db import migrations, models


def fill_appids(apps, schema_editor):
    MiniProgram = apps.get_model("miniprograms", "MiniProgram")
    Registration = apps.get_model("accounts", "Registration")
    opened = MiniProgram.objects.values_list("subject__registration_id", "appid")
    for registration_id, appid in opened.iterator():
        Registration.objects.filter(pk=registration_id).update(appid=appid)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
        # Only to read the AppIDs of mini programs opened before this migration.
        ('miniprograms', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='registration',
            name='appid',
            field=models.CharField(blank=True, default='', max_length=32),
        ),
        migrations.RunPython(fill_appids, migrations.RunPython.noop),
    ]
