"""Console accounts (one email, one mini program), registrations and subjects."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from miniport.accounts.errors import AccountError
from miniport.core import clock
from miniport.core.errors import PlatformError
from miniport.core.vault import SealedJSONField, SealedTextField


class AccountManager(BaseUserManager["Account"]):
    def create_user(self, email: str, password: str | None = None, **extra: Any) -> Account:
        account = self.model(email=self.normalize_email(email).lower(), **extra)
        account.set_password(password)
        account.save(using=self._db)
        return account

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> Account:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("is_active", True)
        return self.create_user(email, password, **extra)


class AccountKind(models.TextChoices):
    MINIPROGRAM = "miniprogram", _("mini program")
    OFFICIAL_ACCOUNT = "official_account", _("official account")
    OPEN_PLATFORM = "open_platform", _("open platform")
    ENTERPRISE = "enterprise", _("enterprise account")
    STAFF = "staff", _("platform staff")


class Account(AbstractBaseUser, PermissionsMixin):
    """A login of the platform. Mini program accounts log in to the console; staff to ops.
    Other kinds exist so that REG-2 can refuse an email any account kind already uses."""

    email = models.EmailField(_("email"), unique=True)
    kind = models.CharField(
        max_length=20, choices=AccountKind.choices, default=AccountKind.MINIPROGRAM
    )
    # is_active is Django's login switch: false until the email is activated (REG-3).
    is_active = models.BooleanField(default=False)
    is_staff = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    activation_sent_at = models.DateTimeField(null=True, blank=True)

    objects = AccountManager()
    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"

    def __str__(self) -> str:
        return self.email


class RegistrationStatus(models.TextChoices):
    PENDING_ACTIVATION = "pending_activation", _("waiting for email activation")
    PENDING_INFORMATION = "pending_information", _("waiting for information registration")
    PENDING_REMITTANCE = "pending_remittance", _("waiting for remittance")
    PENDING_CERTIFICATION = "pending_certification", _("waiting for certification")
    ACTIVE = "active", _("active")
    FAILED = "failed", _("failed")


# The only legal moves; every service checks here before changing a status.
REGISTRATION_TRANSITIONS: dict[str, set[str]] = {
    RegistrationStatus.PENDING_ACTIVATION: {RegistrationStatus.PENDING_INFORMATION},
    RegistrationStatus.PENDING_INFORMATION: {
        RegistrationStatus.PENDING_REMITTANCE,
        RegistrationStatus.PENDING_CERTIFICATION,
        RegistrationStatus.ACTIVE,
    },
    RegistrationStatus.PENDING_REMITTANCE: {RegistrationStatus.ACTIVE, RegistrationStatus.FAILED},
    RegistrationStatus.PENDING_CERTIFICATION: {
        RegistrationStatus.ACTIVE,
        RegistrationStatus.FAILED,
    },
    RegistrationStatus.ACTIVE: set(),
    RegistrationStatus.FAILED: set(),
}


class SubjectType(models.TextChoices):
    PERSONAL = "personal", _("personal")
    ENTERPRISE = "enterprise", _("enterprise")
    INDIVIDUAL_BUSINESS = "individual_business", _("enterprise (individual business)")
    GOVERNMENT = "government", _("government")
    MEDIA = "media", _("media")
    OTHER = "other", _("other organization")


class VerificationMethod(models.TextChoices):
    NONE = "none", _("identity check only")
    REMITTANCE = "remittance", _("corporate remittance")
    CERTIFICATION = "certification", _("certification")


class Registration(models.Model):
    account = models.OneToOneField(Account, on_delete=models.CASCADE, related_name="registration")
    status = models.CharField(
        max_length=30,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.PENDING_ACTIVATION,
    )
    agreed_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The remittance deadline is derived from confirmed_at when read (DESIGN: no scheduler needed).
    failed_at = models.DateTimeField(null=True, blank=True)
    fail_reason = models.CharField(max_length=300, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    # The AppID of the mini program this registration opened (REG-9), recorded when it was
    # opened; empty before. Audit rows and events of the registration carry it.
    appid = models.CharField(max_length=32, blank=True, default="")
    # The remittance's deadline, copied here when the remittance is drawn up (it never
    # changes), so that the sweep finds the overdue registrations among those waiting by
    # one index seek instead of checking every waiting one (issue 14 item 2). The
    # remittance's own deadline stays the one that decides (`remittance_overdue`).
    remittance_due = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # The ops list filtered by status, newest first, by keyset on the id.
            models.Index(fields=["status", "id"], name="registration_status_id"),
            # The registrations waiting for a remittance, by their deadline: the sweep seeks
            # the overdue ones (equality on the status, then a range; a partial index on the
            # deadline alone lost to the one above on SQLite).
            models.Index(fields=["status", "remittance_due"], name="registration_remittance_due"),
        ]

    def __str__(self) -> str:
        return f"{self.account.email} ({self.status})"


# Why a remittance registration fails when its window closes (REG-6), stored and shown.
# Stored in English; pages show it through the catalog.
REMITTANCE_OVERDUE_REASON = gettext_noop("remittance not received within the deadline")


class RegistrationHistory(models.Model):
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=30)
    to_status = models.CharField(max_length=30)
    at = models.DateTimeField()
    actor_label = models.CharField(max_length=200, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.from_status} -> {self.to_status}"


class SubjectQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        # REG-9 also holds for bulk writes: no identity field of a confirmed subject changes.
        if (
            set(kwargs) & set(Subject.IMMUTABLE_FIELDS)
            and self.filter(confirmed_at__isnull=False).exists()
        ):
            raise PlatformError(AccountError.SUBJECT_IMMUTABLE)
        return super().update(**kwargs)


class Subject(models.Model):
    """The legal subject behind a mini program. Immutable once confirmed (REG-9)."""

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="subject"
    )
    country = models.CharField(max_length=2, default="CN")
    subject_type = models.CharField(max_length=30, choices=SubjectType.choices)
    verification_method = models.CharField(max_length=20, choices=VerificationMethod.choices)
    name = models.CharField(max_length=100)
    # Personal subjects: the ID card number; organizations: empty. The ID numbers and the
    # phone are personal data, sealed at rest (core.vault); admin_id_digest is the lookup.
    id_number = SealedTextField(blank=True)
    # Organizations: unified social credit code (or registration number).
    credit_code = models.CharField(max_length=30, blank=True)
    admin_name = models.CharField(max_length=64)
    admin_id_number = SealedTextField()
    admin_id_digest = models.CharField(max_length=64, db_index=True)
    admin_phone = SealedTextField()
    admin_identity = models.ForeignKey(
        "identities.Identity", on_delete=models.PROTECT, related_name="subjects"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # When the subject was last certified, and until when that holds (CER-1: one year,
    # renewed by a new certification). Expiry is computed when read: no sweep is needed
    # for the certified mark, the member limits or payment to fall away.
    certified_at = models.DateTimeField(null=True, blank=True)
    certified_until = models.DateTimeField(null=True, blank=True)

    objects = SubjectQuerySet.as_manager()

    class Meta:
        indexes = [
            # The ops registration list filtered by subject type or verification method,
            # newest registration first (issue 14 item 2).
            models.Index(fields=["subject_type", "registration"], name="subject_type_registration"),
            models.Index(
                fields=["verification_method", "registration"], name="subject_method_registration"
            ),
        ]

    IMMUTABLE_FIELDS = (
        "country",
        "subject_type",
        "verification_method",
        "name",
        "id_number",
        "credit_code",
        "admin_name",
        "admin_id_number",
        "admin_id_digest",
        "admin_phone",
        "confirmed_at",
    )

    def __str__(self) -> str:
        return f"{self.masked_name} ({self.subject_type})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Last line of defence for REG-9: a confirmed subject's identity fields never change.
        if self.pk is not None:
            stored = Subject.objects.filter(pk=self.pk).values(*self.IMMUTABLE_FIELDS).first()
            if stored is not None and stored["confirmed_at"] is not None:
                changed = [f for f in self.IMMUTABLE_FIELDS if stored[f] != getattr(self, f)]
                if changed:
                    raise PlatformError(AccountError.SUBJECT_IMMUTABLE)
        super().save(*args, **kwargs)

    @property
    def is_certified(self) -> bool:
        return self.certified_until is not None and clock.now() < self.certified_until

    @property
    def certification_expired(self) -> bool:
        """Certified once, and that certification has run out (CER-1)."""
        return self.certified_until is not None and clock.now() >= self.certified_until

    @property
    def masked_name(self) -> str:
        return (
            self.name[:1] + "*" * max(1, len(self.name) - 1)
            if self.subject_type == SubjectType.PERSONAL
            else self.name
        )


class Draft(models.Model):
    """Information being registered, before the final confirmation writes the Subject."""

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="draft"
    )
    # What was entered so far, ID numbers and phone among it: sealed as a whole.
    data = SealedJSONField(default=dict)
    admin_check_ticket = models.CharField(max_length=64, blank=True)
    admin_identity = models.ForeignKey(
        "identities.Identity", null=True, blank=True, on_delete=models.SET_NULL
    )
    phone_verified = SealedTextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"draft of registration {self.registration_id}"


class ActivationToken(models.Model):
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="activation_tokens")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"activation of account {self.account_id}"


class SmsCode(models.Model):
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="sms_codes"
    )
    # Only looked up (the code sent to this phone): its keyed digest (core.ids.digest).
    phone_digest = models.CharField(max_length=64)
    code_digest = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"SMS code of registration {self.registration_id}"


class Remittance(models.Model):
    """The corporate remittance a registration waits for (REG-6a)."""

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="remittance"
    )
    amount_fen = models.PositiveIntegerField()
    payer_name = models.CharField(max_length=100)
    reference = models.CharField(max_length=20, unique=True)
    receiving_account_name = models.CharField(max_length=100)
    receiving_account_number = models.CharField(max_length=40)
    receiving_bank = models.CharField(max_length=100)
    deadline = models.DateTimeField()
    matched_at = models.DateTimeField(null=True, blank=True)
    statement_line = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return f"remittance {self.reference}"


class CertificationOrderStatus(models.TextChoices):
    UNPAID = "unpaid", _("unpaid")
    PAID = "paid", _("paid, waiting for certification")
    CERTIFIED = "certified", _("certified")
    REJECTED = "rejected", _("rejected")


class CertificationOrder(models.Model):
    """The 300 CNY certification fee, recorded as an order (REG-6b, REG-7, CER-2)."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="certification_orders"
    )
    amount_fen = models.PositiveIntegerField()
    status = models.CharField(
        max_length=20,
        choices=CertificationOrderStatus.choices,
        default=CertificationOrderStatus.UNPAID,
    )
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return f"certification order {self.pk} ({self.status})"


