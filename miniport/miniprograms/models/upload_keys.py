"""Upload keys (B-10, VER-1): the key pairs that let automation upload code, like WeChat's
CI code-upload key. Only the public half is kept; the private key is handed out once."""

from django.db import models


class UploadKey(models.Model):
    miniprogram = models.ForeignKey(
        "miniprograms.MiniProgram", on_delete=models.CASCADE, related_name="upload_keys"
    )
    name = models.CharField(max_length=64)
    # The Ed25519 public key, PEM (SubjectPublicKeyInfo); the private half is never stored.
    public_key = models.TextField()
    # sha256 (hex) of the raw 32-byte public key: what a signed request names.
    fingerprint = models.CharField(max_length=64, unique=True)
    created_by = models.CharField(max_length=200)
    created_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    last_used_ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"upload key {self.name} ({self.fingerprint[:12]})"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
