"""Issue 10 item 5: the service category catalog carries English names, shown on English
pages; Chinese pages, the stored rows and the API keep the catalog's Chinese names."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils import translation

from miniport.miniprograms import catalog
from tests.miniprograms.profile_support import console_login, personal_app_fixture  # noqa: F401


@pytest.mark.parametrize("kind", catalog.KINDS)
def test_every_category_and_qualification_has_an_english_name(kind):
    missing = []
    for node in catalog.catalog(kind).by_id.values():
        if node.id and catalog.name_in(node.name, "en") == node.name:
            missing.append(node.name)
        missing += [q for q in node.qualifications if catalog.name_in(q, "en") == q]
    assert missing == []


def test_names_follow_the_language_and_the_stored_label_stays_chinese():
    pair = catalog.catalog(catalog.PERSONAL).pair(1, 101)
    assert pair.label == "工具 > 信息查询"
    with translation.override("en"):
        assert pair.display_label == "Tools > Information lookup"
        assert pair.label == "工具 > 信息查询"
    with translation.override("zh-hans"):
        assert pair.display_label == "工具 > 信息查询"


@pytest.mark.django_db
def test_the_categories_page_names_them_in_english(client, personal_app):
    console_login(client, personal_app)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/settings/basic/categories/").content.decode()
    assert "Tools &gt; Information lookup" in html
    assert "信息查询" not in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    assert "工具 &gt; 信息查询" in client.get("/settings/basic/categories/").content.decode()
