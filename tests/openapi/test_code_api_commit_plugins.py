"""PLG-11 and wechat-api 4.1 at /wxa/commit: plugins declared in ext_json replace
app.json's, and are refused at commit as at submission for review: a plugin that does not
exist is 80067, one the caller may not use 80082, an unreleased version 80066; declared
wrongly, 85013. A refused commit stores nothing; an accepted one's manifest names
ext_json's plugins, which submission checks again."""

from __future__ import annotations

import pytest

from miniport.core.errors import PlatformError
from miniport.plugins.models import PluginApplication
from miniport.releases.errors import ReleaseError
from miniport.releases.models import DevVersion, Submission
from miniport.releases.packages.manifest import PackageManifest
from tests.openapi.code_api_support import (
    ITEM,
    add_template,
    code_fixture,  # noqa: F401 - the "code" fixture
    commit,
    state,
    upload_draft,
)
from tests.plugins.makers import (  # noqa: F401 - make_owner and make_plugin are fixtures
    approved_application,
    make_owner,
    make_plugin,
    release_plugin_version,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(name="plugin")
def plugin_fixture(make_plugin):  # noqa: F811 - the fixture imported above
    """A plugin of another mini program, its version 1.0.0 released."""
    owner = make_plugin()
    release_plugin_version(owner.plugin)
    return owner.plugin


def declaring(provider: str, version: str = "1.0.0") -> dict:
    return {"ext": {"shop": 7}, "plugins": {"myPlugin": {"provider": provider, "version": version}}}


def _refused_commit(code, ext: dict) -> int:
    template_id = add_template(code, upload_draft(code, "1.0.0"))
    before = state()
    answer = commit(code, template_id, "2.0.0", ext=ext)
    assert state() == before
    assert not DevVersion.objects.filter(user_version="2.0.0").exists()
    return answer["errcode"]


def test_plg11_a_commit_declaring_an_unknown_plugin_is_80067(code):
    assert _refused_commit(code, declaring("wx0000000000000000")) == 80067


def test_plg11_a_commit_declaring_a_plugin_not_approved_for_the_caller_is_80082(code, plugin):
    assert _refused_commit(code, declaring(plugin.appid)) == 80082


def test_plg11_a_commit_declaring_an_unreleased_plugin_version_is_80066(code, plugin):
    approved_application(plugin, code.miniprogram)
    assert _refused_commit(code, declaring(plugin.appid, "3.0.0")) == 80066


@pytest.mark.parametrize(
    "plugins",
    [
        {"myPlugin": "wx0000000000000000"},
        {"myPlugin": {"provider": "not an appid", "version": "1.0.0"}},
        {"myPlugin": {"provider": "wx0000000000000000", "version": ""}},
    ],
)
def test_plugins_declared_wrongly_in_ext_json_are_85013(code, plugins):
    errcode = _refused_commit(code, {"ext": {}, "plugins": plugins})
    assert errcode == PlatformError(ReleaseError.EXT_JSON_INVALID).errcode == 85013


def test_plg11_ext_jsons_plugins_replace_app_jsons_and_are_checked_again_at_submission(
    code, plugin
):
    approved_application(plugin, code.miniprogram)
    template_id = add_template(code, upload_draft(code, "1.0.0"))
    assert commit(code, template_id, "2.0.0", ext=declaring(plugin.appid))["errcode"] == 0
    version = DevVersion.objects.get(miniprogram=code.miniprogram, user_version="2.0.0")
    manifest = PackageManifest.coerce(version.package.manifest)
    assert [(p.name, p.provider, p.version) for p in manifest.plugins] == [
        ("myPlugin", plugin.appid, "1.0.0")
    ]
    # The application withdrawn after the commit: the submission is refused with 80082.
    PluginApplication.objects.filter(plugin=plugin, miniprogram=code.miniprogram).delete()
    answer = code.post("/wxa/submit_audit", {"item_list": [ITEM]})
    assert answer["errcode"] == 80082
    assert not Submission.objects.exists()


def test_a_commit_without_plugins_in_ext_json_keeps_app_jsons(code):
    template_id = add_template(code, upload_draft(code, "1.0.0"))
    assert commit(code, template_id, "2.0.0")["errcode"] == 0
    draft, committed = DevVersion.objects.filter(miniprogram=code.miniprogram).order_by("id")
    assert (
        PackageManifest.coerce(committed.package.manifest).plugins
        == PackageManifest.coerce(draft.package.manifest).plugins
    )
