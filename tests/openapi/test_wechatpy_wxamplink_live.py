"""OA-3 with wechatpy against a live server: a `WeChatClient` made with the official
account's AppID and AppSecret fetches its token at /cgi-bin/token, asks for the
association (wxamplink), sees it waiting (wxamplinkget status 2), then linked (status 1)
once the mini program's administrator confirmed by scan, and unlinks it (wxampunlink).
wechatpy has no wxamplink methods, so the client's own `post` (token handling, errcode
checks) sends the bodies of wechat-api section 12."""

from __future__ import annotations

import pytest
from wechatpy import WeChatClient
from wechatpy.exceptions import WeChatClientException

from miniport.core.actors import Actor
from miniport.links.official_accounts import services
from miniport.links.official_accounts.models import OfficialAccountLink
from tests.links.official_accounts.support import confirm

pytestmark = pytest.mark.django_db(transaction=True)


class MiniportClient(WeChatClient):
    def fetch_access_token(self):
        return self._fetch_access_token(
            url=self.API_BASE_URL + "token",
            params={"grant_type": "client_credential", "appid": self.appid, "secret": self.secret},
        )


def test_oa3_wechatpy_links_waits_sees_it_linked_and_unlinks_over_http(
    live_server, provision, make_identity
):
    mp = provision("enterprise").miniprogram
    oa, secret = services.official_account_create(
        actor=Actor.system("tests"), name="活动公众号", admin=make_identity("oa_live_admin")
    )
    client = MiniportClient(oa.appid, secret)
    client.API_BASE_URL = live_server.url + "/cgi-bin/"

    asked = client.post(
        "wxopen/wxamplink", data={"appid": mp.appid, "notify_users": "1", "show_profile": "1"}
    )
    assert asked["errcode"] == 0
    items = client.post("wxopen/wxamplinkget", data={})["wxopens"]["items"]
    assert [(i["appid"], i["status"], i["selected"]) for i in items] == [(mp.appid, 2, 1)]

    confirm(OfficialAccountLink.objects.get())
    items = client.post("wxopen/wxamplinkget", data={})["wxopens"]["items"]
    assert items[0]["status"] == 1 and items[0]["username"].startswith("gh_")

    with pytest.raises(WeChatClientException) as caught:
        client.post("wxopen/wxamplink", data={"appid": mp.appid})
    assert caught.value.errcode == 89015

    assert client.post("wxopen/wxampunlink", data={"appid": mp.appid})["errcode"] == 0
    assert client.post("wxopen/wxamplinkget", data={})["wxopens"]["items"] == []
    with pytest.raises(WeChatClientException) as caught:
        client.post("wxopen/wxampunlink", data={"appid": mp.appid})
    assert caught.value.errcode == 40013
