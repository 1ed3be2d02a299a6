"""Identity phone and ID number sealed at rest (core.vault): the columns become text
holding envelopes, and the clear values already stored are sealed."""

from django.db import migrations

import miniport.core.vault

COLUMNS = ["phone", "id_number"]


def seal(apps, schema_editor):
    Identity = apps.get_model("identities", "Identity")
    miniport.core.vault.seal_clear_columns(schema_editor, Identity, COLUMNS)


def unseal(apps, schema_editor):
    Identity = apps.get_model("identities", "Identity")
    miniport.core.vault.open_sealed_columns(schema_editor, Identity, COLUMNS)


class Migration(migrations.Migration):
    dependencies = [
        ("identities", "0004_identity_signin_failure"),
    ]

    operations = [
        migrations.AlterField(
            model_name="identity",
            name="phone",
            field=miniport.core.vault.SealedTextField(blank=True, verbose_name="phone"),
        ),
        migrations.AlterField(
            model_name="identity",
            name="id_number",
            field=miniport.core.vault.SealedTextField(blank=True, verbose_name="ID number"),
        ),
        migrations.RunPython(seal, unseal, elidable=False),
    ]
