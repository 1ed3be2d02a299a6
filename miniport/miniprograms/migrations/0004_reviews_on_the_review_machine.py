"""Name and category reviews move onto the generic review machine (issue 7, point 4).

Every name review becomes a `review.Review` of kind "name" whose target is the mini
program, under its old id, because the server API gave that id out as setnickname's
audit_id. An open one also takes its `PendingName` row. Every sensitive category that
went to review becomes a Review of kind "category" whose target is the category row;
"reviewing" becomes "pending", the one name of that state.
"""

import django.db.models.deletion
from django.core.management.color import no_style
from django.db import migrations, models

NAME_STATES = {"pending": "pending", "approved": "approved", "rejected": "rejected"}


def _category_material(row):
    return {
        "category": f"{row.first_name} > {row.second_name}",
        "first_id": row.first_id,
        "second_id": row.second_id,
        "qualifications": [
            item.get("key", "") for item in row.certificates or [] if isinstance(item, dict)
        ],
    }


def reviews_forward(apps, schema_editor):
    NameReview = apps.get_model("miniprograms", "NameReview")
    Category = apps.get_model("miniprograms", "MiniProgramCategory")
    PendingName = apps.get_model("miniprograms", "PendingName")
    Review = apps.get_model("review", "Review")
    ReviewHistory = apps.get_model("review", "ReviewHistory")
    db = schema_editor.connection.alias

    def history(review):
        ReviewHistory.objects.using(db).create(
            review=review,
            action="open",
            from_state="",
            to_state="pending",
            at=review.submitted_at,
            actor_label=review.submitted_by,
        )
        if review.state != "pending":
            ReviewHistory.objects.using(db).create(
                review=review,
                action="approve" if review.state == "approved" else "reject",
                from_state="pending",
                to_state=review.state,
                at=review.decided_at or review.submitted_at,
                actor_label=review.decided_by,
            )

    for old in NameReview.objects.using(db).select_related("miniprogram").order_by("id"):
        review = Review.objects.using(db).create(
            id=old.id,
            kind="name",
            target_id=str(old.miniprogram_id),
            appid=old.miniprogram.appid,
            state=NAME_STATES.get(old.status, "rejected"),
            reasons=[old.reason] if old.reason else [],
            material={"requested_name": old.requested_name, **(old.material or {})},
            submitted_at=old.created_at,
            decided_at=old.decided_at,
            decided_by=old.decided_by,
        )
        history(review)
        if review.state == "pending":
            PendingName.objects.using(db).create(
                miniprogram_id=old.miniprogram_id,
                requested_name=old.requested_name,
                review=review,
            )

    next_id = (Review.objects.using(db).aggregate(top=models.Max("id"))["top"] or 0) + 1
    # A category went to review when it is (or was) sensitive: it carries documents or is
    # still waiting. Non-sensitive ones were approved when added and have no review.
    reviewed = Category.objects.using(db).select_related("miniprogram").order_by("id")
    for row in reviewed:
        if row.status == "reviewing":
            row.status = "pending"
            row.save(update_fields=["status"])
        elif not row.certificates:
            continue
        review = Review.objects.using(db).create(
            id=next_id,
            kind="category",
            target_id=str(row.pk),
            appid=row.miniprogram.appid,
            state=row.status,
            reasons=[row.reason] if row.reason and row.status == "rejected" else [],
            material=_category_material(row),
            submitted_at=row.created_at,
            decided_at=row.decided_at if row.status != "pending" else None,
        )
        next_id += 1
        history(review)

    # Rows were written with explicit ids: move PostgreSQL's sequence past them.
    statements = schema_editor.connection.ops.sequence_reset_sql(no_style(), [Review])
    with schema_editor.connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def reviews_backward(apps, schema_editor):
    NameReview = apps.get_model("miniprograms", "NameReview")
    Category = apps.get_model("miniprograms", "MiniProgramCategory")
    Review = apps.get_model("review", "Review")
    db = schema_editor.connection.alias
    for review in Review.objects.using(db).filter(kind="name").order_by("id"):
        material = dict(review.material or {})
        requested = material.pop("requested_name", "")
        NameReview.objects.using(db).create(
            id=review.id,
            miniprogram_id=int(review.target_id),
            requested_name=requested,
            status=review.state if review.state in NAME_STATES else "rejected",
            reason="; ".join(review.reasons or [])[:300],
            material=material,
            created_at=review.submitted_at,
            decided_at=review.decided_at,
            decided_by=review.decided_by,
        )
    Category.objects.using(db).filter(status="pending").update(status="reviewing")
    Review.objects.using(db).filter(kind__in=("name", "category")).delete()
    statements = schema_editor.connection.ops.sequence_reset_sql(no_style(), [NameReview])
    with schema_editor.connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("miniprograms", "0003_logincode_user_created_index"),
        ("review", "0001_initial"),
    ]

    operations = [
        # "reviewing" becomes "pending" in the choices; the rows move in reviews_forward.
        migrations.AlterField(
            model_name="miniprogramcategory",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending", "under review"),
                    ("approved", "approved"),
                    ("rejected", "rejected"),
                ],
                max_length=10,
            ),
        ),
        migrations.CreateModel(
            name="PendingName",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("requested_name", models.CharField(max_length=60, unique=True)),
                (
                    "miniprogram",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="pending_name",
                        to="miniprograms.miniprogram",
                    ),
                ),
                (
                    "review",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="review.review",
                    ),
                ),
            ],
        ),
        migrations.RunPython(reviews_forward, reviews_backward),
        migrations.DeleteModel(name="NameReview"),
    ]
