"""Notifications of a mini program (B-6, VER-5): the console's message centre and the
webhook endpoints configured in development settings. Deliveries themselves, and their
log, are the kernel's (`core.Delivery`, `core.DeliveryAttempt`)."""

from django.db import models


class Message(models.Model):
    """One message in the console's message centre; unread until `read_at`."""

    miniprogram = models.ForeignKey(
        "miniprograms.MiniProgram", on_delete=models.CASCADE, related_name="messages"
    )
    kind = models.CharField(max_length=100, blank=True)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=500, blank=True)
    # The outbox event it tells of: a repeated delivery of one event posts no second message.
    event_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["miniprogram", "event_id"], name="miniprograms_message_once_per_event"
            )
        ]
        indexes = [models.Index(fields=["miniprogram", "read_at"])]

    def __str__(self) -> str:
        return self.title


class WebhookEndpoint(models.Model):
    """A URL that receives the mini program's events, signed with HMAC-SHA256 under a
    secret shown once at creation and kept sealed (`core.sealed`) for signing."""

    miniprogram = models.ForeignKey(
        "miniprograms.MiniProgram", on_delete=models.CASCADE, related_name="webhooks"
    )
    url = models.URLField(max_length=500)
    # Event kinds it receives: globs joined by "|" ("*": every event of the mini program).
    events = models.CharField(max_length=300, default="*")
    secret_sealed = models.TextField()
    secret_hint = models.CharField(max_length=8)
    active = models.BooleanField(default=True)
    created_by = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"webhook {self.url}"
