"""Names compared up to width and case (INF-2 "unique on the platform"): each held and
each requested name gets its key (NFKC, case folded, one space between words), unique in
the database. A row whose key another row took first keeps a null key (the services
still compare it by its name)."""

import unicodedata

from django.db import migrations, models


def _key(name):
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def fill_keys(apps, schema_editor):
    for model, name_field, key_field in (
        ("MiniProgram", "name", "name_key"),
        ("PendingName", "requested_name", "requested_name_key"),
    ):
        rows = apps.get_model("miniprograms", model).objects
        seen = set()
        for pk, name in (
            rows.exclude(**{f"{name_field}__isnull": True})
            .order_by("pk")
            .values_list("pk", name_field)
        ):
            key = _key(name) if name else None
            if key is None or key in seen:
                continue
            seen.add(key)
            rows.filter(pk=pk).update(**{key_field: key})


class Migration(migrations.Migration):
    dependencies = [
        ("miniprograms", "0008_seal_stable_token_text"),
    ]

    operations = [
        migrations.AddField(
            model_name="miniprogram",
            name="name_key",
            field=models.TextField(blank=True, editable=False, null=True, unique=True),
        ),
        migrations.AddField(
            model_name="pendingname",
            name="requested_name_key",
            field=models.TextField(blank=True, editable=False, null=True, unique=True),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop, elidable=False),
    ]
