"""VER-5 / B-4: the published catalog of common rejections, kept as data: each reason a
stable key, titles and guidance in Chinese and English; coded reasons render in the reader's
language, free text stays as written, and an unknown key is refused. VER-4 reads
`test_account_needed` from it."""

from __future__ import annotations

import json

import pytest

from miniport.core.errors import PlatformError
from miniport.releases import catalog
from miniport.releases.errors import ReleaseError


def test_the_catalog_holds_the_common_rejections_in_both_languages():
    """VER-5: the categories of WeChat's catalog the seeds point to, each with Chinese and
    English titles and guidance."""
    reasons = catalog.rejection_reasons()
    keys = [item.key for item in reasons]
    assert len(keys) == len(set(keys)) >= 10
    for expected in (
        "test_account_needed",
        "incomplete_features",
        "category_mismatch",
        "induced_sharing",
        "privacy_declaration_missing",
        "virtual_payment",
    ):
        assert expected in keys
    for item in reasons:
        assert item.title_zh and item.title_en and item.guidance_zh and item.guidance_en
        assert any("\u4e00" <= ch <= "\u9fff" for ch in item.title_zh + item.guidance_zh)
        assert item.title_en.isascii()


def test_the_test_account_reason_is_in_the_catalog():
    """VER-4: a first submission rejected because reviewers need a test account."""
    item = catalog.reason(catalog.TEST_ACCOUNT_NEEDED)
    assert item.title("zh-hans") == "需要提供测试帐号"
    assert item.title("en") == "A test account is needed"
    assert "测试帐号" in item.guidance("zh-hans")


def test_an_unknown_key_is_refused():
    """VER-5: only catalog keys are reasons by key."""
    with pytest.raises(PlatformError) as caught:
        catalog.reason("no_such_reason")
    assert caught.value.code is ReleaseError.REJECTION_REASON_UNKNOWN
    assert "no_such_reason" in caught.value.message("en")
    assert "no_such_reason" in caught.value.message("zh-hans")


def test_a_reviewer_reason_is_a_key_or_free_text():
    """VER-5: a key is stored as the key, free text trimmed; a mistyped key is refused
    rather than stored as free text."""
    assert catalog.resolve_reason(" category_mismatch ") == "category_mismatch"
    assert catalog.resolve_reason("首页  按钮无响应") == "首页 按钮无响应"
    assert catalog.resolve_reason("broken") == "broken"
    with pytest.raises(PlatformError) as caught:
        catalog.resolve_reason("test_acount_needed")
    assert caught.value.code is ReleaseError.REJECTION_REASON_UNKNOWN


def test_stored_reasons_render_in_the_readers_language():
    """B-4: coded reasons are shown by their title; free text as written."""
    stored = ["induced_sharing", "首页按钮无响应"]
    assert [catalog.reason_text(text, "en") for text in stored] == [
        "Induces sharing or following",
        "首页按钮无响应",
    ]
    assert catalog.reason_text("induced_sharing", "zh-hans") == "诱导分享或诱导关注"
    assert catalog.reason_keys(stored) == ["induced_sharing"]


def test_reasons_serialise_as_json():
    item = catalog.reason("virtual_payment")
    assert json.loads(json.dumps(item.as_json()))["key"] == "virtual_payment"
