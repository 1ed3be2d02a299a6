# The ticket's purpose is a key of the purpose registry (identities.purposes), filled by
# the domains that ask; the column no longer lists their choices.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('identities', '0002_identity_is_demo'),
    ]

    operations = [
        migrations.AlterField(
            model_name='qrticket',
            name='purpose',
            field=models.CharField(max_length=20),
        ),
    ]
