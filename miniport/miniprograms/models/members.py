"""Project members and experience members (MEM-1..MEM-5)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MemberKind(models.TextChoices):
    PROJECT = "project", _("project member")
    EXPERIENCE = "experience", _("experience member")


class MemberStatus(models.TextChoices):
    PENDING = "pending", _("waiting for the administrator's confirmation")
    ACTIVE = "active", _("active")


class Member(models.Model):
    miniprogram = models.ForeignKey(
        "miniprograms.MiniProgram", on_delete=models.CASCADE, related_name="members"
    )
    identity = models.ForeignKey(
        "identities.Identity", on_delete=models.CASCADE, related_name="memberships"
    )
    kind = models.CharField(max_length=12, choices=MemberKind.choices)
    status = models.CharField(
        max_length=10, choices=MemberStatus.choices, default=MemberStatus.PENDING
    )
    # Project member roles (MEM-5); any combination, at least one.
    is_operator = models.BooleanField(default=False)
    is_developer = models.BooleanField(default=False)
    is_data_analyst = models.BooleanField(default=False)
    # The opaque per-person id of the tester API (wechat-api 5.1).
    userstr = models.CharField(max_length=64, unique=True)
    confirm_ticket = models.CharField(max_length=64, blank=True)
    added_by = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["miniprogram", "identity", "kind"], name="member_once_per_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} member {self.identity_id} of {self.miniprogram_id} ({self.status})"

    @property
    def roles(self) -> list[str]:
        return [
            r
            for r, on in (
                ("operator", self.is_operator),
                ("developer", self.is_developer),
                ("data_analyst", self.is_data_analyst),
            )
            if on
        ]
