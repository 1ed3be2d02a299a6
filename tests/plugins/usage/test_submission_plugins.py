"""PLG-11 at submission for review: a mini program version declaring a plugin is refused
unless the plugin exists (80067), the mini program's application is approved (80082)
and the declared version is released (80066); nothing is submitted on a refusal."""

from __future__ import annotations

import pytest

from miniport.core.errors import PlatformError
from miniport.releases.models import Submission
from tests.plugins.makers import approved_application
from tests.releases.version_support import app_fixture, submit, upload  # noqa: F401
from tests.releases.zips import app_files, make_zip

pytestmark = pytest.mark.django_db


def declaring(provider: str, version: str = "1.0.0") -> bytes:
    return make_zip(app_files(plugins={"myPlugin": {"provider": provider, "version": version}}))


def _refused(app, data) -> int:
    version = upload(app, "1.0.0", data=data)
    with pytest.raises(PlatformError) as caught:
        submit(app, version)
    assert not Submission.objects.exists()
    return caught.value.code.errcode


def test_plg11_submitting_a_version_declaring_an_unknown_plugin_is_80067(app):
    assert _refused(app, declaring("wx0000000000000000")) == 80067


def test_plg11_submitting_without_approved_application_is_80082(app, released_plugin):
    assert _refused(app, declaring(released_plugin.plugin.appid)) == 80082


def test_plg11_submitting_an_unreleased_plugin_version_is_80066(app, released_plugin):
    approved_application(released_plugin.plugin, app.miniprogram)
    assert _refused(app, declaring(released_plugin.plugin.appid, "3.0.0")) == 80066


def test_plg11_an_approved_released_plugin_is_submitted(app, released_plugin):
    approved_application(released_plugin.plugin, app.miniprogram)
    submission = submit(app, upload(app, "1.0.0", data=declaring(released_plugin.plugin.appid)))
    assert submission.pk is not None
