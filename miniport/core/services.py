"""Operator actions on the kernel: policy overrides (B-8).

An override replaces a rule's default for the whole platform. Each change is audited
with the value in force before and after, and the cached overrides are dropped so the
next `policy.value` reads the new one.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.db import transaction

from miniport.core import audit, events, policy
from miniport.core.actors import Actor
from miniport.core.errors import CoreError, PlatformError
from miniport.core.models import PolicyOverride

# The override column is a signed 64-bit integer; every rule's own maximum lies below it.
_LARGEST_VALUE = 2**63 - 1


def _rule(key: str) -> policy.Rule:
    rule = policy.RULES_BY_KEY.get((key or "").strip())
    if rule is None:
        raise PlatformError(CoreError.POLICY_KEY_UNKNOWN, field="key", key=key)
    return rule


def _parse_value(value: int | str) -> int:
    """A whole number, 0 or more; one past the column's range comes back as just past it,
    so that the rule's own maximum refuses it (it is a whole number, only too large)."""
    if isinstance(value, bool):
        raise PlatformError(CoreError.POLICY_VALUE_INVALID, field="value")
    if isinstance(value, int):
        number = value
    else:
        text = str(value if value is not None else "").strip()
        # Digits only: no sign, no decimal point, no exponent, no underscores.
        if not text.isascii() or not text.isdigit():
            raise PlatformError(CoreError.POLICY_VALUE_INVALID, field="value")
        # Never more digits than the column holds read as a number (int() of thousands
        # of digits is refused by Python itself).
        number = int(text) if len(text.lstrip("0")) <= 19 else _LARGEST_VALUE + 1
    if number < 0:
        raise PlatformError(CoreError.POLICY_VALUE_INVALID, field="value")
    return min(number, _LARGEST_VALUE + 1)


def _forget() -> None:
    policy.forget_cached()
    # Again after commit: a reader could have cached the old value in between.
    transaction.on_commit(policy.forget_cached)


@contextmanager
def _changing_policy():
    """The transaction of an override change. A read of the policy inside it (the audit
    row's) sees, and caches, the uncommitted change: when the change fails and rolls
    back, the caches are dropped again, or every process would serve the undone value
    until the shared cache expires."""
    try:
        with transaction.atomic():
            yield
    except BaseException:
        policy.forget_cached()
        raise


def policy_set_override(*, actor: Actor, key: str, value: int | str) -> PolicyOverride:
    """Set the operator's value for one rule of the table of `core.policy`."""
    rule = _rule(key)
    number = _parse_value(value)
    if number > policy.highest(rule):
        raise PlatformError(
            CoreError.POLICY_VALUE_TOO_LARGE, field="value", maximum=policy.highest(rule)
        )
    if number < policy.lowest(rule):
        raise PlatformError(
            CoreError.POLICY_VALUE_TOO_SMALL, field="value", minimum=policy.lowest(rule)
        )
    _refuse_inverted_range(rule.key, number)
    with _changing_policy():
        row = PolicyOverride.objects.select_for_update().filter(key=rule.key).first()
        before = row.value if row is not None else rule.default
        if row is None:
            row = PolicyOverride.objects.create(key=rule.key, value=number)
        else:
            row.value = number
            row.save(update_fields=["value", "updated_at"])
        audit.record(
            actor,
            "policy.override_set",
            target=row,
            before={"key": rule.key, "value": before},
            after={"key": rule.key, "value": number, "default": rule.default},
        )
        events.emit("policy.changed", {"key": rule.key, "value": number})
        _forget()
    return row


def _refuse_inverted_range(key: str, number: int) -> None:
    """A range's lower end may not pass its upper end (name.min_length 40 with
    name.max_length 30 would refuse every name)."""
    pair = policy.range_partner(key)
    if pair is None:
        return
    low_key, high_key = pair
    if key == low_key and number > (high := policy.value(high_key)):
        raise PlatformError(
            CoreError.POLICY_RANGE_INVERTED, field="value", other=high_key, value=high
        )
    if key == high_key and number < (low := policy.value(low_key)):
        raise PlatformError(
            CoreError.POLICY_RANGE_INVERTED_LOW, field="value", other=low_key, value=low
        )


def policy_clear_override(*, actor: Actor, key: str) -> bool:
    """Return a rule to its default. Returns False when the rule had no override."""
    rule = _rule(key)
    with _changing_policy():
        row = PolicyOverride.objects.select_for_update().filter(key=rule.key).first()
        if row is None:
            return False
        before = row.value
        audit.record(
            actor,
            "policy.override_clear",
            target=row,
            before={"key": rule.key, "value": before},
            after={"key": rule.key, "value": rule.default, "default": rule.default},
        )
        row.delete()
        events.emit("policy.changed", {"key": rule.key, "value": rule.default})
        _forget()
    return True
