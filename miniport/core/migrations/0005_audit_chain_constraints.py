"""Audit entries: one row per place of a chain, enforced by the database; indexes for
the audit page's keyset pages (newest first, by action or by appid)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_audit_rechain_under_the_key"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="seq",
            field=models.PositiveBigIntegerField(),
        ),
        migrations.RemoveIndex(
            model_name="auditentry",
            name="core_audite_action_377a60_idx",
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="appid",
            field=models.CharField(blank=True, max_length=32),
        ),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(fields=["action", "id"], name="audit_action_id"),
        ),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(fields=["appid", "id"], name="audit_appid_id"),
        ),
        migrations.AddConstraint(
            model_name="auditentry",
            constraint=models.UniqueConstraint(
                fields=("chain", "seq"), name="audit_one_row_per_chain_seq"
            ),
        ),
    ]
