"""Subjects' ID numbers and administrator phone, and registration drafts (which hold
them while being filled in), sealed at rest (core.vault). The SMS codes' clear phone
goes: its digest (0003) is all they are looked up by. Each step its own migration, so
PostgreSQL never alters a table it has just updated in the same transaction."""

from django.db import migrations, models

import miniport.core.vault


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_sms_code_phone_digest"),
    ]

    operations = [
        # A default first, so that reversing the removal can add the column back to rows.
        migrations.AlterField(
            model_name="smscode",
            name="phone",
            field=models.CharField(blank=True, default="", max_length=20),
        ),
        migrations.RemoveField(model_name="smscode", name="phone"),
        migrations.AlterField(
            model_name="subject",
            name="id_number",
            field=miniport.core.vault.SealedTextField(blank=True),
        ),
        migrations.AlterField(
            model_name="subject",
            name="admin_id_number",
            field=miniport.core.vault.SealedTextField(),
        ),
        migrations.AlterField(
            model_name="subject",
            name="admin_phone",
            field=miniport.core.vault.SealedTextField(),
        ),
        migrations.AlterField(
            model_name="draft",
            name="data",
            field=miniport.core.vault.SealedJSONField(default=dict),
        ),
        migrations.AlterField(
            model_name="draft",
            name="phone_verified",
            field=miniport.core.vault.SealedTextField(blank=True),
        ),
    ]
