"""INF-6: adding a service category with none chosen says, on the category field and in
the page's language, to choose one; it never claims the category is a duplicate (the
list used to start on the first category, already added, so an untouched form added a
"duplicate"). Nothing is stored."""

from __future__ import annotations

import re

import pytest

from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.models import MiniProgramCategory
from tests.console.versions_support import browser
from tests.releases.version_support import app_fixture  # noqa: F401

pytestmark = pytest.mark.django_db

PAGE = "/settings/basic/categories/"
ASKED = {"en": "Choose a service category.", "zh-hans": "请选择服务类目"}


def field_errors(html: str) -> list[str]:
    found = re.search(r'<ul class="errorlist" id="id_category_error">(.*?)</ul>', html, re.S)
    return re.findall(r"<li>(.*?)</li>", found.group(1)) if found else []


def categories() -> list:
    return sorted(MiniProgramCategory.objects.values_list("pk", "first_id", "second_id", "status"))


def test_the_category_list_starts_on_no_category(app):
    html = browser(app.admin).get(PAGE).content.decode()
    select = re.search(r'<select name="category"[^>]*>(.*?)</select>', html, re.S).group(1)
    first = re.search(r"<option[^>]*>", select).group(0)
    assert 'value=""' in first and "selected" in first


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("data", [{}, {"category": ""}])
def test_adding_with_no_category_chosen_asks_to_choose_one_on_the_field(app, language, data):
    before = categories()
    response = browser(app.admin, language).post(PAGE, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert field_errors(html) == [ASKED[language]]
    for lang in ("en", "zh-hans"):
        assert MiniProgramError.CATEGORY_DUPLICATE.message(lang) not in html.lower()
    assert "This field is required" not in html and "这个字段是必须的" not in html
    assert categories() == before


def test_a_category_already_added_is_still_refused_as_a_duplicate(app):
    before = categories()
    response = browser(app.admin).post(PAGE, {"category": "1:101"})
    assert response.status_code == 400
    assert field_errors(response.content.decode()) == ["Duplicate category"]
    assert categories() == before
