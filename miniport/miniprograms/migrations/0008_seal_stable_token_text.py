"""Stable tokens keep their text sealed (core.vault) instead of in clear."""

from django.db import migrations

import miniport.core.vault


def seal(apps, schema_editor):
    AccessToken = apps.get_model("miniprograms", "AccessToken")
    miniport.core.vault.seal_clear_columns(schema_editor, AccessToken, ["clear"])


def unseal(apps, schema_editor):
    AccessToken = apps.get_model("miniprograms", "AccessToken")
    miniport.core.vault.open_sealed_columns(schema_editor, AccessToken, ["clear"])


class Migration(migrations.Migration):
    dependencies = [
        ("miniprograms", "0007_seal_login_code_session_key"),
    ]

    operations = [
        migrations.AlterField(
            model_name="accesstoken",
            name="clear",
            field=miniport.core.vault.SealedTextField(blank=True),
        ),
        migrations.RunPython(seal, unseal, elidable=False),
    ]
