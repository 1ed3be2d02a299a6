"""PLG-7: the signed upload endpoint with a plugin's AppID (what `miniport upload
--appid PLUGIN_APPID` sends), in process: the owner's upload key signs; the owner's IP
whitelist, the timestamp window and replays are refused as for a mini program; nothing
is stored on a refusal."""

from __future__ import annotations

import hashlib
import time
from urllib.parse import quote

import pytest

from miniport.miniprograms.services import upload_keys as keys
from miniport.plugins.models import PluginVersion
from miniport.releases.models import CodePackage
from tests.miniprograms.devsettings_support import set_ip_whitelist
from tests.plugins import makers
from tests.plugins.makers import plugin_zip

pytestmark = pytest.mark.django_db
URL = "/cgi-bin/miniport/upload"
make_owner, make_plugin = makers.make_owner, makers.make_plugin


@pytest.fixture
def owner(make_plugin):
    owner = make_plugin()
    _key, pem = keys.upload_key_create(
        actor=keys.Actor.system("tests"), miniprogram=owner.miniprogram, name="ci"
    )
    owner.pem = pem.encode()
    return owner


def headers(appid: str, pem: bytes, data: bytes, *, version="1.0.0", when=None) -> dict:
    timestamp = int(when if when is not None else time.time())
    message = keys.upload_message(
        appid=appid,
        version=version,
        timestamp=timestamp,
        package_sha256=hashlib.sha256(data).hexdigest(),
        desc="",
    )
    return {
        "HTTP_X_MINIPORT_APPID": appid,
        "HTTP_X_MINIPORT_VERSION": quote(version, safe=""),
        "HTTP_X_MINIPORT_DESC": "",
        "HTTP_X_MINIPORT_KEY": keys.private_key_fingerprint(pem),
        "HTTP_X_MINIPORT_TIMESTAMP": str(timestamp),
        "HTTP_X_MINIPORT_SIGNATURE": keys.sign_upload(pem, message),
    }


def stored() -> tuple[int, int]:
    return PluginVersion.objects.count(), CodePackage.objects.count()


def post(client, data: bytes, signed: dict, **extra) -> dict:
    return client.post(URL, data=data, content_type="application/zip", **signed, **extra).json()


def test_plg7_a_signed_plugin_upload_makes_a_plugin_version(client, owner):
    data = plugin_zip()
    answer = post(client, data, headers(owner.plugin.appid, owner.pem, data))
    assert answer["errcode"] == 0, answer
    assert answer["appid"] == owner.plugin.appid
    version = PluginVersion.objects.get()
    assert version.plugin == owner.plugin and version.source == "cli"


def test_plg7_the_owners_ip_whitelist_applies(client, owner):
    set_ip_whitelist(owner.miniprogram, ["198.51.100.0/24"])
    data = plugin_zip()
    answer = post(client, data, headers(owner.plugin.appid, owner.pem, data))
    assert answer["errcode"] == 40164
    assert stored() == (0, 0)
    inside = post(
        client, data, headers(owner.plugin.appid, owner.pem, data), REMOTE_ADDR="198.51.100.7"
    )
    assert inside["errcode"] == 0, inside


def test_plg7_a_signature_over_the_owners_appid_does_not_upload_to_the_plugin(client, owner):
    data = plugin_zip()
    signed = headers(owner.appid, owner.pem, data)
    signed["HTTP_X_MINIPORT_APPID"] = owner.plugin.appid
    answer = post(client, data, signed)
    assert answer["errcode"] != 0 and "signature" in answer["errmsg"]
    assert stored() == (0, 0)


def test_plg7_a_stale_timestamp_and_a_replay_are_refused(client, owner):
    data = plugin_zip()
    stale = post(client, data, headers(owner.plugin.appid, owner.pem, data, when=1))
    assert stale["errcode"] != 0
    assert stored() == (0, 0)
    signed = headers(owner.plugin.appid, owner.pem, data)
    assert post(client, data, signed)["errcode"] == 0
    again = post(client, data, signed)
    assert again["errcode"] != 0
    assert stored() == (1, 1)
