"""Login codes keep their session_key sealed (core.vault) until jscode2session hands it
out, then erased: the codes already redeemed lose theirs, the others are sealed."""

from django.db import migrations

import miniport.core.vault


def seal(apps, schema_editor):
    LoginCode = apps.get_model("miniprograms", "LoginCode")
    LoginCode.objects.filter(used_at__isnull=False).update(session_key="")
    miniport.core.vault.seal_clear_columns(schema_editor, LoginCode, ["session_key"])


def unseal(apps, schema_editor):
    LoginCode = apps.get_model("miniprograms", "LoginCode")
    miniport.core.vault.open_sealed_columns(schema_editor, LoginCode, ["session_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("miniprograms", "0006_upload_keys"),
    ]

    operations = [
        migrations.AlterField(
            model_name="logincode",
            name="session_key",
            field=miniport.core.vault.SealedTextField(blank=True),
        ),
        migrations.RunPython(seal, unseal, elidable=False),
    ]
