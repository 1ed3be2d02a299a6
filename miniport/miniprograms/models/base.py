"""Mini programs: the thing a registration creates and the console manages."""

from django.db import models


class MiniProgram(models.Model):
    appid = models.CharField(max_length=32, unique=True)
    account = models.OneToOneField(
        "accounts.Account", on_delete=models.CASCADE, related_name="miniprogram"
    )
    subject = models.OneToOneField(
        "accounts.Subject", on_delete=models.PROTECT, related_name="miniprogram"
    )
    admin_identity = models.ForeignKey(
        "identities.Identity", on_delete=models.PROTECT, related_name="administered"
    )
    # Unique on the platform once set (INF-2); null until the first name is approved.
    name = models.CharField(max_length=60, null=True, blank=True, unique=True)
    # INF-3..INF-5; the name itself changes only through an approved name review (INF-2).
    short_name = models.CharField(max_length=30, blank=True)
    avatar = models.FileField(upload_to="avatars/", blank=True)
    introduction = models.CharField(max_length=200, blank=True)
    # The AppSecret is stored as a keyed hash only (DEV-2); empty until first generated.
    secret_digest = models.CharField(max_length=64, blank=True)
    secret_set_at = models.DateTimeField(null=True, blank=True)
    first_released_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name or self.appid

    @property
    def registration(self):
        return self.subject.registration

    @property
    def is_active(self) -> bool:
        return self.subject.registration.status == "active"

    @property
    def is_certified(self) -> bool:
        return self.subject.is_certified
