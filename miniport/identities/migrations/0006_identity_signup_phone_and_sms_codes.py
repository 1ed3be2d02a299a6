"""Sign-up on the phone pages (issue 10 item 1): the keyed digests of an identity's phone
(one phone per identity) and ID number (how many identities one ID number backs), filled
for the identities already stored, and the SMS codes the sign-up sends."""

from django.db import migrations, models

import miniport.core.ids


def fill_digests(apps, schema_editor):
    """Digest the phones and ID numbers already stored. Where older data gave one phone to
    several identities, the first keeps it as its bound phone and the others keep the
    number without binding it."""
    Identity = apps.get_model("identities", "Identity")
    bound: set[str] = set()
    for identity in Identity.objects.order_by("pk").iterator():
        phone_digest = ""
        if identity.phone:
            digest = miniport.core.ids.digest(identity.phone)
            if digest not in bound:
                bound.add(digest)
                phone_digest = digest
        id_number_digest = (
            miniport.core.ids.digest(identity.id_number) if identity.id_number else ""
        )
        if phone_digest or id_number_digest:
            Identity.objects.filter(pk=identity.pk).update(
                phone_digest=phone_digest, id_number_digest=id_number_digest
            )


class Migration(migrations.Migration):
    dependencies = [
        ("identities", "0005_seal_identity_personal_data"),
    ]

    operations = [
        migrations.CreateModel(
            name="IdentitySmsCode",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("phone_digest", models.CharField(db_index=True, max_length=64)),
                ("code_digest", models.CharField(max_length=64)),
                ("ip", models.CharField(blank=True, db_index=True, max_length=64)),
                ("created_at", models.DateTimeField(db_index=True)),
                ("expires_at", models.DateTimeField()),
                ("used_at", models.DateTimeField(blank=True, null=True)),
                ("attempts", models.PositiveIntegerField(default=0)),
            ],
        ),
        migrations.AddField(
            model_name="identity",
            name="id_number_digest",
            field=models.CharField(
                blank=True, db_index=True, default="", editable=False, max_length=64
            ),
        ),
        migrations.AddField(
            model_name="identity",
            name="phone_digest",
            field=models.CharField(blank=True, default="", editable=False, max_length=64),
        ),
        migrations.RunPython(fill_digests, migrations.RunPython.noop, elidable=False),
        migrations.AddConstraint(
            model_name="identity",
            constraint=models.UniqueConstraint(
                condition=models.Q(("phone_digest", ""), _negated=True),
                fields=("phone_digest",),
                name="identity_one_phone",
            ),
        ),
    ]
