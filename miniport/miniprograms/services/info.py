"""What every information change shares (INF-1, INF-8): when information may be edited,
the quota rules and what is left of them, the locked mini program row."""

from __future__ import annotations

from dataclasses import dataclass

from miniport.core import policy, quotas
from miniport.core.actors import Actor
from miniport.core.errors import CoreError, ErrorCode, PlatformError
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.models import MiniProgram

STAFF_KINDS = frozenset({"staff", "system"})

NAME_BEFORE_RELEASE = "name.changes_before_release"
# Seed 004 states the yearly allowance after release for personal accounts only;
# organizations get the same row until an operator or a seed says otherwise.
NAME_AFTER_RELEASE = "name.changes_per_year_after_release_personal"
SHORT_NAME_RULE = "short_name.changes_per_year"
AVATAR_RULE = "avatar.changes_per_year"
INTRODUCTION_RULE = "introduction.changes_per_month"
CATEGORY_RULE = "categories.additions_per_month"


def quota_scope(miniprogram: MiniProgram) -> str:
    return f"miniprogram:{miniprogram.appid}"


# --- INF-1: when information may be completed -------------------------------------


def info_lock(miniprogram: MiniProgram) -> ErrorCode | None:
    """Why information cannot be edited yet, or None. Personal subjects edit at once;
    remittance-verified organizations once the remittance arrived (registration
    active); certification-verified ones only after certification (seed 001)."""
    subject = miniprogram.subject
    if subject.verification_method == "certification" and not subject.is_certified:
        return MiniProgramError.INFO_LOCKED_UNTIL_CERTIFIED
    if subject.verification_method == "remittance" and subject.registration.status != "active":
        return MiniProgramError.INFO_LOCKED_UNTIL_VERIFIED
    return None


def ensure_info_editable(miniprogram: MiniProgram, *, field: str | None = None) -> None:
    code = info_lock(miniprogram)
    if code is not None:
        raise PlatformError(code, field=field)


def lock_miniprogram(miniprogram: MiniProgram) -> MiniProgram:
    """The mini program row, locked for the rest of the transaction (PostgreSQL; SQLite
    serialises writers with IMMEDIATE transactions)."""
    return (
        MiniProgram.objects.select_for_update(of=("self",))
        .select_related("subject", "subject__registration")
        .get(pk=miniprogram.pk)
    )


def require_staff(actor: Actor) -> None:
    if actor.kind not in STAFF_KINDS:
        raise PlatformError(CoreError.PERMISSION_DENIED)


# --- remaining changes (INF-8, getaccountbasicinfo) -------------------------------


@dataclass(frozen=True)
class Allowance:
    rule: str
    window: str
    limit: int
    used: int

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.used)


def _allowance(miniprogram: MiniProgram, rule: str, window: str) -> Allowance:
    return Allowance(
        rule=rule,
        window=window,
        limit=policy.value(rule),
        used=quotas.used(quota_scope(miniprogram), rule, window),
    )


def name_rule(miniprogram: MiniProgram) -> tuple[str, str]:
    """INF-2: two changes in all before the first release, then a yearly allowance."""
    if miniprogram.first_released_at is None:
        return NAME_BEFORE_RELEASE, "ever"
    return NAME_AFTER_RELEASE, "year"


def allowances(miniprogram: MiniProgram) -> dict[str, Allowance]:
    rule, window = name_rule(miniprogram)
    return {
        "name": _allowance(miniprogram, rule, window),
        "short_name": _allowance(miniprogram, SHORT_NAME_RULE, "year"),
        "avatar": _allowance(miniprogram, AVATAR_RULE, "year"),
        "introduction": _allowance(miniprogram, INTRODUCTION_RULE, "month"),
        "categories": _allowance(miniprogram, CATEGORY_RULE, "month"),
    }
