"""Every quantitative rule of the platform, in one table.

Each row names its default and the seed (or reference) that states it. Operators
override rows from the ops desk; overrides live in `core.PolicyOverride`. No other
module writes a limit, window or fee as a literal: it asks `policy.value(KEY)`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Rule:
    key: str
    default: int
    unit: str
    source: str
    description: str
    # The largest value an operator may set, where a stored column limits it (a test
    # keeps each in step with its model field).
    maximum: int | None = None


RULES: tuple[Rule, ...] = (
    # Registration (REG)
    Rule(
        "registration.password_min_length",
        8,
        "characters",
        "REG-1 [004]",
        "Minimum password length",
    ),
    Rule(
        "registration.activation_link_ttl_hours",
        48,
        "hours",
        "REG-3 [001, 004]",
        "Lifetime of an activation link",
    ),
    Rule(
        "registration.activation_resend_interval_seconds",
        60,
        "seconds",
        "REG-3 [004]",
        "Minimum wait before resending the activation mail",
    ),
    Rule(
        "registration.id_number_max_miniprograms",
        5,
        "mini programs",
        "REG-5 [004]",
        "Mini programs per ID number",
    ),
    Rule(
        "registration.phone_max_miniprograms",
        5,
        "mini programs",
        "REG-5 [004]",
        "Mini programs per administrator phone",
    ),
    Rule("registration.sms_code_length", 6, "digits", "REG-5 [004]", "Digits in an SMS code"),
    Rule(
        "registration.sms_code_ttl_seconds",
        600,
        "seconds",
        "REG-5 [004]",
        "Lifetime of an SMS code",
    ),
    Rule(
        "registration.sms_resend_interval_seconds",
        60,
        "seconds",
        "REG-5 [004]",
        "Minimum wait before sending another SMS code",
    ),
    Rule(
        "registration.sms_code_max_attempts",
        5,
        "attempts",
        "REG-5 [004]",
        "Wrong entries before an SMS code is void",
    ),
    Rule(
        "registration.min_age_years",
        18,
        "years",
        "REG-5 [001]",
        "Minimum age of a personal subject / administrator",
    ),
    Rule(
        "registration.remittance_window_days",
        10,
        "days",
        "REG-6 [001, 003]",
        "Days to complete the corporate remittance",
    ),
    Rule(
        "registration.remittance_amount_min_fen",
        1,
        "fen",
        "REG-6 [001]",
        "Smallest random remittance amount",
    ),
    Rule(
        "registration.remittance_amount_max_fen",
        99,
        "fen",
        "REG-6 [001]",
        "Largest random remittance amount",
    ),
    Rule(
        "registration.certification_fee_fen",
        30000,
        "fen",
        "REG-6 / CER-2 [001]",
        "WeChat certification fee (300 CNY)",
    ),
    Rule(
        "registration.statement_max_bytes",
        2 * 1024 * 1024,
        "bytes",
        "REG-6 [001]",
        "Largest bank statement upload for remittance matching",
    ),
    # Ops desk (B-7, B-8)
    Rule(
        "ops.page_size",
        50,
        "rows",
        "B-7",
        "Rows per page on the ops desk lists (registrations, audit log)",
    ),
    # Login and QR tickets (REG-10)
    Rule(
        "login.failure_window_seconds",
        900,
        "seconds",
        "REG-10",
        "Window in which failed logins are counted",
    ),
    Rule(
        "login.max_failures_per_account",
        5,
        "attempts",
        "REG-10",
        "Failed logins per account in the window",
    ),
    Rule(
        "login.max_failures_per_address",
        20,
        "attempts",
        "REG-10",
        "Failed logins per client address in the window",
    ),
    Rule(
        "qr.ticket_ttl_seconds",
        180,
        "seconds",
        "REG-10 [004]",
        "Lifetime of a QR confirmation ticket",
    ),
    # Mini program information (INF)
    Rule("name.min_length", 4, "characters", "INF-2 [004]", "Shortest mini program name"),
    Rule(
        "name.max_length",
        30,
        "characters",
        "INF-2 [004]",
        "Longest mini program name",
        maximum=60,  # MiniProgram.name
    ),
    Rule(
        "name.changes_before_release",
        2,
        "changes",
        "INF-2 [004]",
        "Name changes before the first release",
    ),
    Rule(
        "name.changes_per_year_after_release_personal",
        2,
        "changes/year",
        "INF-2 [004]",
        "Name changes a year after release (personal)",
    ),
    Rule(
        "short_name.changes_per_year", 2, "changes/year", "INF-3 [004]", "Short name changes a year"
    ),
    Rule(
        "short_name.min_length", 2, "characters", "INF-3 (platform default)", "Shortest short name"
    ),
    Rule(
        "short_name.max_length",
        10,
        "characters",
        "INF-3 (platform default)",
        "Longest short name",
        maximum=30,  # MiniProgram.short_name
    ),
    Rule("avatar.changes_per_year", 5, "changes/year", "INF-4 [004]", "Avatar changes a year"),
    Rule(
        "avatar.max_bytes",
        2 * 1024 * 1024,
        "bytes",
        "INF-4 / wechat-api 7.5",
        "Largest avatar upload",
    ),
    Rule(
        "avatar.max_side_pixels", 4096, "pixels", "INF-4", "Largest avatar side before re-encoding"
    ),
    Rule("avatar.min_side_pixels", 144, "pixels", "INF-4", "Smallest avatar side"),
    Rule(
        "avatar.output_side_pixels",
        640,
        "pixels",
        "INF-4",
        "Side of the stored, re-encoded square avatar",
    ),
    Rule("introduction.min_length", 4, "characters", "INF-5 [004]", "Shortest introduction"),
    Rule(
        "introduction.max_length",
        120,
        "characters",
        "INF-5 [004]",
        "Longest introduction",
        maximum=200,  # MiniProgram.introduction
    ),
    Rule(
        "introduction.changes_per_month",
        5,
        "changes/month",
        "INF-5 [004]",
        "Introduction changes a month",
    ),
    Rule("categories.max", 5, "categories", "INF-6 [004]", "Service categories per mini program"),
    Rule(
        "categories.additions_per_month",
        5,
        "additions/month",
        "INF-6 [004]",
        "Category additions a month",
    ),
    Rule(
        "media.image_max_bytes",
        10 * 1024 * 1024,
        "bytes",
        "INF-4 / wechat-api 7.5 (/cgi-bin/media/upload)",
        "Largest temporary image upload",
    ),
    Rule(
        "media.ttl_days",
        3,
        "days",
        "wechat-api 7.5 (temporary media)",
        "Lifetime of an uploaded temporary media file",
    ),
    # Members (MEM)
    Rule(
        "members.developers.personal",
        5,
        "members",
        "MEM-3 [001, 003]",
        "Project members, personal subject",
    ),
    Rule(
        "members.developers.organization",
        10,
        "members",
        "MEM-3 [001, 003]",
        "Project members, organization not certified",
    ),
    Rule(
        "members.developers.certified",
        20,
        "members",
        "MEM-3 [001, 003]",
        "Project members, certified",
    ),
    Rule(
        "members.experience.personal",
        10,
        "members",
        "MEM-3 [001, 003]",
        "Experience members, personal subject",
    ),
    Rule(
        "members.experience.organization",
        20,
        "members",
        "MEM-3 [001, 003]",
        "Experience members, organization not certified",
    ),
    Rule(
        "members.experience.certified",
        40,
        "members",
        "MEM-3 [001, 003]",
        "Experience members, certified",
    ),
    Rule(
        "members.tester_of_max_miniprograms",
        50,
        "mini programs",
        "wechat-api 5.1 (85003)",
        "Mini programs one identity may test",
    ),
    # Development settings (DEV)
    Rule("dev.ip_whitelist_max", 10, "entries", "DEV-2", "Entries in the API IP whitelist"),
    Rule(
        "dev.domains_per_type_max",
        200,
        "domains",
        "DEV-3 / wechat-api 1.3",
        "Server domains per type",
    ),
    Rule(
        "dev.webview_domains_max",
        300,
        "domains",
        "DEV-3 / wechat-api 6.2",
        "Business (web-view) domains",
    ),
    Rule(
        "dev.domain_modifications_per_month",
        50,
        "changes/month",
        "DEV-3 / wechat-api 1.3",
        "Domain modifications a month",
    ),
    Rule(
        "dev.push_verify_timeout_seconds",
        5,
        "seconds",
        "DEV-3",
        "Timeout of the push URL handshake",
    ),
    Rule(
        "dev.push_token_min_length",
        3,
        "characters",
        "DEV-3 (WeChat message push)",
        "Shortest message push Token",
    ),
    Rule(
        "dev.push_token_max_length",
        32,
        "characters",
        "DEV-3 (WeChat message push)",
        "Longest message push Token",
    ),
    Rule(
        "dev.push_aes_key_length",
        43,
        "characters",
        "DEV-3 (WeChat message push)",
        "Length of the EncodingAESKey",
    ),
    # Outbound calls (DESIGN: security)
    Rule(
        "outbound.max_redirects",
        3,
        "redirects",
        "DESIGN security",
        "Redirects an outbound call follows, each target checked again",
    ),
    Rule(
        "outbound.max_response_bytes",
        64 * 1024,
        "bytes",
        "DESIGN security",
        "Largest response body an outbound call reads",
    ),
    # Host-app runtime (B-3)
    Rule(
        "runtime.session_ttl_seconds",
        7 * 24 * 3600,
        "seconds",
        "B-3",
        "Lifetime of an identity session of the host app",
    ),
    # Server API (wechat-api.md)
    Rule("api.token_ttl_seconds", 7200, "seconds", "wechat-api 1.2", "access_token lifetime"),
    Rule(
        "api.token_grace_seconds",
        300,
        "seconds",
        "wechat-api 1.2",
        "Old token validity after a new fetch",
    ),
    Rule(
        "api.token_daily_quota", 2000, "calls/day", "wechat-api 1.3", "/cgi-bin/token calls a day"
    ),
    Rule(
        "api.stable_token_daily_quota",
        500000,
        "calls/day",
        "wechat-api 1.3",
        "/cgi-bin/stable_token calls a day",
    ),
    Rule(
        "api.stable_token_force_daily",
        20,
        "calls/day",
        "wechat-api 1.3",
        "Forced stable_token refreshes a day",
    ),
    Rule(
        "api.stable_token_force_interval_seconds",
        30,
        "seconds",
        "wechat-api 1.3",
        "Minimum gap between forced refreshes",
    ),
    Rule(
        "api.stable_token_refresh_window_seconds",
        300,
        "seconds",
        "wechat-api 2.2",
        "Remaining lifetime under which a new stable token is minted",
    ),
    Rule("api.jscode_ttl_seconds", 300, "seconds", "wechat-api 3.1", "Login code lifetime"),
    Rule(
        "api.jscode2session_per_user_minute",
        100,
        "calls/minute",
        "wechat-api 1.3",
        "jscode2session calls per user a minute",
    ),
    Rule(
        "api.call_count_lease",
        100,
        "calls",
        "DESIGN quotas (bench)",
        "Calls a web process counts in memory between writes to a high-rate daily quota",
    ),
    # Event outbox (DESIGN: kernel, events)
    Rule(
        "events.retry_max_backoff_seconds",
        3600,
        "seconds",
        "DESIGN events",
        "Longest wait between two delivery attempts of an event",
    ),
    Rule(
        "events.delivery_lease_seconds",
        300,
        "seconds",
        "DESIGN events",
        "How long a delivery in progress keeps other deliverers off the event",
    ),
    Rule(
        "media.image_max_side_pixels",
        4096,
        "pixels",
        "INF-4 / wechat-api 7.5 (/cgi-bin/media/upload)",
        "Largest side of a temporary image before re-encoding",
    ),
)

RULES_BY_KEY = {rule.key: rule for rule in RULES}
_CACHE_KEY = "miniport:policy:overrides"


# The shared cache (Redis when configured) holds the overrides for _CACHE_SECONDS; each
# process also keeps them in memory for _MEMO_SECONDS, because the server API's hot path
# reads several rules per call and a cache read (a pickled dict) costs more than the rest
# of the lookup. `forget_cached` drops both; another process sees a change within
# _MEMO_SECONDS once the shared cache is refreshed.
_CACHE_SECONDS = 30
_MEMO_SECONDS = 1.0
# Replaced whole, never changed in place: threads read it without a lock.
_memo: tuple[float, dict[str, int]] | None = None
_monotonic = time.monotonic  # tests move it


def _overrides() -> dict[str, int]:
    global _memo
    memo = _memo
    if memo is not None and _monotonic() < memo[0]:
        return memo[1]
    overrides = cache.get(_CACHE_KEY)
    if overrides is None:
        from miniport.core.models import PolicyOverride

        overrides = dict(PolicyOverride.objects.values_list("key", "value"))
        cache.set(_CACHE_KEY, overrides, _CACHE_SECONDS)
    _memo = (_monotonic() + _MEMO_SECONDS, overrides)
    return overrides


def value(key: str) -> int:
    """The rule's value in force: the operator's override, else the default."""
    rule = RULES_BY_KEY[key]  # an unknown key is a programming error
    return _overrides().get(key, rule.default)


def forget_cached() -> None:
    global _memo
    _memo = None
    cache.delete(_CACHE_KEY)
