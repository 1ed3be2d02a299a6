"""PLG-7, PLG-8: a plugin version number is WeChat's x.y.z (three numbers), higher than
the latest released version. An upload that breaks the rule is refused on its version
number field and nothing is stored; a submission of such a version is refused too, and a
release never goes backwards, so nothing approved waits for a release that cannot be."""

from __future__ import annotations

import pytest

from miniport.core.errors import PlatformError
from miniport.plugins.models import PluginVersion
from miniport.plugins.versions import selectors, services
from miniport.plugins.versions.errors import PluginVersionError
from tests.plugins.makers import release_plugin_version

from .support import approve, refused, submit, upload

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("number", ["abc", "1.0", "1.0.0.0", "v1.0.0", "1.0.0-beta", "１.０.０"])
def test_plg7_an_upload_whose_number_is_not_x_y_z_is_refused(make_plugin, number):
    owner = make_plugin()
    error = refused(lambda: upload(owner, number), PluginVersionError.VERSION_NUMBER_INVALID)
    assert error.field == "user_version"
    assert "x.y.z" in error.message("zh-hans") and "x.y.z" in error.message("en")


@pytest.mark.parametrize("number", ["1.0.0", "0.9.9", "0.10.0"])
def test_plg7_an_upload_not_higher_than_the_latest_release_is_refused(make_plugin, number):
    owner = make_plugin()
    release_plugin_version(owner.plugin, "0.9.0")
    release_plugin_version(owner.plugin, "1.0.0")
    error = refused(lambda: upload(owner, number), PluginVersionError.VERSION_NOT_HIGHER)
    assert error.field == "user_version" and error.params["latest"] == "1.0.0"
    assert error.message("zh-hans") == f"版本号 {number} 须高于已发布的版本 1.0.0"


def test_plg7_version_numbers_compare_as_numbers_not_as_text(make_plugin):
    owner = make_plugin()
    release_plugin_version(owner.plugin, "1.9.0")
    assert upload(owner, "1.10.0").user_version == "1.10.0"
    assert selectors.latest_released_number(owner.plugin) == "1.9.0"


def test_plg7_a_plugin_without_releases_takes_any_x_y_z_number(make_plugin):
    owner = make_plugin()
    assert upload(owner, "0.0.1").user_version == "0.0.1"


def test_plg8_a_version_stored_before_the_rule_is_not_submitted(make_plugin):
    """A version whose number breaks the rule (a row from before it) cannot be submitted:
    the refusal names the version field and nothing is kept."""
    owner = make_plugin()
    release_plugin_version(owner.plugin, "1.0.0")
    version = upload(owner, "1.0.1")
    PluginVersion.objects.filter(pk=version.pk).update(user_version="abc")
    version.refresh_from_db()
    error = refused(lambda: submit(owner, version), PluginVersionError.VERSION_NUMBER_INVALID)
    assert error.field == "version"


def test_plg8_a_release_never_goes_below_the_latest_one(make_plugin):
    """Two versions approved: once the higher one is released, the lower one is refused
    at release and nothing changes."""
    owner = make_plugin()
    lower = approve(submit(owner, upload(owner, "1.0.1")))
    higher = approve(submit(owner, upload(owner, "1.0.2")))
    services.plugin_version_release(actor=owner.admin_actor, plugin=owner.plugin, submission=higher)
    assert isinstance(selectors.release_refusal(owner.plugin, lower), PlatformError)
    refused(
        lambda: services.plugin_version_release(
            actor=owner.admin_actor, plugin=owner.plugin, submission=lower
        ),
        PluginVersionError.VERSION_NOT_HIGHER,
    )


def test_plg8_tag_refusals_are_said_in_one_language(make_plugin):
    """The reason of a tag refusal is said in the message's language."""
    owner = make_plugin()
    version = upload(owner)
    too_many = refused(
        lambda: submit(owner, version, tags="一 二 三 四 五 六"), PluginVersionError.TAGS_INVALID
    )
    assert too_many.message("zh-hans") == "标签不合法：最多 5 个标签"
    assert too_many.message("en") == "invalid tags: at most 5 tags"
    too_long = refused(
        lambda: submit(owner, version, tags="averyveryverylongtag"), PluginVersionError.TAGS_INVALID
    )
    assert too_long.message("zh-hans") == "标签不合法：标签“averyveryverylongtag”超过 10 个字符"
    assert too_long.message("en") == (
        "invalid tags: the tag 'averyveryverylongtag' is longer than 10 characters"
    )
