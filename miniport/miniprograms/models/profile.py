"""Name reviews (INF-2) and service categories (INF-6)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("under review")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")


class NameReview(models.Model):
    """A requested name, reviewed by operators before it takes effect."""

    miniprogram = models.ForeignKey(
        "miniprograms.MiniProgram", on_delete=models.CASCADE, related_name="name_reviews"
    )
    requested_name = models.CharField(max_length=60)
    status = models.CharField(
        max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    reason = models.CharField(max_length=300, blank=True)
    material = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            # At most one open name review per mini program.
            models.UniqueConstraint(
                fields=["miniprogram"],
                condition=Q(status="pending"),
                name="one_pending_name_review",
            ),
            # Two mini programs can never wait for the same name.
            models.UniqueConstraint(
                fields=["requested_name"], condition=Q(status="pending"), name="pending_name_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requested_name} ({self.status})"


class CategoryStatus(models.TextChoices):
    REVIEWING = "reviewing", _("under review")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")


class MiniProgramCategory(models.Model):
    """One service category (first + second level) chosen by a mini program."""

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
