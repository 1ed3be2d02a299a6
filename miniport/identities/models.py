"""Super-app users ("WeChat users" in the seeds) and their QR confirmation tickets."""

from datetime import date

from django.contrib.auth.hashers import check_password, make_password
from django.db import models
from django.utils.translation import gettext_lazy as _

from miniport.core.vault import SealedTextField


class Identity(models.Model):
    wechat_id = models.CharField(_("super-app ID"), max_length=40, unique=True)
    nickname = models.CharField(_("nickname"), max_length=64, blank=True)
    # Personal data, sealed at rest (core.vault); the attribute holds the clear value.
    phone = SealedTextField(_("phone"), blank=True)
    # Its keyed digest (core.ids.digest), for lookups: one phone per identity.
    phone_digest = models.CharField(max_length=64, blank=True, default="", editable=False)
    real_name = models.CharField(_("real name"), max_length=64, blank=True)
    id_number = SealedTextField(_("ID number"), blank=True)
    # Its keyed digest, for counting the identities one ID number backs.
    id_number_digest = models.CharField(
        max_length=64, blank=True, default="", editable=False, db_index=True
    )
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    real_name_verified = models.BooleanField(_("real-name verified"), default=False)
    searchable = models.BooleanField(default=True)
    # An email bound to the personal identity; REG-2 refuses it for registration.
    email = models.EmailField(blank=True, db_index=True)
    password = models.CharField(max_length=200, blank=True)
    # Demo identities are offered for one-click sign-in on the phone pages, in demo mode only.
    is_demo = models.BooleanField(_("demo identity"), default=False)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["phone_digest"],
                condition=~models.Q(phone_digest=""),
                name="identity_one_phone",
            )
        ]

    def __str__(self) -> str:
        return self.nickname or self.wechat_id

    def set_password(self, raw: str) -> None:
        self.password = make_password(raw)

    def check_password(self, raw: str) -> bool:
        return bool(self.password) and check_password(raw, self.password)

    def age_on(self, day: date) -> int | None:
        if self.birth_date is None:
            return None
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class TicketStatus(models.TextChoices):
    PENDING = "pending", _("waiting for scan")
    SCANNED = "scanned", _("scanned")
    CONFIRMED = "confirmed", _("confirmed")
    DENIED = "denied", _("denied")
    CONSUMED = "consumed", _("used")


class QrTicket(models.Model):
    """A single-use, short-lived confirmation requested by one browser session and
    confirmed (or denied) by an identity on its phone."""

    token = models.CharField(max_length=64, unique=True)
    # A key of the purpose registry (`identities.purposes`), filled by the domains that ask.
    purpose = models.CharField(max_length=20)
    status = models.CharField(
        max_length=10, choices=TicketStatus.choices, default=TicketStatus.PENDING
    )
    # Keyed hash of the requesting browser session: only that session may use the result.
    session_digest = models.CharField(max_length=64)
    requester_ip = models.CharField(max_length=64, blank=True)
    requester_agent = models.CharField(max_length=300, blank=True)
    # When set, only this identity may confirm.
    expected_identity = models.ForeignKey(
        Identity, null=True, blank=True, on_delete=models.CASCADE, related_name="expected_tickets"
    )
    # What the confirming identity must satisfy: {"real_name", "id_number_digest", "adult"}.
    requirements = models.JSONField(default=dict, blank=True)
    # What is being confirmed, shown on the phone and read back by the requesting flow.
    payload = models.JSONField(default=dict, blank=True)
    summary = models.CharField(max_length=300, blank=True)
    confirmed_by = models.ForeignKey(
        Identity, null=True, blank=True, on_delete=models.SET_NULL, related_name="confirmed_tickets"
    )
    failure = models.CharField(max_length=60, blank=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    consumed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.purpose} ({self.get_status_display()})"


class SignInFailure(models.Model):
    """A refused identity sign-in (wrong password or unknown WeChat ID), counted by
    `identities.throttle` per WeChat ID and address, per address and per WeChat ID."""

    # The WeChat ID as typed (trimmed), or empty when the input cannot be one.
    wechat_id = models.CharField(max_length=40, db_index=True)
    ip = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"sign-in failure at {self.at:%Y-%m-%d %H:%M:%S}"


class IdentitySmsCode(models.Model):
    """A code sent to a phone for the sign-up on the phone pages (issue 10 item 1): only
    digests are stored; single use, short-lived, a few tries (`identities.policy`)."""

    phone_digest = models.CharField(max_length=64, db_index=True)
    code_digest = models.CharField(max_length=64)
    # The address that asked, to throttle sending per address.
    ip = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(db_index=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"sign-up SMS code of {self.created_at:%Y-%m-%d %H:%M:%S}"
