"""Official accounts (OA-1..OA-3): the accounts, their access tokens and their
associations with mini programs."""

from django.db import models
from django.db.models import Q

from miniport.core.vault import SealedTextField


class OfficialAccount(models.Model):
    # Of the same shape as a mini program's AppID and never one a mini program or plugin
    # holds (services.new_official_appid).
    appid = models.CharField(max_length=32, unique=True)
    original_id = models.CharField(max_length=32, unique=True)  # gh_ + 12 hex
    name = models.CharField(max_length=60)
    introduction = models.CharField(max_length=200, blank=True)
    # Who it belongs to in law (accounts.selectors.principal_key): OA-2 counts the
    # associated mini programs of the same subject and of others by it.
    principal_key = models.CharField(max_length=100, db_index=True)
    subject_name = models.CharField(max_length=100, blank=True)
    admin_identity = models.ForeignKey(
        "identities.Identity", on_delete=models.PROTECT, related_name="official_accounts"
    )
    secret_digest = models.CharField(max_length=64, blank=True)
    # The menu (menu.py validates it): a list of buttons, each a URL or a mini program.
    menu = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class OfficialAccountToken(models.Model):
    """An access token of an official account, kept as a keyed digest; the stable
    family keeps its text sealed, to hand the same token back."""

    official_account = models.ForeignKey(
        OfficialAccount, on_delete=models.CASCADE, related_name="tokens"
    )
    family = models.CharField(max_length=10)  # "token" or "stable"
    digest = models.CharField(max_length=64, unique=True)
    clear = SealedTextField(blank=True)
    issued_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    valid_until = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["official_account", "family", "valid_until"])]

    def __str__(self) -> str:
        return f"{self.family} token of {self.official_account_id}"


class LinkStatus(models.IntegerChoices):
    # The numbers are wxamplinkget's `status`.
    LINKED = 1, "linked"
    WAITING = 2, "waiting for the mini program administrator"
    REFUSED = 3, "refused by the mini program administrator"
    # Platform-only states, never listed by wxamplinkget.
    EXPIRED = 20, "expired"
    UNLINKED = 21, "unlinked"


LIVE_STATES = (LinkStatus.LINKED, LinkStatus.WAITING)


class OfficialAccountLink(models.Model):
    """One association request and, once confirmed, the association (OA-3)."""

    official_account = models.ForeignKey(
        OfficialAccount, on_delete=models.CASCADE, related_name="links"
    )
    miniprogram = models.ForeignKey(
        "miniprograms.MiniProgram", on_delete=models.CASCADE, related_name="official_links"
    )
    status = models.PositiveSmallIntegerField(choices=LinkStatus.choices)
    # Decided at request: OA-2 counts same-subject and other-subject places apart.
    same_subject = models.BooleanField()
    notify_users = models.BooleanField(default=False)
    show_profile = models.BooleanField(default=False)
    requested_by = models.CharField(max_length=200, blank=True)
    requested_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            # One waiting request or association per pair.
            models.UniqueConstraint(
                fields=["official_account", "miniprogram"],
                condition=Q(status__in=[1, 2]),
                name="oa_link_one_live_per_pair",
            ),
        ]
        indexes = [models.Index(fields=["miniprogram", "status"])]

    def __str__(self) -> str:
        return f"{self.official_account_id} → {self.miniprogram_id} ({self.status})"
