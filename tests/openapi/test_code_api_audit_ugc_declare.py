"""wechat-api 4.5: submit_audit's `ugc_declare` follows its rules: `scene` 0 (none) alone
or some of 1..5, `method` some of 1..3 or 4 (none) alone, `has_audit_team` 0 or 1, the
descriptions at most 256 characters. Anything else is 40097 naming the field, and
nothing is submitted. (VER-3)"""

from __future__ import annotations

import pytest

from miniport.releases.models import Submission
from tests.openapi.code_api_support import (
    code_fixture,  # noqa: F401 - the "code" fixture
    committed,
    state,
    submit,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "declare, field",
    [
        ({"scene": [9]}, "scene"),
        ({"scene": [-1]}, "scene"),
        ({"scene": [0, 2]}, "scene"),
        ({"scene": [2, 2]}, "scene"),
        ({"scene": []}, "scene"),
        ({"scene": 2}, "scene"),
        ({"scene": ["x"]}, "scene"),
        ({"scene": [True]}, "scene"),
        ({"scene": [1.5]}, "scene"),
        ({}, "scene"),
        ({"method": [1]}, "scene"),
        ({"scene": [1], "method": [0]}, "method"),
        ({"scene": [1], "method": [5]}, "method"),
        ({"scene": [1], "method": [1, 4]}, "method"),
        ({"scene": [1], "has_audit_team": 2}, "has_audit_team"),
        ({"scene": [1], "has_audit_team": "yes"}, "has_audit_team"),
        ({"scene": [5], "other_scene_desc": "说" * 257}, "other_scene_desc"),
        ({"scene": [1], "audit_desc": "审" * 257}, "audit_desc"),
        ({"scene": [1], "audit_desc": 3}, "audit_desc"),
    ],
)
def test_a_ugc_declare_out_of_its_rules_is_40097_naming_the_field(code, declare, field):
    committed(code)
    before = state()
    answer = submit(code, ugc_declare=declare)
    assert answer["errcode"] == 40097, answer
    assert answer["errmsg"].startswith(
        f"invalid args: ugc_declare.{field} of the UGC declaration: "
    )
    assert state() == before
    assert not Submission.objects.exists()


@pytest.mark.parametrize(
    "declare",
    [
        {"scene": [0]},
        {"scene": [1, 2, 3, 4, 5], "method": [1, 2, 3], "has_audit_team": 1},
        {"scene": ["2"], "method": ["4"], "has_audit_team": "0", "audit_desc": "审" * 256},
        {"scene": [5], "other_scene_desc": "语音", "method": [3], "audit_desc": "人工审核"},
    ],
)
def test_a_ugc_declare_within_its_rules_is_accepted(code, declare):
    committed(code)
    answer = submit(code, ugc_declare=declare)
    assert answer["errcode"] == 0, answer
    assert Submission.objects.filter(auditid=answer["auditid"]).exists()


def test_no_ugc_declare_is_still_accepted(code):
    committed(code)
    assert submit(code)["errcode"] == 0
    assert submit(code, ugc_declare=None)["errcode"] == 85009
