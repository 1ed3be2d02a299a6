"""Code packages, development versions, the experience version, review submissions,
releases and the visit status (VER-1..VER-7, B-5).

The database holds the invariants the services rely on, so that no path around them
(a second process, a bug, a shell) can break them:
- a code package is stored once per sha256;
- at most one experience version per mini program (one-to-one);
- at most one open submission per mini program (partial unique constraint; the review
  machine also holds one open review per target);
- at most one current release and at most one gray release per mini program;
- a gray percentage between 0 and 100.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CodePackage(models.Model):
    """The bytes of an upload, stored once by their sha256 (`packages.storage`)."""

    sha256 = models.CharField(max_length=64, unique=True)
    # Size of the archive as stored, in bytes.
    size = models.BigIntegerField()
    storage_name = models.CharField(max_length=255)
    # `PackageManifest.as_dict()` of the validation that admitted it.
    manifest = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"package {self.sha256[:12]} ({self.size} bytes)"


class VersionSource(models.TextChoices):
    CONSOLE = "console", _("console")
    CLI = "cli", _("command line")
    API = "api", _("server API")
    TEMPLATE = "template", _("template")


class DevVersion(models.Model):
    """One upload of a developer (VER-1). Every upload is kept; "the latest per
    developer" is a selector."""

    miniprogram = models.ForeignKey(
        "miniprograms.MiniProgram", on_delete=models.CASCADE, related_name="dev_versions"
    )
    developer_identity = models.ForeignKey(
        "identities.Identity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dev_versions",
    )
    # Who uploaded it as shown in the console (a WeChat ID, "CI upload key", an AppID).
    developer_label = models.CharField(max_length=200)
    user_version = models.CharField(max_length=64)
    user_desc = models.CharField(max_length=500, blank=True)
    package = models.ForeignKey(CodePackage, on_delete=models.PROTECT, related_name="versions")
    source = models.CharField(
        max_length=10, choices=VersionSource.choices, default=VersionSource.CONSOLE
    )
    template_id = models.BigIntegerField(null=True, blank=True)
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        indexes = [
            models.Index(fields=["miniprogram", "-uploaded_at"], name="devversion_app_time_idx")
        ]

    def __str__(self) -> str:
        return f"{self.user_version} by {self.developer_label}"


class Experience(models.Model):
    """The development version chosen as the experience (trial) version (VER-2)."""

    miniprogram = models.OneToOneField(
        "miniprograms.MiniProgram", on_delete=models.CASCADE, related_name="experience"
    )
    dev_version = models.ForeignKey(
        DevVersion, on_delete=models.PROTECT, related_name="experiences"
    )
    set_by = models.CharField(max_length=200, blank=True)
    set_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"experience {self.dev_version_id} of {self.miniprogram_id}"


class SubmissionState(models.TextChoices):
    """The review's state as the submission mirrors it; WeChat's audit status numbers
    (wechat-api 4.6) are `AUDIT_STATUS`."""

    PENDING = "pending", _("under review")
    DELAYED = "delayed", _("review delayed")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrawn")


OPEN_SUBMISSION_STATES: tuple[str, ...] = (SubmissionState.PENDING, SubmissionState.DELAYED)

# wechat-api 4.6: 0 approved, 1 rejected, 2 in review, 3 withdrawn, 4 delayed.
AUDIT_STATUS: dict[str, int] = {
    SubmissionState.APPROVED: 0,
    SubmissionState.REJECTED: 1,
    SubmissionState.PENDING: 2,
    SubmissionState.WITHDRAWN: 3,
    SubmissionState.DELAYED: 4,
}


class Submission(models.Model):
    """One submission of a development version for review (VER-3..VER-5)."""

    miniprogram = models.ForeignKey(
        "miniprograms.MiniProgram", on_delete=models.CASCADE, related_name="submissions"
    )
    dev_version = models.ForeignKey(
        DevVersion, on_delete=models.PROTECT, related_name="submissions"
    )
    # 1..5 groups: address, tag, first_class, second_class, first_id, second_id, title.
    items = models.JSONField(default=list)
    description = models.TextField(blank=True)
    feedback = models.CharField(max_length=200, blank=True)
    screenshots = models.JSONField(default=list, blank=True)
    # Only while the test-account entry is open (VER-4): {"account": ..., "password": ...}.
    test_account = models.JSONField(null=True, blank=True)
    prechecks = models.JSONField(default=list, blank=True)
    diff = models.JSONField(default=dict, blank=True)
    review = models.OneToOneField(
        "review.Review",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="code_submission",
    )
    state = models.CharField(
        max_length=12, choices=SubmissionState.choices, default=SubmissionState.PENDING
    )
    # The reviewer's reasons (rejection or delay) as the review machine recorded them, and
    # the rejection catalog keys among them (VER-5).
    reasons = models.JSONField(default=list, blank=True)
    reason_keys = models.JSONField(default=list, blank=True)
    # The reviewer asked for a test account (VER-4): the next submission needs one.
    test_account_requested = models.BooleanField(default=False)
    submitted_by = models.CharField(max_length=200, blank=True)
    submitted_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    # WeChat's audit id (get_auditstatus): the review machine's review number.
    auditid = models.BigIntegerField(unique=True, null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            # At most one open submission per mini program (85009).
            models.UniqueConstraint(
                fields=["miniprogram"],
                condition=Q(state__in=OPEN_SUBMISSION_STATES),
                name="submission_one_open_per_miniprogram",
            ),
        ]

    def __str__(self) -> str:
        return f"submission {self.pk} of {self.miniprogram_id} ({self.state})"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_SUBMISSION_STATES

    @property
    def audit_status(self) -> int:
        return AUDIT_STATUS[self.state]


