"""B-2, VER-1..VER-7: wechatpy 1.8.18, pointed at a real `miniport serve` process, drives
code management unchanged: commit from a template → submit_audit → the desk approves
through `miniport review decide` → get_auditstatus → release → getversioninfo.

wechatpy's own `client.wxa` methods are used where 1.8.18 has them (commit, get_qrcode,
get_category, get_page, submit_audit, get_audit_status, get_latest_audit_status,
release, change_visit_status); the template library calls, which it lacks, go through
the same client's `get`/`post`. The draft is a development version uploaded the way
the console does (`version_upload`, run by `miniport manage shell` against the server's
database), since the server API has no upload of its own.
"""

from __future__ import annotations

import json

import pytest
from wechatpy.exceptions import WeChatClientException

from tests.openapi.live_server import Server
from tests.openapi.test_wechatpy_compat import MiniportClient
from tests.releases.zips import app_files, make_zip

pytestmark = pytest.mark.live_server_process

UPLOAD = """
from miniport.core.actors import Actor
from miniport.miniprograms.models import MiniProgram
from miniport.releases.services import version_upload
mp = MiniProgram.objects.get(appid={appid!r})
version = version_upload(actor=Actor.system("tests"), miniprogram=mp, archive={path!r},
                         user_version="1.0.0", user_desc="template draft")
print(version.pk)
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("wechatpy-code")
    server = Server(folder)
    server.cli("migrate")
    server.app = server.create_app(name="代码流程测试", email="code-flow@example.com")
    archive = folder / "draft.zip"
    archive.write_bytes(make_zip(app_files(("pages/index/index", "pages/logs/logs"))))
    server.cli("manage", "shell", "-c", UPLOAD.format(appid=server.app["appid"], path=str(archive)))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def wechat(server) -> MiniportClient:
    wechat = MiniportClient(server.app["appid"], server.app["secret"])
    wechat.API_BASE_URL = server.base + "/cgi-bin/"
    wechat.wxa.API_BASE_URL = server.base + "/"
    return wechat


def test_commit_review_and_release_through_wechatpy(server, wechat):
    # The category submit_audit will name (approved at once: no qualification needed).
    added = wechat.post("wxopen/addcategory", data={"categories": [{"first": 1, "second": 101}]})
    assert added["errcode"] == 0

    # The template library: the uploaded draft becomes a template.
    drafts = wechat.wxa._get("wxa/gettemplatedraftlist")["draft_list"]
    assert [d["user_version"] for d in drafts] == ["1.0.0"]
    wechat.wxa._post("wxa/addtotemplate", data={"draft_id": drafts[0]["draft_id"]})
    (template,) = wechat.wxa._get("wxa/gettemplatelist")["template_list"]

    # Before a commit there is nothing to submit.
    with pytest.raises(WeChatClientException) as nothing:
        wechat.wxa.submit_audit({"item_list": []})
    assert nothing.value.errcode == 85086

    ext_json = json.dumps({"extAppid": server.app["appid"], "ext": {"shop": "A1"}})
    assert wechat.wxa.commit(template["template_id"], ext_json, "1.0.1", "首个版本")["errcode"] == 0
    qrcode = wechat.wxa.get_qrcode()
    assert qrcode.headers["Content-Type"] == "image/jpeg"
    assert qrcode.content.startswith(b"\xff\xd8\xff")
    assert wechat.wxa.get_page() == ["pages/index/index", "pages/logs/logs"]
    (category,) = wechat.wxa.get_category()

    submitted = wechat.wxa.submit_audit(
        {
            "item_list": [
                {"address": "pages/index/index", "tag": "工具", "title": "首页", **category}
            ],
            "version_desc": "请审核",
        }
    )
    auditid = submitted["auditid"]
    assert wechat.wxa.get_audit_status(auditid)["status"] == 2
    with pytest.raises(WeChatClientException) as twice:
        wechat.wxa.submit_audit({"item_list": [{"address": "pages/index/index", **category}]})
    assert twice.value.errcode == 85009
    with pytest.raises(WeChatClientException) as early:
        wechat.wxa.release()
    assert early.value.errcode == 85019

    # The desk approves through the command line.
    queue = json.loads(server.cli("review", "list", "--kind", "code", "--json"))
    assert [(row["id"], row["appid"]) for row in queue] == [(auditid, server.app["appid"])]
    server.cli("review", "decide", str(auditid), "--approve")

    assert wechat.wxa.get_audit_status(auditid)["status"] == 0
    latest = wechat.wxa.get_latest_audit_status()
    assert latest["auditid"] == auditid and latest["status"] == 0
    assert latest["user_version"] == "1.0.1"

    assert wechat.wxa.release()["errcode"] == 0
    info = wechat.wxa._post("wxa/getversioninfo", data={})
    assert info["release_info"]["release_version"] == "1.0.1"
    assert info["release_info"]["release_desc"] == "首个版本"
    assert info["exp_info"]["exp_version"] == "1.0.1"
    with pytest.raises(WeChatClientException) as again:
        wechat.wxa.release()
    assert again.value.errcode == 85052

    assert wechat.wxa.change_visit_status(close=True)["errcode"] == 0
    assert wechat.wxa._post("wxa/getvisitstatus", data={})["status"] == 0
    assert wechat.wxa.change_visit_status(close=False)["errcode"] == 0
