"""PLG-11 / PLG-9 with wechatpy 1.8.18 against a live server: a using mini program's
`WeChatClient` applies for a plugin through `/wxa/plugin` (action apply) and lists it
applying (status 1); the owner's client agrees through `/wxa/devplugin` (dev_agree);
the user's list then shows it approved (status 2). wechatpy 1.8.18 has no plugin
methods in `client.wxa`, so the clients' own `post` (token handling, errcode checks)
sends the bodies of wechat-api section 9."""

from __future__ import annotations

import pytest
from wechatpy import WeChatClient
from wechatpy.exceptions import WeChatClientException

from miniport.core.actors import Actor
from miniport.miniprograms.services import miniprogram_issue_secret
from miniport.plugins.models import PluginApplication, PluginApplicationStatus
from tests.plugins import makers

pytestmark = pytest.mark.django_db(transaction=True)
make_owner, make_plugin, released_plugin = (
    makers.make_owner,
    makers.make_plugin,
    makers.released_plugin,
)


class MiniportClient(WeChatClient):
    def fetch_access_token(self):
        return self._fetch_access_token(
            url=self.API_BASE_URL + "token",
            params={"grant_type": "client_credential", "appid": self.appid, "secret": self.secret},
        )


def client_for(live_server, miniprogram) -> MiniportClient:
    secret = miniprogram_issue_secret(actor=Actor.system("tests"), miniprogram=miniprogram)
    client = MiniportClient(miniprogram.appid, secret)
    client.API_BASE_URL = live_server.url + "/cgi-bin/"
    return client


def test_plg11_wechatpy_applies_and_the_owner_agrees_over_http(
    live_server, released_plugin, provision
):
    user_mp = provision("personal").miniprogram
    user = client_for(live_server, user_mp)
    owner = client_for(live_server, released_plugin.miniprogram)
    base = live_server.url + "/wxa/"
    plugin_appid = released_plugin.plugin.appid

    applied = user.post(
        base + "plugin", data={"action": "apply", "plugin_appid": plugin_appid, "reason": "需要"}
    )
    assert applied["errcode"] == 0
    listed = user.post(base + "plugin", data={"action": "list"})
    assert [(p["appid"], p["status"]) for p in listed["plugin_list"]] == [(plugin_appid, 1)]

    applications = owner.post(
        base + "devplugin", data={"action": "dev_apply_list", "page": 1, "num": 10}
    )
    assert [a["appid"] for a in applications["apply_list"]] == [user_mp.appid]
    agreed = owner.post(base + "devplugin", data={"action": "dev_agree", "appid": user_mp.appid})
    assert agreed["errcode"] == 0

    listed = user.post(base + "plugin", data={"action": "list"})
    assert listed["plugin_list"][0]["status"] == 2
    assert PluginApplication.objects.get().status == PluginApplicationStatus.APPROVED

    with pytest.raises(WeChatClientException) as caught:
        user.post(base + "plugin", data={"action": "apply", "plugin_appid": plugin_appid})
    assert caught.value.errcode == 89237
