"""The plugin service-category catalog (PLG-2, seed 000 "开放范围及服务类目"), kept as data,
and how it maps onto the platform's category catalog (`miniport.miniprograms.catalog`).

The seed names its 17 rows in its own words; the platform's catalog names some first
and second levels differently. `FIRST_ALIASES` and `SECOND_ALIASES` say which platform
name a seed name stands for (教育 ↔ 教育服务, 医疗 ↔ 医疗服务, 汽车 ↔ 汽车服务,
陌生人社交 ↔ 陌生人交友, 就医服务 ↔ 公立医疗机构). `ALL` ("所有二级类目") opens every
second level of the first level; otherwise only the listed second levels, by name. A
seed name with no counterpart in the platform's catalog (商业服务, 直播, 互联网医院,
生活缴费 ...) opens nothing until the platform's catalog has it.

Special conditions (the seed's 特殊说明) decide by the owner's *main* category: the
earliest of its approved categories (the one it was first approved for). A mini program
is a medical (social, e-commerce, education) mini program when its main category's first
level is 医疗服务 (社交, 电商平台, 教育服务). So:
- 医疗 (就医服务, 互联网医院): only medical mini programs;
- 社交 (笔记, 问答, 社区/论坛, 陌生人社交): only social mini programs;
- 社交 (直播): only e-commerce or education mini programs.
"""

from __future__ import annotations

from dataclasses import dataclass

from miniport.miniprograms.catalog import name_in

ALL = "*"

# Kinds of mini program a special condition names.
MEDICAL = "medical"
SOCIAL = "social"
ECOMMERCE = "ecommerce"
EDUCATION = "education"

# The platform's first level that makes a mini program of each kind (by its main category).
KIND_FIRST_LEVELS: dict[str, frozenset[str]] = {
    MEDICAL: frozenset({"医疗服务"}),
    SOCIAL: frozenset({"社交"}),
    ECOMMERCE: frozenset({"电商平台"}),
    EDUCATION: frozenset({"教育服务"}),
}


@dataclass(frozen=True)
class SeedRow:
    first: str  # the seed's first level
    seconds: tuple[str, ...]  # the seed's second levels, or (ALL,)
    # The kinds of mini program that may use the row (any of them); empty: every one.
    only_for: frozenset[str] = frozenset()
    note: str = ""  # the seed's 特殊说明, verbatim


SEED_ROWS: tuple[SeedRow, ...] = (
    SeedRow("快递业与邮政", (ALL,)),
    SeedRow("教育", (ALL,)),
    SeedRow("医疗", ("就医服务", "互联网医院"), frozenset({MEDICAL}), "仅医疗类小程序可使用"),
    SeedRow("政务民生", (ALL,)),
    SeedRow("金融业", ("征信业务", "保险")),
    SeedRow("出行与交通", (ALL,)),
    SeedRow("生活服务", ("票务", "生活缴费", "休闲娱乐")),
    SeedRow("IT科技", (ALL,)),
    SeedRow("餐饮", ("点评与推荐", "菜谱", "餐厅排队", "点餐平台", "外卖平台")),
    SeedRow("旅游", (ALL,)),
    SeedRow("文娱", ("视频", "FM/电台", "音乐", "有声读物", "动漫")),
    SeedRow(
        "工具",
        (
            "记账",
            "投票",
            "日历",
            "天气",
            "备忘录",
            "办公",
            "字典",
            "计算类",
            "报价/比价",
            "发票查询",
            "企业管理",
            "预约/报名",
            "图片/音频/视频",
            "信息查询",
        ),
    ),
    SeedRow("电商平台", ("电商平台",)),
    SeedRow(
        "社交",
        ("笔记", "问答", "社区/论坛", "陌生人社交"),
        frozenset({SOCIAL}),
        "仅限社交类目小程序使用",
    ),
    SeedRow(
        "社交", ("直播",), frozenset({ECOMMERCE, EDUCATION}), "仅限电商平台、教育类目小程序使用"
    ),
    SeedRow("商业服务", ("招聘/求职",)),
    SeedRow("汽车", (ALL,)),
)

# Seed name -> the platform catalog's name, where they differ.
FIRST_ALIASES: dict[str, str] = {"教育": "教育服务", "医疗": "医疗服务", "汽车": "汽车服务"}
SECOND_ALIASES: dict[tuple[str, str], str] = {
    ("社交", "陌生人社交"): "陌生人交友",
    ("医疗", "就医服务"): "公立医疗机构",
}


def platform_first(row: SeedRow) -> str:
    return FIRST_ALIASES.get(row.first, row.first)


def platform_seconds(row: SeedRow) -> tuple[str, ...]:
    if row.seconds == (ALL,):
        return (ALL,)
    return tuple(SECOND_ALIASES.get((row.first, second), second) for second in row.seconds)


def row_for(first_name: str, second_name: str) -> SeedRow | None:
    """The seed row that opens this platform category (by its names), or None."""
    for row in SEED_ROWS:
        if platform_first(row) != first_name:
            continue
        seconds = platform_seconds(row)
        if seconds == (ALL,) or second_name in seconds:
            return row
    return None


def kinds_of(main_first_name: str | None) -> frozenset[str]:
    """The kinds (medical, social, ...) of a mini program whose main category's first
    level is `main_first_name`."""
    if not main_first_name:
        return frozenset()
    return frozenset(
        kind for kind, firsts in KIND_FIRST_LEVELS.items() if main_first_name in firsts
    )


def condition_met(row: SeedRow, kinds: frozenset[str]) -> bool:
    """A row with a special condition opens only for the kinds it names."""
    return not row.only_for or bool(row.only_for & kinds)


def category_label(first: str, second: str, language: str | None = None) -> str:
    """A plugin service category as the plugin pages show it, "first › second", each name
    in `language` (by default the page's): one separator on every plugin page."""
    return f"{name_in(first, language)} › {name_in(second, language)}"
