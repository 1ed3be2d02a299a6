"""Enterprise: tables (WW-1..WW-5).

An enterprise has administrators (identities), a department tree under one root
department, and members (identities) in one or more departments. A mini program is
associated with an enterprise through an `Association` whose status walks
waiting → active → ended; only an active association of a released mini program shows on
the workbench, to the members of its visibility range (`RangeEntry`)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from miniport.identities.models import Identity
from miniport.miniprograms.models import MiniProgram

CORP_ID_LENGTH = 18  # "ww" + 16 hex digits
NAME_MAX = 64


class Enterprise(models.Model):
    corp_id = models.CharField(max_length=CORP_ID_LENGTH, unique=True)
    name = models.CharField(max_length=NAME_MAX)
    # The legal identity it belongs to (accounts.selectors.principal_key), when known.
    principal_key = models.CharField(max_length=128, blank=True)
    administrators = models.ManyToManyField(Identity, related_name="administered_enterprises")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.corp_id})"


class Department(models.Model):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="departments")
    # None only for the enterprise's root department, made with the enterprise.
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    name = models.CharField(max_length=NAME_MAX)
    # "/<root pk>/.../<own pk>/": a department's subtree is every path starting with its
    # own, so "in range through a parent department" is one prefix test. Departments do
    # not move, so the path never changes.
    path = models.CharField(max_length=1024, blank=True, db_index=True)
    depth = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "parent", "name"],
                condition=Q(parent__isnull=False),
                name="enterprise_department_name_unique_per_parent",
            ),
            models.UniqueConstraint(
                fields=["enterprise"],
                condition=Q(parent__isnull=True),
                name="enterprise_one_root_department",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Member(models.Model):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="members")
    identity = models.ForeignKey(
        Identity, on_delete=models.CASCADE, related_name="enterprise_memberships"
    )
    departments = models.ManyToManyField(Department, related_name="members")
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "identity"], name="enterprise_member_once"
            )
        ]

    def __str__(self) -> str:
        return f"member {self.identity_id} of {self.enterprise_id}"


class AssociationStatus(models.TextChoices):
    # WW-3: waiting for the mini program administrator's scan.
    WAITING_MINIPROGRAM = "waiting_mp", _("Waiting for the mini program administrator")
    # WW-2 from the mini program side: authorised by scan, waiting for the enterprise.
    WAITING_ENTERPRISE = "waiting_corp", _("Waiting for the enterprise")
    ACTIVE = "active", _("Associated")
    ENDED = "ended", _("Ended")


LIVE_STATUSES = (
    AssociationStatus.WAITING_MINIPROGRAM,
    AssociationStatus.WAITING_ENTERPRISE,
    AssociationStatus.ACTIVE,
)


class StartedBy(models.TextChoices):
    ENTERPRISE = "enterprise", _("The enterprise")
    MINIPROGRAM = "miniprogram", _("The mini program")


class Association(models.Model):
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="associations"
    )
    miniprogram = models.ForeignKey(
        MiniProgram, on_delete=models.CASCADE, related_name="enterprise_associations"
    )
    status = models.CharField(max_length=12, choices=AssociationStatus.choices)
    started_by = models.CharField(max_length=12, choices=StartedBy.choices)
    requested_by = models.CharField(max_length=200, blank=True)
    requested_at = models.DateTimeField()
    authorized_by = models.ForeignKey(
        Identity, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    authorized_at = models.DateTimeField(null=True, blank=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    # Why it ended: removed / refused / cancelled / expired, and by which side.
    end_reason = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            # One live association per enterprise and mini program; ended ones stay as
            # the record WW-5 lists.
            models.UniqueConstraint(
                fields=["enterprise", "miniprogram"],
                condition=Q(status__in=[s.value for s in LIVE_STATUSES]),
                name="enterprise_one_live_association",
            )
        ]

    def __str__(self) -> str:
        return f"{self.miniprogram_id} in {self.enterprise_id} ({self.status})"


class RangeEntry(models.Model):
    """WW-4: one department (with its subdepartments) or one member in the visibility
    range of an association."""

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="range")
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(department__isnull=False, member__isnull=True)
                | Q(department__isnull=True, member__isnull=False),
                name="enterprise_range_entry_names_one",
            ),
            models.UniqueConstraint(
                fields=["association", "department"],
                condition=Q(department__isnull=False),
                name="enterprise_range_department_once",
            ),
            models.UniqueConstraint(
                fields=["association", "member"],
                condition=Q(member__isnull=False),
                name="enterprise_range_member_once",
            ),
        ]

    def __str__(self) -> str:
        return f"range of {self.association_id}"
