"""INF-6: category ids are whole numbers — ints, or strings of ASCII digits as WeChat
clients send them. Floats are not truncated, infinities and other digit systems do not
crash: each is 53303 (invalid parameters), and nothing changes."""

from __future__ import annotations

import pytest

from miniport.core.errors import PlatformError
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.services import categories
from tests.miniprograms.profile_support import (  # noqa: F401
    actor_of,
    personal_app_fixture,
    snapshot,
)

NOT_WHOLE = [
    1.9,
    1.0,
    float("inf"),
    float("-inf"),
    float("nan"),
    True,
    "1.9",
    "²",
    "١",
    "1e3",
    "-1",
    "",
    None,
    [1],
    2**63,
    "9" * 30,
]


@pytest.mark.parametrize("first", NOT_WHOLE, ids=repr)
def test_a_category_id_that_is_not_a_whole_number_is_refused_with_53303(personal_app, first):
    """INF-6: 53303, nothing added."""
    before = snapshot(personal_app)
    with pytest.raises(PlatformError) as caught:
        categories.category_add(
            actor=actor_of(personal_app), miniprogram=personal_app, first=first, second=101
        )
    assert caught.value.code == MiniProgramError.CATEGORY_INVALID
    assert caught.value.errcode == 53303
    assert caught.value.field == "category"
    assert snapshot(personal_app) == before


@pytest.mark.parametrize("second", [101.9, float("inf"), "¹⁰¹"], ids=repr)
def test_deleting_with_a_category_id_that_is_not_a_whole_number_is_53303(personal_app, second):
    """INF-6: the set category stays."""
    categories.category_add(
        actor=actor_of(personal_app), miniprogram=personal_app, first=1, second=101
    )
    before = snapshot(personal_app)
    with pytest.raises(PlatformError) as caught:
        categories.category_delete(
            actor=actor_of(personal_app), miniprogram=personal_app, first=1, second=second
        )
    assert caught.value.code == MiniProgramError.CATEGORY_INVALID
    assert snapshot(personal_app) == before


def test_ids_as_strings_of_ascii_digits_are_accepted(personal_app):
    """INF-6: "1" and " 101 " name category 1 > 101."""
    row = categories.category_add(
        actor=actor_of(personal_app), miniprogram=personal_app, first="1", second=" 101 "
    )
    assert (row.first_id, row.second_id) == (1, 101)
