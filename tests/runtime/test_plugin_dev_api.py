"""PLG-7: the development assistant. A plugin has no experience version; its developers
(the owner's administrator and project members with the developer role) fetch the latest
upload from /runtime/v1/plugins/develop with a signed download URL; anyone else is
refused with a coded error."""

from __future__ import annotations

import hashlib
import io
import json

import pytest

from miniport.plugins.versions import services
from tests.plugins import makers
from tests.plugins.makers import plugin_zip
from tests.runtime.launch_support import HOST, session_of

pytestmark = pytest.mark.django_db
make_owner, make_plugin = makers.make_owner, makers.make_plugin


def develop(client, identity, plugin_appid: str) -> dict:
    response = client.get(
        "/runtime/v1/plugins/develop",
        {"plugin_appid": plugin_appid},
        HTTP_X_HOST_APP=HOST,
        HTTP_X_IDENTITY_SESSION=session_of(identity) if identity is not None else "",
    )
    assert response.status_code == 200
    return json.loads(response.content)


def upload(owner, user_version: str):
    return services.plugin_version_upload(
        actor=owner.developer_actor,
        plugin=owner.plugin,
        archive=io.BytesIO(plugin_zip(user_version)),
        user_version=user_version,
        user_desc="",
    )


@pytest.mark.parametrize("who", ["admin", "developer"])
def test_plg7_developers_get_the_latest_upload_with_a_download_url(client, make_plugin, who):
    owner = make_plugin()
    upload(owner, "1.0.0")
    latest = upload(owner, "1.0.1")
    answer = develop(client, getattr(owner, who), owner.plugin.appid)
    assert answer["errcode"] == 0, answer
    assert answer["version"] == "1.0.1"
    assert answer["sha256"] == latest.package.sha256
    assert answer["size"] == latest.package.size
    body = client.get(answer["download_url"])
    data = b"".join(body.streaming_content) if body.streaming else body.content
    assert hashlib.sha256(data).hexdigest() == latest.package.sha256


@pytest.mark.parametrize("who", ["operator", "outsider"])
def test_plg7_others_than_developers_are_refused(client, make_plugin, who):
    owner = make_plugin()
    upload(owner, "1.0.0")
    answer = develop(client, getattr(owner, who), owner.plugin.appid)
    assert answer["error"] == "not_a_developer"
    assert answer["errcode"] != 0 and "download_url" not in answer


def test_plg7_nothing_uploaded_yet_is_said_so(client, make_plugin):
    owner = make_plugin()
    answer = develop(client, owner.developer, owner.plugin.appid)
    assert answer["error"] == "no_upload"


def test_plg7_an_appid_that_names_no_plugin_is_refused(client, make_plugin):
    owner = make_plugin()
    answer = develop(client, owner.developer, owner.appid)
    assert answer["error"] == "not_a_plugin"


def test_plg7_without_an_identity_session_nothing_is_answered(client, make_plugin):
    owner = make_plugin()
    upload(owner, "1.0.0")
    answer = develop(client, None, owner.plugin.appid)
    assert answer["errcode"] != 0 and "sha256" not in answer
