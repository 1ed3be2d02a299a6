"""SMS codes are found by the phone's keyed digest and keep no phone; the subjects'
administrator ID digests are computed again with the digest key (core.ids.digest)."""

from django.db import migrations, models

from miniport.core import ids


def digests(apps, schema_editor):
    SmsCode = apps.get_model("accounts", "SmsCode")
    for row in SmsCode.objects.only("pk", "phone").iterator():
        SmsCode.objects.filter(pk=row.pk).update(phone_digest=ids.digest(row.phone))
    Subject = apps.get_model("accounts", "Subject")
    for row in Subject.objects.only("pk", "admin_id_number").iterator():
        Subject.objects.filter(pk=row.pk).update(admin_id_digest=ids.digest(row.admin_id_number))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_registration_appid"),
    ]

    operations = [
        migrations.AddField(
            model_name="smscode",
            name="phone_digest",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(digests, migrations.RunPython.noop, elidable=False),
    ]
