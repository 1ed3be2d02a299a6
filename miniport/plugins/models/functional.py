"""Development previews of functional pages (FP-7): an identity that opened the owner
mini program's development version may test its functional pages with
`version="develop"` until `functional.develop_valid_seconds` after that opening."""

from __future__ import annotations

from django.db import models


class FunctionalPreview(models.Model):
    identity = models.ForeignKey(
        "identities.Identity", on_delete=models.CASCADE, related_name="functional_previews"
    )
    owner = models.ForeignKey(
        "miniprograms.MiniProgram", on_delete=models.CASCADE, related_name="functional_previews"
    )
    # The development version opened; its package's functional pages are the ones tested.
    dev_version = models.ForeignKey(
        "releases.DevVersion", on_delete=models.CASCADE, related_name="functional_previews"
    )
    opened_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["identity", "owner"], name="functional_preview_one_per_identity"
            ),
        ]

    def __str__(self) -> str:
        return f"preview of {self.owner_id} by {self.identity_id}"
