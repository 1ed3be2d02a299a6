"""Plugins for tests, made directly as rows so that each part's tests stand alone: an
enterprise owner mini program (with a developer, an operator and an approved category
that the plugin catalog opens) and its plugin, a released plugin version, and a second
mini program that uses it. Offered as fixtures by `tests/plugins/conftest.py`."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from typing import Any

import pytest

from miniport.core import clock, ids
from miniport.core.actors import Actor
from miniport.miniprograms.services import categories
from miniport.plugins.models import (
    Plugin,
    PluginApplication,
    PluginApplicationStatus,
    PluginRelease,
    PluginSubmission,
    PluginSubmissionState,
    PluginVersion,
)
from miniport.releases.models import CodePackage
from miniport.releases.packages import storage
from tests.releases.version_support import TOOLS, add_member
from tests.releases.zips import make_zip


@dataclass
class Owner:
    """A mini program that owns a plugin, with its members."""

    miniprogram: Any
    admin: Any
    developer: Any
    operator: Any
    outsider: Any
    plugin: Plugin | None = None

    @property
    def admin_actor(self) -> Actor:
        return Actor.for_identity(self.admin)

    @property
    def developer_actor(self) -> Actor:
        return Actor.for_identity(self.developer)

    @property
    def appid(self) -> str:
        return self.miniprogram.appid


def plugin_files(marker: str = "") -> dict[str, bytes]:
    """The files of a small plugin project: plugin.json, its main file and a component."""
    return {
        "plugin.json": json.dumps(
            {
                "publicComponents": {"hello": "components/hello/hello"},
                "main": "index.js",
            }
        ).encode(),
        "index.js": f"module.exports = {{ hello: 1 }} // {marker}\n".encode(),
        "components/hello/hello.js": b"Component({})\n",
        "components/hello/hello.json": b'{"component": true}\n',
        "components/hello/hello.wxml": b"<view>hello</view>\n",
        "components/hello/hello.wxss": b"view { color: red; }\n",
    }


def plugin_zip(marker: str = "") -> bytes:
    return make_zip(plugin_files(marker))


def stored_package(data: bytes) -> CodePackage:
    """The bytes stored as a code package, as an upload would store them."""
    import hashlib

    sha = hashlib.sha256(data).hexdigest()
    found = CodePackage.objects.filter(sha256=sha).first()
    if found is not None:
        return found
    name = storage.store(sha, io.BytesIO(data))
    return CodePackage.objects.create(
        sha256=sha, size=len(data), storage_name=name, manifest={}, created_at=clock.now()
    )


@pytest.fixture
def make_owner(provision, make_identity):
    """An enterprise mini program with a developer and an operator, its category
    Tools > Information query approved (open to plugins)."""

    def factory(subject_type: str = "enterprise", *, certified: bool = False) -> Owner:
        mp = provision(subject_type, certified=certified).miniprogram
        developer, operator, outsider = make_identity(), make_identity(), make_identity()
        add_member(mp, developer, kind="project", roles=("developer",))
        add_member(mp, operator, kind="project", roles=("operator",))
        categories.category_add(
            actor=Actor.for_identity(mp.admin_identity),
            miniprogram=mp,
            first=TOOLS[0],
            second=TOOLS[1],
        )
        return Owner(mp, mp.admin_identity, developer, operator, outsider)

    return factory


@pytest.fixture
def make_plugin(make_owner):
    """A plugin row for a fresh owner (or the one given), with complete basic information
    and the owner's category."""
    counter = {"n": 0}

    def factory(owner: Owner | None = None, **fields: Any) -> Owner:
        owner = owner or make_owner()
        counter["n"] += 1
        now = clock.now()
        values = {
            "appid": ids.new_appid(),
            "owner": owner.miniprogram,
            "name": f"测试插件{counter['n']}",
            "introduction": "一个用于测试的插件",
            "service_contact": "plugin@example.com",
            "category_first_id": TOOLS[0],
            "category_second_id": TOOLS[1],
            "category_first_name": "工具",
            "category_second_name": "信息查询",
            "enabled_by": owner.admin.wechat_id,
            "created_at": now,
            "updated_at": now,
        }
        values.update(fields)
        owner.plugin = Plugin.objects.create(**values)
        return owner

    return factory


@pytest.fixture
def complete_plugin(make_plugin):
    """A plugin whose basic information is complete (PLG-5), avatar included."""

    def factory(**fields):
        fields.setdefault("avatar", "plugin-avatars/test.png")
        return make_plugin(**fields)

    return factory


def release_plugin_version(
    plugin: Plugin, user_version: str = "1.0.0", *, data: bytes | None = None
) -> PluginRelease:
    """A plugin version uploaded, approved and released, as rows."""
    now = clock.now()
    version = PluginVersion.objects.create(
        plugin=plugin,
        package=stored_package(data if data is not None else plugin_zip(user_version)),
        user_version=user_version,
        user_desc=f"note of {user_version}",
        developer_label="test",
        uploaded_at=now,
    )
    submission = PluginSubmission.objects.create(
        plugin=plugin,
        version=version,
        category_first_name=plugin.category_first_name,
        category_second_name=plugin.category_second_name,
        tags=["测试"],
        description="测试",
        state=PluginSubmissionState.APPROVED,
        submitted_at=now,
        decided_at=now,
    )
    return PluginRelease.objects.create(
        plugin=plugin,
        version=version,
        submission=submission,
        user_version=user_version,
        released_at=now,
    )


def approved_application(plugin: Plugin, miniprogram: Any) -> PluginApplication:
    """`miniprogram` may use `plugin`, as a row."""
    now = clock.now()
    return PluginApplication.objects.create(
        plugin=plugin,
        miniprogram=miniprogram,
        status=PluginApplicationStatus.APPROVED,
        reason="测试",
        created_at=now,
        decided_at=now,
    )


@pytest.fixture
def released_plugin(make_plugin) -> Owner:
    """An owner whose plugin has version 1.0.0 released."""
    owner = make_plugin()
    assert owner.plugin is not None
    release_plugin_version(owner.plugin)
    return owner
