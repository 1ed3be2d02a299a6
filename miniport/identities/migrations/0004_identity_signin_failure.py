from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("identities", "0003_qrticket_purpose_registry"),
    ]

    operations = [
        migrations.CreateModel(
            name="SignInFailure",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("wechat_id", models.CharField(db_index=True, max_length=40)),
                ("ip", models.CharField(db_index=True, max_length=64)),
                ("at", models.DateTimeField(db_index=True)),
            ],
        ),
    ]