class LoginFailure(models.Model):
    email = models.CharField(max_length=254, db_index=True)
    ip = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"login failure at {self.at:%Y-%m-%d %H:%M:%S}"


class BankStatementImport(models.Model):
    imported_at = models.DateTimeField()
    imported_by = models.CharField(max_length=200)
    filename = models.CharField(max_length=200, blank=True)
    lines = models.PositiveIntegerField(default=0)
    matched = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"statement {self.pk} ({self.matched}/{self.lines} matched)"


class UnmatchedRemittanceLine(models.Model):
    """A statement line no registration claimed; an operator decides by hand."""

    statement = models.ForeignKey(
        BankStatementImport, on_delete=models.CASCADE, related_name="unmatched"
    )
    date = models.CharField(max_length=20)
    payer_name = models.CharField(max_length=100)
    amount_fen = models.PositiveIntegerField()
    reference = models.CharField(max_length=100, blank=True)
    reason = models.CharField(max_length=200)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return f"unmatched line {self.pk} of statement {self.statement_id}"


class PasswordResetToken(models.Model):
    """A "forgot password" link (issue 10 item 2): only the token's keyed digest is kept.
    It opens once, before `expires_at`, while the account's password is still the one it
    was issued for (`password_digest`); a newer link or a used one ends the others."""

    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="password_reset_tokens"
    )
    digest = models.CharField(max_length=64, unique=True)
    # Keyed digest of the password hash the link was issued under: a password changed
    # any other way also ends the link.
    password_digest = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    # Set when a newer link or a password change ended it unused.
    voided_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"password reset of account {self.account_id}"


class PasswordResetRequest(models.Model):
    """Every "forgot password" request, known email or not, counted by the throttle per
    email (its keyed digest, never the address in clear) and per client address."""

    email_digest = models.CharField(max_length=64, db_index=True)
    ip = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"password reset request at {self.at:%Y-%m-%d %H:%M:%S}"
