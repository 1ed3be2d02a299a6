"""Server API credentials: access tokens and login codes (wechat-api 1.2, 2, 3)."""

from django.db import models

from miniport.core.vault import SealedTextField


class TokenFamily(models.TextChoices):
    TOKEN = "token", "/cgi-bin/token"
    STABLE = "stable", "/cgi-bin/stable_token"


class AccessToken(models.Model):
    """Stored as a keyed hash. A token is valid until `valid_until`, which a newer token
    of the same family pulls in to the end of the grace window."""

    miniprogram = models.ForeignKey(
        "miniprograms.MiniProgram", on_delete=models.CASCADE, related_name="tokens"
    )
    family = models.CharField(max_length=10, choices=TokenFamily.choices)
    digest = models.CharField(max_length=64, unique=True)
    # Only stable tokens keep their text, sealed (core.vault): normal mode hands the same
    # token back.
    clear = SealedTextField(blank=True)
    issued_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    valid_until = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["miniprogram", "family", "issued_at"])]

    def __str__(self) -> str:
        return (
            f"{self.family} token of {self.miniprogram_id} issued {self.issued_at:%Y-%m-%d %H:%M}"
        )


class LoginCode(models.Model):
    """A wx.login code: issued by the host app for an identity, redeemed once by jscode2session."""

    miniprogram = models.ForeignKey(
        "miniprograms.MiniProgram", on_delete=models.CASCADE, related_name="login_codes"
    )
    identity = models.ForeignKey(
        "identities.Identity", on_delete=models.CASCADE, related_name="login_codes"
    )
    digest = models.CharField(max_length=64, unique=True)
    # Sealed (core.vault) until jscode2session hands it out once, then erased.
    session_key = SealedTextField(blank=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # jscode2session's per-user limit counts a user's recent codes per app. Not on
            # used_at: redeeming a code then rewrites no index, only its row.
            models.Index(
                fields=["identity", "miniprogram", "created_at"], name="logincode_user_created"
            ),
        ]

    def __str__(self) -> str:
        return f"login code of identity {self.identity_id} for {self.miniprogram_id}"
