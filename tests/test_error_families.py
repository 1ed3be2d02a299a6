"""Each domain keeps its own error codes (DESIGN.md, "Kernel: errors"); together they
must still speak one language on the wire: a WeChat errcode has one meaning, and two
codes share it only when one is declared a variant of the other."""

from __future__ import annotations

from collections import defaultdict

import pytest

from miniport.core.errors import CoreError, ErrorCode, PlatformError


def _families() -> tuple[type[ErrorCode], ...]:
    return ErrorCode.families()


def test_every_domain_registers_its_family_of_codes():
    names = {family.__name__ for family in _families()}
    assert {"CoreError", "IdentityError", "AccountError", "MiniProgramError"} <= names


def test_two_codes_share_a_wechat_errcode_only_as_variants_of_one_meaning():
    by_errcode: dict[int, list[ErrorCode]] = defaultdict(list)
    for family in _families():
        for code in family:
            if code.errcode is not None:
                by_errcode[code.errcode].append(code)
    clashes = []
    for errcode, codes in by_errcode.items():
        primaries = [code for code in codes if code.variant_of is None]
        if len(primaries) != 1:
            clashes.append(f"{errcode}: {[c.name for c in primaries]} all claim it")
            continue
        for code in codes:
            if code.variant_of is not None and code.variant_of != primaries[0].name:
                clashes.append(f"{errcode}: {code.name} names {code.variant_of}")
            if type(code) is not type(primaries[0]):
                clashes.append(f"{errcode}: {code.name} and {primaries[0].name} in two families")
    assert clashes == []


def test_a_variant_names_a_member_of_its_own_family():
    for family in _families():
        for code in family:
            if code.variant_of is not None:
                assert code.variant_of in family.__members__, code


@pytest.mark.parametrize(
    "family", _families(), ids=lambda family: family.__name__ if isinstance(family, type) else ""
)
def test_every_code_has_both_messages_and_no_alias(family):
    """An Enum silently folds two members with equal values into one name; each code must
    stay its own member, with a Chinese and an English message."""
    assert len(family.__members__) == len(list(family))
    for code in family:
        assert code.value[1] and code.value[2], code


def test_a_platform_only_code_goes_on_the_wire_as_invalid_args():
    error = PlatformError(CoreError.NOT_FOUND)
    assert error.errcode == CoreError.INVALID_ARGS.errcode == 40097


def test_a_message_may_name_the_refused_field():
    """A code whose message says which field was refused gets it from `field=`."""

    class _Sample(ErrorCode):
        LONG = (None, "{field} 超过 {limit}", "{field} is longer than {limit}")

    error = PlatformError(_Sample.LONG, field="user_desc", limit=10)
    assert error.message("en") == "user_desc is longer than 10"
    assert error.field == "user_desc"
