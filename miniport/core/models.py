from django.db import models


class PolicyOverride(models.Model):
    """An operator's value for one row of the table of `core.policy`."""

    key = models.CharField(max_length=100, unique=True)
    value = models.BigIntegerField()
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.key}={self.value}"


class QuotaCounter(models.Model):
    """Uses of one rule by one scope within one window (day, month, year or ever)."""

    scope = models.CharField(max_length=200)
    rule = models.CharField(max_length=100)
    window = models.CharField(max_length=20)
    used = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "rule", "window"], name="quota_one_counter_per_window"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.rule} {self.window}: {self.used}"


class AuditEntry(models.Model):
    """Append-only record of every action, in keyed hash chains (`core.audit`): one chain
    per mini program (`chain` is its appid) and the platform chain (`chain` is "")."""

    at = models.DateTimeField()
    actor_kind = models.CharField(max_length=20)
    actor_id = models.CharField(max_length=64, blank=True)
    actor_label = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=100)
    target_type = models.CharField(max_length=60, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    appid = models.CharField(max_length=32, blank=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    origin_ip = models.CharField(max_length=64, blank=True)
    origin_agent = models.CharField(max_length=300, blank=True)
    chain = models.CharField(max_length=32, blank=True, default="")
    seq = models.PositiveBigIntegerField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["action", "id"], name="audit_action_id"),
            models.Index(fields=["appid", "id"], name="audit_appid_id"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["chain", "seq"], name="audit_one_row_per_chain_seq"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} by {self.actor_label or self.actor_kind}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("audit entries are append-only")


class AuditChainHead(models.Model):
    """The newest row of one audit chain: writers of the chain lock this row (and only
    this row) to append, so writers of different chains never wait for each other."""

    chain = models.CharField(max_length=32, primary_key=True)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"{self.chain or '(platform)'} @{self.seq}"


class AuditCheckpoint(models.Model):
    """A signed anchor of one chain: its head and row count at `seq`. Deleting rows the
    checkpoint covers (truncation) or editing it shows on verification."""

    chain = models.CharField(max_length=32, blank=True)
    seq = models.PositiveBigIntegerField()
    head_hash = models.CharField(max_length=64)
    count = models.PositiveBigIntegerField()
    at = models.DateTimeField()
    signature = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["chain", "seq"], name="audit_one_checkpoint_per_seq"),
        ]

    def __str__(self) -> str:
        return f"{self.chain or '(platform)'} checkpoint @{self.seq}"


class AuditChainCheck(models.Model):
    """The stored result of the last verification of one chain (what the ops page shows
    without walking the log)."""

    chain = models.CharField(max_length=32, primary_key=True)
    checked_at = models.DateTimeField()
    ok = models.BooleanField()
    # How far the chain was verified: the newest row and checkpoint checked.
    seq = models.PositiveBigIntegerField(default=0)
    checkpoint_seq = models.PositiveBigIntegerField(default=0)
    full = models.BooleanField(default=False)
    broken_entry = models.BigIntegerField(null=True, blank=True)
    broken_seq = models.PositiveBigIntegerField(null=True, blank=True)
    problem = models.CharField(max_length=200, blank=True)

    class Meta:
        # Only the broken chains, newest first: the audit page reads the newest of them on
        # every view, and a partial index keeps that a seek however many chains there are
        # (on SQLite, `NOT ok` could not use an (ok, checked_at) index; issue 14 item 2).
        indexes = [
            models.Index(
                fields=["-checked_at"], condition=models.Q(ok=False), name="audit_check_broken"
            )
        ]

    def __str__(self) -> str:
        return f"{self.chain or '(platform)'}: {'ok' if self.ok else self.problem}"


class OutboxEvent(models.Model):
    """An event written in the same transaction as the change that caused it."""

    kind = models.CharField(max_length=100, db_index=True)
    appid = models.CharField(max_length=32, blank=True, db_index=True)
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["delivered_at", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind}"


class DeliveryState(models.TextChoices):
    PENDING = "pending", "pending"
    DELIVERED = "delivered", "delivered"
    FAILED = "failed", "failed"


class Delivery(models.Model):
    """One event on its way to one receiver of one delivery route (`core.deliveries`):
    made when the event is fanned out, attempted by workers, retried with backoff until it
    is delivered or has used the route's attempts (B-6). `next_attempt_at` is also the
    lease: a worker that takes the delivery moves it past the attempt's end."""

    event = models.ForeignKey(OutboxEvent, on_delete=models.CASCADE, related_name="deliveries")
    route = models.CharField(max_length=100)
    # What the route delivers to, in its own terms (a webhook endpoint's id, ""); one
    # delivery per event, route and recipient.
    recipient = models.CharField(max_length=100, blank=True)
    appid = models.CharField(max_length=32, blank=True, db_index=True)
    state = models.CharField(
        max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    max_attempts = models.PositiveIntegerField()
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "route", "recipient"], name="core_delivery_once_per_recipient"
            )
        ]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"]),
            models.Index(fields=["route", "recipient"]),
        ]

    def __str__(self) -> str:
        return f"delivery #{self.pk} of event {self.event_id} by {self.route}"


class DeliveryAttempt(models.Model):
    """The delivery log: one row per attempt, with what the receiver answered (B-6)."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField()
    status_code = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    # When the next attempt is due; null when this attempt ended the delivery.
    next_retry_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-delivery_id", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["delivery", "number"], name="core_delivery_attempt_number_once"
            )
        ]

    def __str__(self) -> str:
        return f"attempt {self.number} of delivery {self.delivery_id}"


class UsedOnce(models.Model):
    """A request that may be answered once (a signed upload's signature), by the digest
    of its key, until it could no longer pass its freshness check anyway."""

    digest = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.digest[:12]} until {self.expires_at:%Y-%m-%d %H:%M:%S}"
