"""/wxa/plugin and /wxa/devplugin met by a stranger: every wrong type, size and shape of
input answers HTTP 200 with a documented errcode (never -1, never a 500) and stores nothing."""

from __future__ import annotations

import pytest

from miniport.plugins.models import PluginApplication
from tests.openapi.plugin_support import token_for
from tests.plugins import makers

make_owner, make_plugin, released_plugin = (
    makers.make_owner,
    makers.make_plugin,
    makers.released_plugin,
)

pytestmark = pytest.mark.django_db

ODD = [None, 0, -1, 10**30, 1.5, True, [], ["apply"], {}, {"a": 1}, "x" * 100_000, "𝕏\u0000\u202e"]


@pytest.fixture
def user_token(provision):
    return token_for(provision("personal").miniprogram)


@pytest.fixture
def owner_token(released_plugin):
    return token_for(released_plugin.miniprogram)


def _documented(answer: dict) -> None:
    assert isinstance(answer, dict), answer
    assert answer.get("errcode") not in (-1, None), answer


@pytest.mark.parametrize("field", ["action", "plugin_appid", "reason", "user_version"])
@pytest.mark.parametrize("value", ODD, ids=range(len(ODD)))
def test_plg11_wrong_types_in_wxa_plugin_answer_an_errcode(wire, user_token, field, value):
    body = {"action": "apply", "plugin_appid": "wxnone", "reason": "r", "user_version": "1.0.0"}
    body[field] = value
    _documented(wire.post("/wxa/plugin", body, access_token=user_token))
    assert not PluginApplication.objects.exists()


@pytest.mark.parametrize("field", ["action", "appid", "reason", "page", "num"])
@pytest.mark.parametrize(
    "value", ODD + ["-1", "0", "99999999999999999999", "1e3", " 2 "], ids=range(len(ODD) + 5)
)
def test_plg9_wrong_types_in_wxa_devplugin_answer_an_errcode(wire, owner_token, field, value):
    body = {"action": "dev_apply_list", "appid": "wxnone", "reason": "r", "page": 1, "num": 10}
    body[field] = value
    _documented(wire.post("/wxa/devplugin", body, access_token=owner_token))


@pytest.mark.parametrize("path", ["/wxa/plugin", "/wxa/devplugin"])
@pytest.mark.parametrize(
    "raw", [b"", b"not json", b"[]", b"[1,2]", b"null", b"1", b'"s"', b"{", b"\xff\xfe", b"{}"]
)
def test_plg9_bodies_that_are_not_an_object_answer_an_errcode(wire, owner_token, path, raw):
    _documented(wire.post_raw(path, raw, access_token=owner_token))


@pytest.mark.parametrize("path", ["/wxa/plugin", "/wxa/devplugin"])
@pytest.mark.parametrize("token", [None, "", "bad", "x" * 5000, "\u0000"])
def test_plg9_no_or_bad_access_token_answers_an_errcode(wire, path, token):
    params = {} if token is None else {"access_token": token}
    _documented(wire.post(path, {"action": "list"}, **params))
