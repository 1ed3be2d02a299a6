"""B-8: operators tune every rule of the policy table; each change is audited."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext

from miniport.core import policy
from miniport.core.actors import Actor
from miniport.core.errors import CoreError, PlatformError
from miniport.core.models import AuditEntry, PolicyOverride
from miniport.core.services import policy_clear_override, policy_set_override

pytestmark = pytest.mark.django_db
KEY = "registration.remittance_window_days"


def row_of(html: str, key: str) -> str:
    found = re.search(
        rf'<tr id="rule-{re.escape(key)}" data-key="{re.escape(key)}">(.*?)</tr>', html, re.S
    )
    assert found, key
    return found.group(1)


def current_cell(html: str, key: str) -> str:
    return re.search(r'data-testid="current">(.*?)</td>', row_of(html, key), re.S).group(1)


def test_the_table_lists_every_rule_with_default_value_unit_and_source(staff_client):
    html = staff_client.get(reverse("ops:policy")).content.decode()
    for rule in policy.rules():
        row = row_of(html, rule.key)
        assert f"<td>{rule.default}</td>" in row
        assert escape(rule.source) in row  # the page escapes it, as every text
        # Issue 10 item 5: the reference is the rule's tooltip, the label its description.
        assert f'title="{escape(rule.source)}"' in row
        assert f"<td>{escape(rule.source)}</td>" not in row
        assert gettext(rule.unit) in row


def test_an_override_changes_the_value_the_platform_reads(staff_client, staff):
    """B-8: the override is in force at once, and shown as such."""
    assert policy.value(KEY) == 10
    response = staff_client.post(reverse("ops:policy_set"), {"key": KEY, "value": "14"})
    assert response.status_code == 302
    assert policy.value(KEY) == 14
    html = staff_client.get(reverse("ops:policy")).content.decode()
    assert "<strong>14</strong>" in current_cell(html, KEY)


def test_an_override_is_audited_with_the_value_before_and_after(staff_client, staff):
    """B-7 / B-8: who changed which rule from what to what."""
    staff_client.post(reverse("ops:policy_set"), {"key": KEY, "value": "14"})
    staff_client.post(reverse("ops:policy_set"), {"key": KEY, "value": "12"})
    first, second = AuditEntry.objects.filter(action="policy.override_set").order_by("id")
    assert (first.actor_kind, first.actor_label) == ("staff", staff.email)
    assert (first.before["value"], first.after["value"]) == (10, 14)
    assert (second.before["value"], second.after["value"]) == (14, 12)


def test_clearing_an_override_returns_to_the_default_and_is_audited(staff_client):
    staff_client.post(reverse("ops:policy_set"), {"key": KEY, "value": "3"})
    response = staff_client.post(reverse("ops:policy_clear"), {"key": KEY})
    assert response.status_code == 302
    assert policy.value(KEY) == 10
    assert not PolicyOverride.objects.filter(key=KEY).exists()
    entry = AuditEntry.objects.get(action="policy.override_clear")
    assert (entry.before["value"], entry.after["value"]) == (3, 10)


def test_zero_is_a_valid_override(staff_client):
    staff_client.post(
        reverse("ops:policy_set"), {"key": "categories.additions_per_month", "value": "0"}
    )
    assert policy.value("categories.additions_per_month") == 0


@pytest.mark.parametrize(
    "value",
    ["-1", "2.5", "ten", "", " ", "1e3", "+5", "٣"],
    ids=["negative", "fraction", "word", "empty", "blank", "exponent", "sign", "non-ascii-digit"],
)
def test_an_invalid_value_is_refused_with_a_message_and_nothing_changes(staff_client, value):
    response = staff_client.post(reverse("ops:policy_set"), {"key": KEY, "value": value})
    assert response.status_code == 400
    assert CoreError.POLICY_VALUE_INVALID.message("zh-hans") in row_of(
        response.content.decode(), KEY
    )
    assert policy.value(KEY) == 10
    assert PolicyOverride.objects.count() == 0
    assert not AuditEntry.objects.filter(action__startswith="policy.").exists()


def test_an_unknown_rule_is_refused_and_nothing_is_stored(staff_client):
    response = staff_client.post(
        reverse("ops:policy_set"), {"key": "registration.free_lunches", "value": "3"}
    )
    assert response.status_code == 400
    assert CoreError.POLICY_KEY_UNKNOWN.message("zh-hans", key="registration.free_lunches") in (
        response.content.decode()
    )
    assert PolicyOverride.objects.count() == 0
    assert not AuditEntry.objects.filter(action__startswith="policy.").exists()


def test_the_service_refuses_unknown_keys_and_bad_values():
    actor = Actor.system("tests")
    for key, value, code in [
        ("no.such.rule", 1, CoreError.POLICY_KEY_UNKNOWN),
        (KEY, -1, CoreError.POLICY_VALUE_INVALID),
        (KEY, True, CoreError.POLICY_VALUE_INVALID),
        (KEY, "0x10", CoreError.POLICY_VALUE_INVALID),
    ]:
        with pytest.raises(PlatformError) as refused:
            policy_set_override(actor=actor, key=key, value=value)
        assert refused.value.code is code
    with pytest.raises(PlatformError):
        policy_clear_override(actor=actor, key="no.such.rule")
    assert PolicyOverride.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_clearing_a_rule_without_override_changes_nothing():
    assert policy_clear_override(actor=Actor.system("tests"), key=KEY) is False
    assert AuditEntry.objects.count() == 0


def test_a_cached_value_does_not_outlive_the_override():
    """policy.value caches the overrides; a change must be seen at once."""
    assert policy.value(KEY) == 10  # now cached
    policy_set_override(actor=Actor.system("tests"), key=KEY, value=7)
    assert policy.value(KEY) == 7
    policy_clear_override(actor=Actor.system("tests"), key=KEY)
    assert policy.value(KEY) == 10


@pytest.mark.parametrize(
    ("key", "field"),
    [
        ("name.max_length", "name"),
        ("short_name.max_length", "short_name"),
        ("introduction.max_length", "introduction"),
    ],
)
def test_a_length_rule_may_not_pass_the_width_of_its_column(staff_client, key, field):
    """B-8: a value the database could not store (INF-2, INF-3, INF-5) is refused."""
    from miniport.miniprograms.models import MiniProgram

    width = MiniProgram._meta.get_field(field).max_length
    assert policy.RULES_BY_KEY[key].maximum == width
    response = staff_client.post(reverse("ops:policy_set"), {"key": key, "value": str(width + 1)})
    assert response.status_code == 400
    assert CoreError.POLICY_VALUE_TOO_LARGE.message("zh-hans", maximum=width) in row_of(
        response.content.decode(), key
    )
    assert PolicyOverride.objects.count() == 0
    assert not AuditEntry.objects.filter(action__startswith="policy.").exists()
    accepted = staff_client.post(reverse("ops:policy_set"), {"key": key, "value": str(width)})
    assert accepted.status_code == 302 and policy.value(key) == width


@pytest.mark.parametrize(
    "key", ["qr.ticket_ttl_seconds", "api.jscode_ttl_seconds", "deliveries.timeout_seconds"]
)
def test_a_lifetime_rule_may_not_be_set_to_zero(key):
    """B-8: a QR code lifetime of 0 would expire every code on arrival and lock every
    console out; lifetimes and timeouts take at least 1."""
    with pytest.raises(PlatformError) as refused:
        policy_set_override(actor=Actor.system("tests"), key=key, value=0)
    assert refused.value.code is CoreError.POLICY_VALUE_TOO_SMALL
    assert refused.value.message("zh-hans") == "此规则的值最小为 1"
    assert PolicyOverride.objects.count() == 0
    assert AuditEntry.objects.count() == 0
    policy_set_override(actor=Actor.system("tests"), key=key, value=1)
    assert policy.value(key) == 1


def test_a_range_may_not_be_inverted_from_either_end():
    """B-8: name.min_length above name.max_length would refuse every name."""
    actor = Actor.system("tests")
    high = policy.value("name.max_length")
    with pytest.raises(PlatformError) as refused:
        policy_set_override(actor=actor, key="name.min_length", value=high + 1)
    assert refused.value.code is CoreError.POLICY_RANGE_INVERTED
    assert "name.max_length" in refused.value.message("en")
    low = policy.value("registration.remittance_amount_min_fen")
    with pytest.raises(PlatformError) as refused:
        policy_set_override(
            actor=actor, key="registration.remittance_amount_max_fen", value=low - 1
        )
    assert refused.value.code is CoreError.POLICY_RANGE_INVERTED_LOW
    assert PolicyOverride.objects.count() == 0
    assert AuditEntry.objects.count() == 0
    policy_set_override(actor=actor, key="name.min_length", value=high)
    assert policy.value("name.min_length") == high


def test_the_range_partners_are_the_two_ends_of_one_range():
    assert policy.range_partner("name.min_length") == ("name.min_length", "name.max_length")
    assert policy.range_partner("name.max_length") == ("name.min_length", "name.max_length")
    assert policy.range_partner("registration.remittance_amount_max_fen") == (
        "registration.remittance_amount_min_fen",
        "registration.remittance_amount_max_fen",
    )
    assert policy.range_partner("signup.password_min_length") is None
    assert policy.range_partner("login.max_failures_per_account") is None


def test_a_refused_value_is_named_with_its_rule_at_the_top_of_the_page(staff_client):
    response = staff_client.post(reverse("ops:policy_set"), {"key": KEY, "value": "x"})
    assert response.status_code == 400
    page = response.content.decode()
    message = f"{KEY}：{CoreError.POLICY_VALUE_INVALID.message('zh-hans')}"
    assert message in page
    assert page.index(message) < page.index(f'value="{KEY}"')
    english = staff_client.post(
        reverse("ops:policy_set"), {"key": KEY, "value": "x"}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    # The rule's key as written, then the refusal as a sentence.
    assert f"{KEY}: The value must be a whole number" in english


def test_every_rules_default_lies_within_what_an_operator_may_set():
    for rule in policy.rules():
        assert policy.lowest(rule) <= rule.default <= policy.highest(rule), rule.key


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("api.token_ttl_seconds", 999_999_999_999),
        ("events.delivery_lease_seconds", 999_999_999_999),
        ("certification.validity_days", 10 * 365 + 1),
        ("ops.page_size", 2**31),
    ],
)
def test_a_value_past_ten_years_or_a_32_bit_count_is_refused(key, value):
    """An expiry past a date's range failed every request that computed it (a token
    lifetime of 999999999999 seconds answered every /cgi-bin/token with -1)."""
    with pytest.raises(PlatformError) as refused:
        policy_set_override(actor=Actor.system("tests"), key=key, value=value)
    assert refused.value.code is CoreError.POLICY_VALUE_TOO_LARGE
    assert PolicyOverride.objects.count() == 0
    assert AuditEntry.objects.count() == 0


@pytest.mark.parametrize(
    "key", ["ops.page_size", "deliveries.max_attempts", "release.rollback_depth"]
)
def test_a_page_size_a_retry_count_or_a_rollback_depth_takes_at_least_one(key):
    with pytest.raises(PlatformError) as refused:
        policy_set_override(actor=Actor.system("tests"), key=key, value=0)
    assert refused.value.code is CoreError.POLICY_VALUE_TOO_SMALL
    assert PolicyOverride.objects.count() == 0


@pytest.mark.parametrize(
    "key",
    [
        "events.delivery_lease_seconds",
        "deliveries.lease_seconds",
        "deliveries.worker_threads",
        "login.max_failures_per_address",
        "identity_signin.failure_window_seconds",
        "functional.script_concurrency",
        "purge.interval_minutes",
    ],
)
def test_a_lease_a_worker_count_or_a_lockout_threshold_takes_at_least_one(key):
    """At 0 a lease delivers an event twice, no worker delivers anything, a threshold
    refuses every sign-in, a purge interval spins: each declares its minimum."""
    with pytest.raises(PlatformError) as refused:
        policy_set_override(actor=Actor.system("tests"), key=key, value=0)
    assert refused.value.code is CoreError.POLICY_VALUE_TOO_SMALL
    assert PolicyOverride.objects.count() == 0
    assert AuditEntry.objects.count() == 0


@pytest.mark.parametrize("key", ["signup.sms_code_length", "registration.sms_code_length"])
def test_an_sms_code_is_four_to_ten_digits(key):
    """A code of 0 digits could never be entered; one of two billion would be built in
    memory for every message."""
    for value, code in (
        (3, CoreError.POLICY_VALUE_TOO_SMALL),
        (11, CoreError.POLICY_VALUE_TOO_LARGE),
    ):
        with pytest.raises(PlatformError) as refused:
            policy_set_override(actor=Actor.system("tests"), key=key, value=value)
        assert refused.value.code is code
    assert PolicyOverride.objects.count() == 0
    policy_set_override(actor=Actor.system("tests"), key=key, value=10)
    assert policy.value(key) == 10


# Words in a key that say what a row counts needs at least one of: a new row so named
# must declare its minimum rather than leave 0 open to an operator.
_NEEDS_ONE = ("_ttl_", "timeout_", "validity_", "_lease", "page_size", "max_attempts",
              "max_failures", "failure_window", "worker_threads", "concurrency", "interval_minutes")  # fmt: skip


def test_every_lifetime_lease_page_size_and_retry_row_declares_a_minimum_of_at_least_one():
    unguarded = [
        rule.key
        for rule in policy.RULES_BY_KEY.values()
        if any(word in f"_{rule.key.rpartition('.')[2]}" for word in _NEEDS_ONE)
        and rule.minimum < 1
    ]
    assert unguarded == []


@pytest.mark.parametrize(
    ("key", "largest"),
    [
        ("ops.page_size", 500),
        ("deliveries.worker_threads", 64),
        ("functional.script_concurrency", 64),
        ("avatar.output_side_pixels", 4096),
    ],
)
def test_a_page_size_a_thread_count_or_an_image_side_has_a_ceiling_the_machine_can_hold(
    key, largest
):
    """A page of two billion rows, as many threads or an avatar of that side would take
    the machine down; each row declares its ceiling."""
    with pytest.raises(PlatformError) as refused:
        policy_set_override(actor=Actor.system("tests"), key=key, value=largest + 1)
    assert refused.value.code is CoreError.POLICY_VALUE_TOO_LARGE
    assert PolicyOverride.objects.count() == 0
    policy_set_override(actor=Actor.system("tests"), key=key, value=largest)
    assert policy.value(key) == largest


@pytest.mark.parametrize("value", [str(2**63), "9" * 20, "9" * 5000])
def test_a_whole_number_past_any_column_is_refused_as_too_large_not_as_no_number(value):
    """It is a whole number, 0 or more: the refusal names the rule's maximum."""
    with pytest.raises(PlatformError) as refused:
        policy_set_override(actor=Actor.system("tests"), key="qr.ticket_ttl_seconds", value=value)
    assert refused.value.code is CoreError.POLICY_VALUE_TOO_LARGE
    assert PolicyOverride.objects.count() == 0
    assert AuditEntry.objects.count() == 0
