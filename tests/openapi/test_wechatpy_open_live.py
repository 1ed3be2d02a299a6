"""OPN-1 / OPN-2 with wechatpy 1.8.18 against a live server: `client.wxa.create_open` for a
mini program, `bind_open` of a second mini program of the same subject, then
`code_to_session` on both apps gives the same unionid and different openids; `bind_open`
of another subject's app answers 89001, and `get_open` / `unbind_open` work as sent."""

from __future__ import annotations

import pytest
from wechatpy import WeChatClient
from wechatpy.exceptions import WeChatClientException

from miniport.core.actors import Actor
from miniport.identities.selectors import unionid_for
from miniport.miniprograms.services import miniprogram_issue_secret
from tests.links import makers
from tests.openapi.wire import issue_code

pytestmark = pytest.mark.django_db(transaction=True)
same_subject = makers.same_subject


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
    client.wxa.API_BASE_URL = live_server.url + "/"
    return client


def test_opn2_wechatpy_binds_two_same_subject_apps_that_share_one_unionid(
    live_server, provision, same_subject, make_identity
):
    first = provision("enterprise", certified=True).miniprogram
    second = same_subject(first).miniprogram
    stranger = provision("enterprise", certified=True).miniprogram
    one, two, other = (client_for(live_server, mp) for mp in (first, second, stranger))

    open_appid = one.wxa.create_open(first.appid)
    assert two.wxa.bind_open(second.appid, open_appid)["errcode"] == 0
    assert two.wxa.get_open(second.appid) == open_appid

    user = make_identity()
    on_first = one.wxa.code_to_session(issue_code(first, user))
    on_second = two.wxa.code_to_session(issue_code(second, user))
    assert on_first["unionid"] == on_second["unionid"] == unionid_for(user, open_appid)
    assert on_first["openid"] != on_second["openid"]

    with pytest.raises(WeChatClientException) as caught:
        other.wxa.bind_open(stranger.appid, open_appid)
    assert caught.value.errcode == 89001

    assert two.wxa.unbind_open(second.appid, open_appid)["errcode"] == 0
    assert "unionid" not in two.wxa.code_to_session(issue_code(second, user))
