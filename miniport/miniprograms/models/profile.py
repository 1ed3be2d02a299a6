"""Names waiting for review (INF-2) and service categories (INF-6).

The reviews themselves are `review.Review` rows of the kinds "name" and "category"
(`miniprograms.review_kinds`); these rows hold what the mini program's side needs.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from miniport.miniprograms.models.base import name_key


class PendingName(models.Model):
    """A requested name while its review is open; deleted when the review ends.

    The unique columns are how the database keeps two mini programs from waiting for
    the same name (INF-2: unique on the platform), the key (`base.name_key`, kept by
    save()) up to width and case too; the review machine's own constraint keeps one open
    name review per mini program."""

    miniprogram = models.OneToOneField(
        "miniprograms.MiniProgram", on_delete=models.CASCADE, related_name="pending_name"
    )
    requested_name = models.CharField(max_length=60, unique=True)
    requested_name_key = models.TextField(null=True, blank=True, unique=True, editable=False)
    review = models.OneToOneField("review.Review", on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return self.requested_name

    def save(self, *args, **kwargs):
        self.requested_name_key = name_key(self.requested_name) if self.requested_name else None
        fields = kwargs.get("update_fields")
        if fields is not None and "requested_name" in fields:
            kwargs["update_fields"] = [*fields, "requested_name_key"]
        super().save(*args, **kwargs)


class CategoryStatus(models.TextChoices):
    """Where a category stands. "pending" is the one name of the state "under review",
    the same as the open state of its review."""

    PENDING = "pending", _("under review")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")


class MiniProgramCategory(models.Model):
    """One service category (first + second level) chosen by a mini program. Its status
    and reason are the category's standing as the developer sees it (getcategory's
    audit_status / audit_reason); the review of a sensitive one is a `review.Review`."""

    miniprogram = models.ForeignKey(
        "miniprograms.MiniProgram", on_delete=models.CASCADE, related_name="categories"
    )
    first_id = models.PositiveIntegerField()
    second_id = models.PositiveIntegerField()
    first_name = models.CharField(max_length=60)
    second_name = models.CharField(max_length=60)
    status = models.CharField(max_length=10, choices=CategoryStatus.choices)
    reason = models.CharField(max_length=300, blank=True)
    certificates = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["miniprogram", "first_id", "second_id"], name="category_once_per_app"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} > {self.second_name} ({self.status})"
