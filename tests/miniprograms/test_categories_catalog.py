"""INF-6: three catalogs shaped like WeChat's getallcategories; the subject picks one."""

from __future__ import annotations

import pytest

from miniport.accounts.models import Subject
from miniport.core.errors import PlatformError
from miniport.miniprograms import catalog
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.services import categories
from tests.miniprograms.profile_support import (
    actor_of,
    company_app_fixture,  # noqa: F401
    personal_app_fixture,  # noqa: F401
    snapshot,
)


@pytest.mark.parametrize("kind", catalog.KINDS)
def test_each_catalog_is_a_two_level_tree_under_root_zero(kind):
    """INF-6: id 0 is the root; level-1 nodes list their level-2 children."""
    tree = catalog.catalog(kind)
    root = tree.by_id[0]
    assert root.children
    for first in tree.first_levels():
        assert first.level == 1 and first.father == 0
        for second in tree.children_of(first.id):
            assert second.level == 2 and second.father == first.id
            raw = second.raw
            assert set(raw) >= {
                "id",
                "name",
                "level",
                "father",
                "children",
                "sensitive_type",
                "qualify",
            }
            assert raw["sensitive_type"] in (0, 1)
            if raw["sensitive_type"]:
                assert raw["qualify"]["exter_list"][0]["inner_list"][0]["name"]


def test_the_personal_catalog_is_a_smaller_subset_without_sensitive_categories():
    """INF-6: personal subjects have their own, smaller catalog."""
    personal, non_personal = catalog.catalog("personal"), catalog.catalog("non_personal")
    assert len(personal.pairs()) < len(non_personal.pairs())
    assert not any(pair.sensitive for pair in personal.pairs())
    for pair in personal.pairs():
        assert non_personal.pair(pair.first.id, pair.second.id) is not None


def test_the_catalogs_hold_a_few_dozen_realistic_categories():
    labels = {pair.label for pair in catalog.catalog("non_personal").pairs()}
    assert {
        "教育服务 > 在线教育",
        "工具 > 效率",
        "工具 > 信息查询",
        "医疗服务 > 公立医疗机构",
    } <= labels
    assert len(labels) >= 30


def test_the_subject_picks_the_catalog(personal_app, company_app):
    """INF-6: personal → personal; organizations in CN → non_personal; elsewhere → overseas."""
    assert catalog.kind_for_subject(personal_app.subject) == catalog.PERSONAL
    assert catalog.kind_for_subject(company_app.subject) == catalog.NON_PERSONAL
    overseas = Subject(subject_type="enterprise", country="SG")
    assert catalog.kind_for_subject(overseas) == catalog.OVERSEAS


def test_a_category_of_another_catalog_is_not_allowed(personal_app):
    """INF-6: a personal mini program cannot take a non-personal category (53302)."""
    before = snapshot(personal_app)
    with pytest.raises(PlatformError) as caught:
        categories.category_add(
            actor=actor_of(personal_app), miniprogram=personal_app, first=8, second=801
        )
    assert caught.value.code == MiniProgramError.CATEGORY_NOT_ALLOWED
    assert snapshot(personal_app) == before


@pytest.mark.parametrize("first,second", [(1, 201), (999, 1), ("x", 101), (1, None)])
def test_unknown_or_mismatched_pairs_are_invalid(personal_app, first, second):
    before = snapshot(personal_app)
    with pytest.raises(PlatformError) as caught:
        categories.category_add(
            actor=actor_of(personal_app), miniprogram=personal_app, first=first, second=second
        )
    assert caught.value.code == MiniProgramError.CATEGORY_INVALID
    assert snapshot(personal_app) == before
