"""PLG-2: the plugin's service category is one of the owner's approved categories that
the seed's plugin catalog opens, with its special conditions judged by the owner's main
(earliest approved) category."""

from __future__ import annotations

import pytest

from miniport.core.actors import Actor
from miniport.miniprograms import catalog as platform_catalog
from miniport.plugins.development import catalog, services
from miniport.plugins.development.errors import PluginDevError
from tests.plugins.development.support import approve, category_mp, pair_ids, refused

pytestmark = pytest.mark.django_db


def labels(mp) -> list[str]:
    return [choice.label for choice in services.plugin_categories_available(mp)]


def test_plg2_the_seed_catalog_has_its_17_rows_with_the_special_conditions():
    assert len(catalog.SEED_ROWS) == 17
    conditional = {
        (row.first, row.seconds): row.only_for for row in catalog.SEED_ROWS if row.only_for
    }
    assert conditional == {
        ("医疗", ("就医服务", "互联网医院")): {catalog.MEDICAL},
        ("社交", ("笔记", "问答", "社区/论坛", "陌生人社交")): {catalog.SOCIAL},
        ("社交", ("直播",)): {catalog.ECOMMERCE, catalog.EDUCATION},
    }


def test_plg2_seed_names_map_onto_the_platform_catalog():
    platform = platform_catalog.catalog(platform_catalog.NON_PERSONAL)
    firsts = {first.name for first in platform.first_levels()}
    assert catalog.platform_first(catalog.SEED_ROWS[1]) == "教育服务"
    for row in catalog.SEED_ROWS:
        if row.first == "商业服务":
            continue  # not in the platform's catalog: opens nothing
        assert catalog.platform_first(row) in firsts, row.first
    # "所有二级类目" opens every second level of the first level.
    for second in platform.children_of(pair_ids("汽车服务", "汽车维修")[0]):
        assert catalog.row_for("汽车服务", second.name) is not None
    assert catalog.row_for("教育服务", "驾校培训") is not None
    # Listed second levels open by name only.
    assert catalog.row_for("餐饮", "外卖平台") is not None
    assert catalog.row_for("生活服务", "家政服务") is None
    assert catalog.row_for("社交", "陌生人交友") is not None  # 陌生人社交
    assert catalog.row_for("商家自营", "食品") is None


def test_plg2_only_approved_categories_the_catalog_opens_are_offered(provision):
    mp = category_mp(provision, ("工具", "信息查询"), ("商家自营", "食品"), ("体育", "体育赛事"))
    approve(mp, "旅游", "景区服务", status="pending")
    approve(mp, "IT科技", "开发者工具", status="rejected")
    approve(mp, "快递业与邮政", "邮政")
    assert labels(mp) == ["工具 > 信息查询", "快递业与邮政 > 邮政"]


def test_plg2_medical_categories_only_for_medical_mini_programs(provision):
    medical = category_mp(provision, ("医疗服务", "公立医疗机构"), ("工具", "天气"))
    assert labels(medical) == ["医疗服务 > 公立医疗机构", "工具 > 天气"]
    tools_first = category_mp(provision, ("工具", "天气"), ("医疗服务", "公立医疗机构"))
    assert labels(tools_first) == ["工具 > 天气"]


def test_plg2_social_notes_qa_forums_and_strangers_only_for_social_mini_programs(provision):
    social = category_mp(provision, ("社交", "笔记"), ("社交", "陌生人交友"))
    assert labels(social) == ["社交 > 笔记", "社交 > 陌生人交友"]
    other = category_mp(provision, ("电商平台", "电商平台"), ("社交", "问答"))
    assert labels(other) == ["电商平台 > 电商平台"]


def test_plg2_live_streaming_only_for_e_commerce_or_education_mini_programs():
    live = next(row for row in catalog.SEED_ROWS if row.seconds == ("直播",))
    assert catalog.condition_met(live, catalog.kinds_of("电商平台"))
    assert catalog.condition_met(live, catalog.kinds_of("教育服务"))
    assert not catalog.condition_met(live, catalog.kinds_of("社交"))
    assert not catalog.condition_met(live, catalog.kinds_of("工具"))


def test_plg2_a_category_outside_the_choices_is_refused(provision):
    mp = category_mp(provision, ("工具", "天气"), ("医疗服务", "公立医疗机构"))
    first, second = pair_ids("医疗服务", "公立医疗机构")
    actor = Actor.for_identity(mp.admin_identity)
    refused(
        lambda: services.plugin_enable(
            actor=actor,
            miniprogram=mp,
            name="医疗插件",
            introduction="挂号服务插件",
            service_contact="110",
            category_first_id=first,
            category_second_id=second,
        ),
        PluginDevError.CATEGORY_NOT_OPEN,
        category=f"{first}:{second}",
    )


def test_plg2_an_owner_without_a_category_open_to_plugins_cannot_enable(provision):
    mp = category_mp(provision, ("商家自营", "食品"))
    actor = Actor.for_identity(mp.admin_identity)
    refused(
        lambda: services.plugin_enable(
            actor=actor,
            miniprogram=mp,
            name="食品插件",
            introduction="食品服务插件",
            service_contact="110",
        ),
        PluginDevError.NO_CATEGORY,
    )


def test_plg2_the_choices_are_read_from_the_plugin_or_its_owner(make_plugin):
    owner = make_plugin()
    assert labels(owner.plugin) == labels(owner.miniprogram) == ["工具 > 信息查询"]