class ReleaseState(models.TextChoices):
    CURRENT = "current", _("online")
    GRAY = "gray", _("gray release")
    SUPERSEDED = "superseded", _("superseded")
    ROLLED_BACK = "rolled_back", _("rolled back")
    GRAY_CANCELLED = "gray_cancelled", _("gray release cancelled")


# States of a release that was online for everyone once: rollback targets (B-5).
RELEASED_STATES: tuple[str, ...] = (ReleaseState.SUPERSEDED, ReleaseState.ROLLED_BACK)


class Release(models.Model):
    """A version put online (VER-6, VER-7) or in gray release (B-5). A rollback puts an
    earlier release's version online again as a new row that names it."""

    miniprogram = models.ForeignKey(
        "miniprograms.MiniProgram", on_delete=models.CASCADE, related_name="releases"
    )
    dev_version = models.ForeignKey(DevVersion, on_delete=models.PROTECT, related_name="releases")
    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="releases")
    rollback_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="rollbacks"
    )
    released_by_label = models.CharField(max_length=200, blank=True)
    released_at = models.DateTimeField()
    # Share of users who get this version while it is in gray release; 100 once current.
    gray_percentage = models.PositiveSmallIntegerField(default=100)
    # While in gray: project members (WeChat's "debuggers") get it first, and experience
    # members with experiencers_first (support_debuger_first, support_experiencer_first).
    members_first = models.BooleanField(default=False)
    experiencers_first = models.BooleanField(default=False)
    state = models.CharField(max_length=16, choices=ReleaseState.choices)
    # When it stopped being current or gray.
    ended_at = models.DateTimeField(null=True, blank=True)
    # When it began in gray release, if it did; kept once it went to everyone or was
    # cancelled, so getgrayreleaseplan tells a finished plan (3) and a deleted one (4)
    # from a version released to everyone at once.
    gray_started_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["miniprogram"],
                condition=Q(state="current"),
                name="release_one_current_per_miniprogram",
            ),
            models.UniqueConstraint(
                fields=["miniprogram"],
                condition=Q(state="gray"),
                name="release_one_gray_per_miniprogram",
            ),
            models.CheckConstraint(
                condition=Q(gray_percentage__gte=0) & Q(gray_percentage__lte=100),
                name="release_gray_percentage_0_100",
            ),
        ]

    def __str__(self) -> str:
        return f"release {self.pk} of {self.miniprogram_id} ({self.state})"


class VisitStatus(models.Model):
    """Whether users may open the mini program (change_visitstatus). No row: open."""

    miniprogram = models.OneToOneField(
        "miniprograms.MiniProgram", on_delete=models.CASCADE, related_name="visit_status"
    )
    is_open = models.BooleanField(default=True)
    changed_by = models.CharField(max_length=200, blank=True)
    changed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.miniprogram_id}: {'open' if self.is_open else 'closed'}"


# --- The template library (wechat-api 4.1, 13: commit, addtotemplate, gettemplatelist) --
# A template is a development version kept as a starting point for other mini programs:
# the "draft" is a development version (`DevVersion`), the template keeps its package.
# Miniport has no separate third-party platform: a mini program's library is shared by
# every mini program with the same administrator (see `template_selectors`).


class TemplateType(models.IntegerChoices):
    ORDINARY = 0, _("ordinary template")
    STANDARD = 1, _("standard template")


class Template(models.Model):
    """A code package added to the template library from a draft (addtotemplate); its
    number is WeChat's template_id. `commit` uploads it, with the caller's ext.json, as a
    development version of the caller and makes that the experience version."""

    source_miniprogram = models.ForeignKey(
        "miniprograms.MiniProgram", on_delete=models.CASCADE, related_name="templates"
    )
    # The draft it was made from; the template outlives the draft's row.
    source_version = models.ForeignKey(
        DevVersion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="templates",
    )
    package = models.ForeignKey(CodePackage, on_delete=models.PROTECT, related_name="templates")
    user_version = models.CharField(max_length=64)
    user_desc = models.CharField(max_length=500, blank=True)
    developer_label = models.CharField(max_length=200, blank=True)
    template_type = models.PositiveSmallIntegerField(
        choices=TemplateType.choices, default=TemplateType.ORDINARY
    )
    created_by = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"template {self.pk} ({self.user_version})"
