"""B-2 for the basic-info family: wechatpy 1.8.18 pointed at our base URL uploads a
temporary image, sets the avatar from it and changes the introduction unchanged."""

from __future__ import annotations

import io
import json

import pytest

from tests.miniprograms.profile_support import fresh, image_bytes


@pytest.mark.django_db(transaction=True)
def test_wechatpy_uploads_media_and_edits_the_basic_info(live_server, provision):
    from urllib.parse import urlencode
    from urllib.request import urlopen

    from wechatpy import WeChatClient
    from wechatpy.exceptions import WeChatClientException

    app = provision("personal", name="兼容性测试")
    query = urlencode(
        {"grant_type": "client_credential", "appid": app.miniprogram.appid, "secret": app.secret}
    )
    with urlopen(f"{live_server.url}/cgi-bin/token?{query}") as answer:
        token = json.loads(answer.read())["access_token"]
    client = WeChatClient(app.miniprogram.appid, app.secret, access_token=token)
    client.API_BASE_URL = live_server.url + "/cgi-bin/"

    uploaded = client.media.upload("image", io.BytesIO(image_bytes("JPEG", (400, 400))))
    assert uploaded["type"] == "image" and uploaded["media_id"]
    client.post("account/modifyheadimage", data={"head_img_media_id": uploaded["media_id"]})
    client.post("account/modifysignature", data={"signature": "由 wechatpy 修改"})
    mp = fresh(app.miniprogram)
    assert mp.introduction == "由 wechatpy 修改" and mp.avatar.name.endswith(".jpg")
    with pytest.raises(WeChatClientException) as refused:
        client.post("account/modifysignature", data={"signature": "短"})
    assert refused.value.errcode == 40097
