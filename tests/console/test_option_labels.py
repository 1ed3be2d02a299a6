"""The console's radios and selects offer labels, not the models' lower-case words: the
plugin settings' approval policies and the message push's encryption modes begin with a
capital in English and are translated on Chinese pages. (B-11)"""

from __future__ import annotations

import html as html_lib
import re

import pytest

from tests.console.plugin_support import browser
from tests.miniprograms.conftest import console_login
from tests.plugins import makers

pytestmark = pytest.mark.django_db
make_owner, make_plugin, released_plugin = (
    makers.make_owner,
    makers.make_plugin,
    makers.released_plugin,
)


def radio_labels(page: str, name: str) -> list[str]:
    labels = re.findall(
        rf'<label[^>]*>\s*<input type="radio" name="{name}"[^>]*>\s*(.*?)</label>', page, re.S
    )
    return [html_lib.unescape(label).strip() for label in labels]


def select_labels(page: str, name: str) -> list[str]:
    body = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S).group(1)
    return [html_lib.unescape(t).strip() for t in re.findall(r"<option[^>]*>(.*?)</option>", body)]


def test_the_plugin_approval_policies_begin_with_a_capital(released_plugin):
    page = browser(released_plugin.admin, released_plugin.appid).get("/plugin/settings/")
    labels = radio_labels(page.content.decode(), "approval_policy")
    assert len(labels) == 3
    assert "The owner approves or refuses each application" in labels
    assert all(label[:1].isupper() for label in labels), labels


def test_the_plugin_approval_policies_are_translated_in_chinese(released_plugin):
    page = browser(released_plugin.admin, released_plugin.appid, "zh-hans").get("/plugin/settings/")
    labels = radio_labels(page.content.decode(), "approval_policy")
    assert len(labels) == 3
    assert not any(re.search(r"[a-z]{3}", label) for label in labels), labels


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("en", ["Plain text", "Compatible", "Safe"]), ("zh-hans", None)],
    ids=["en", "zh"],
)
def test_the_push_encryption_modes_read_as_labels(provision, lang, expected):
    from django.test import Client

    app = provision("personal")
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    console_login(client, app.miniprogram.admin_identity, app.miniprogram.appid)
    page = client.get("/settings/dev/push/").content.decode()
    labels = select_labels(page, "push_mode")
    if expected:
        assert labels == expected
    else:
        assert len(labels) == 3 and not any(re.match(r"[A-Za-z]", label) for label in labels)
