"""A mini program calling the code-management API with its own access token: an approved
category, drafts uploaded the way the console does, and the desk's decisions
(wechat-api 4, 13; VER-1..VER-7)."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from typing import Any

import pytest

from miniport.core.actors import Actor
from miniport.core.models import AuditEntry
from miniport.miniprograms.services import categories
from miniport.releases import services
from miniport.releases.models import DevVersion, Submission, Template
from miniport.releases.packages import storage
from tests.openapi.wire import Wire
from tests.releases.version_support import (
    REVIEWER,
    TOOLS,
    approve,
    delay,
    package_bytes,
    reject,
    snapshot,
)

__all__ = ["REVIEWER", "approve", "delay", "reject"]


@dataclass
class CodeApp:
    provisioned: Any
    wire: Wire
    token: str

    @property
    def miniprogram(self):
        return self.provisioned.miniprogram

    @property
    def appid(self) -> str:
        return self.miniprogram.appid

    @property
    def admin_actor(self) -> Actor:
        return Actor.for_identity(self.miniprogram.admin_identity)

    def get(self, path: str, **params: Any) -> dict:
        return self.wire.get(path, access_token=self.token, **params)

    def post(self, path: str, body: Any) -> dict:
        return self.wire.post(path, body, access_token=self.token)

    def raw(self, route: str, **params: Any):
        from urllib.parse import urlencode

        query = urlencode({"access_token": self.token, **params})
        return self.wire.client.get(f"{route}?{query}")


def make_code_app(provision, wire: Wire, *, admin_wechat_id: str = "") -> CodeApp:
    provisioned = provision("personal", admin_wechat_id=admin_wechat_id)
    mp = provisioned.miniprogram
    categories.category_add(
        actor=Actor.for_identity(mp.admin_identity), miniprogram=mp, first=TOOLS[0], second=TOOLS[1]
    )
    return CodeApp(provisioned, wire, wire.token(provisioned))


@pytest.fixture(name="code")
def code_fixture(provision, wire) -> CodeApp:
    return make_code_app(provision, wire)


def upload_draft(code: CodeApp, version: str = "1.0.0", data: bytes | None = None) -> DevVersion:
    """A development version uploaded from the console: a draft of the library."""
    return services.version_upload(
        actor=code.admin_actor,
        miniprogram=code.miniprogram,
        archive=io.BytesIO(data if data is not None else package_bytes(version)),
        user_version=version,
        user_desc=f"draft {version}",
    )


def add_template(code: CodeApp, draft: DevVersion, template_type: int = 0) -> int:
    assert code.post(
        "/wxa/addtotemplate", {"draft_id": draft.pk, "template_type": template_type}
    ) == {"errcode": 0, "errmsg": "ok"}
    return Template.objects.filter(source_version=draft).latest("id").pk


def commit(code: CodeApp, template_id: int, version: str = "2.0.0", ext: Any = None) -> dict:
    ext_json = json.dumps(ext if ext is not None else {"ext": {"shop": 7}})
    return code.post(
        "/wxa/commit",
        {
            "template_id": template_id,
            "ext_json": ext_json,
            "user_version": version,
            "user_desc": f"commit {version}",
        },
    )


def committed(code: CodeApp, version: str = "2.0.0") -> DevVersion:
    """A template of a fresh draft, committed: the experience version."""
    template_id = add_template(code, upload_draft(code, f"draft-{version}"))
    assert commit(code, template_id, version)["errcode"] == 0
    return DevVersion.objects.filter(miniprogram=code.miniprogram).latest("id")


ITEM = {
    "address": "pages/index/index",
    "tag": "工具 效率",
    "first_class": "工具",
    "second_class": "信息查询",
    "first_id": TOOLS[0],
    "second_id": TOOLS[1],
    "title": "首页",
}


def submit(code: CodeApp, **changes: Any) -> dict:
    body = {"item_list": [ITEM], "version_desc": "first version"}
    body.update(changes)
    return code.post("/wxa/submit_audit", body)


def submitted(code: CodeApp, version: str = "2.0.0") -> Submission:
    committed(code, version)
    answer = submit(code)
    assert answer["errcode"] == 0, answer
    return Submission.objects.get(auditid=answer["auditid"])


def released(code: CodeApp, version: str = "2.0.0") -> Submission:
    submission = approve(submitted(code, version))
    assert code.post("/wxa/release", {}) == {"errcode": 0, "errmsg": "ok"}
    return submission


def state() -> dict:
    """What a refused call must leave as it was."""
    return {
        **snapshot(),
        "templates": sorted(Template.objects.values_list("id", "package_id", "template_type")),
        "audit": AuditEntry.objects.count(),
    }


def ext_json_of(version: DevVersion) -> dict:
    with (
        storage.open_package(version.package.storage_name) as stored,
        zipfile.ZipFile(stored) as archive,
    ):
        return json.loads(archive.read("ext.json"))
