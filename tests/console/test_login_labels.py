"""The console's login and the desk's sign-in label their fields as the console's other
forms do: the label alone, without a trailing colon, in both languages. (B-11)"""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

EXPECTED = {"en": ["Email", "Password"], "zh-hans": ["邮箱", "密码"]}


def labels(path: str, lang: str) -> list[str]:
    page = Client(HTTP_ACCEPT_LANGUAGE=lang).get(path).content.decode()
    return [text.strip() for text in re.findall(r"<label[^>]*>(.*?)</label>", page, re.S)]


@pytest.mark.parametrize("lang", ["zh-hans", "en"], ids=["zh", "en"])
@pytest.mark.parametrize("path", ["/login/", "/ops/login/"], ids=["console", "ops"])
def test_the_login_labels_have_no_trailing_colon(path, lang):
    assert labels(path, lang) == EXPECTED[lang]


@pytest.mark.parametrize("lang", ["zh-hans", "en"], ids=["zh", "en"])
def test_the_console_and_the_desk_label_their_sign_in_alike(lang):
    assert labels("/login/", lang) == labels("/ops/login/", lang)
