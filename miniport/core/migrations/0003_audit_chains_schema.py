"""Audit chains per mini program (issue 9 item 7): each entry's chain and place, the
chain heads writers lock, signed checkpoints and stored verification results."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_deliveries"),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditChainHead",
            fields=[
                ("chain", models.CharField(max_length=32, primary_key=True, serialize=False)),
                ("seq", models.PositiveBigIntegerField(default=0)),
                ("hash", models.CharField(max_length=64)),
            ],
        ),
        migrations.CreateModel(
            name="AuditCheckpoint",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("chain", models.CharField(blank=True, max_length=32)),
                ("seq", models.PositiveBigIntegerField()),
                ("head_hash", models.CharField(max_length=64)),
                ("count", models.PositiveBigIntegerField()),
                ("at", models.DateTimeField()),
                ("signature", models.CharField(max_length=64)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("chain", "seq"), name="audit_one_checkpoint_per_seq"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="AuditChainCheck",
            fields=[
                ("chain", models.CharField(max_length=32, primary_key=True, serialize=False)),
                ("checked_at", models.DateTimeField()),
                ("ok", models.BooleanField()),
                ("seq", models.PositiveBigIntegerField(default=0)),
                ("checkpoint_seq", models.PositiveBigIntegerField(default=0)),
                ("full", models.BooleanField(default=False)),
                ("broken_entry", models.BigIntegerField(blank=True, null=True)),
                ("broken_seq", models.PositiveBigIntegerField(blank=True, null=True)),
                ("problem", models.CharField(blank=True, max_length=200)),
            ],
            options={
                "indexes": [models.Index(fields=["ok", "checked_at"], name="audit_check_ok")],
            },
        ),
        migrations.AddField(
            model_name="auditentry",
            name="chain",
            field=models.CharField(blank=True, default="", max_length=32),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="seq",
            field=models.PositiveBigIntegerField(null=True),
        ),
    ]
