"""Seal the clear values the subjects and drafts already hold (core.vault)."""

from django.db import migrations

import miniport.core.vault

SUBJECT = ["id_number", "admin_id_number", "admin_phone"]
DRAFT = ["data", "phone_verified"]


def seal(apps, schema_editor):
    vault = miniport.core.vault
    vault.seal_clear_columns(schema_editor, apps.get_model("accounts", "Subject"), SUBJECT)
    vault.seal_clear_columns(schema_editor, apps.get_model("accounts", "Draft"), DRAFT)


def unseal(apps, schema_editor):
    vault = miniport.core.vault
    vault.open_sealed_columns(schema_editor, apps.get_model("accounts", "Subject"), SUBJECT)
    vault.open_sealed_columns(schema_editor, apps.get_model("accounts", "Draft"), DRAFT)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_seal_subject_personal_data"),
    ]

    operations = [
        migrations.RunPython(seal, unseal, elidable=False),
    ]
