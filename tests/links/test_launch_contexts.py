"""The launch's contexts (`miniport.links.launch`): a context's owner decides first; an
unknown context or a malformed id is refused before anything is resolved."""

from __future__ import annotations

import pytest

from miniport.core.errors import CoreError, PlatformError
from miniport.links import launch as contexts
from tests.releases.version_support import app_fixture, released  # noqa: F401
from tests.runtime.conftest import host_app  # noqa: F401  (the host app's credential)
from tests.runtime.launch_support import launch

pytestmark = pytest.mark.django_db


@pytest.fixture
def tollgate():
    """A context that lets in only the via_id "open"."""
    seen = []

    def check(identity, miniprogram, via_id):
        seen.append((identity.pk, miniprogram.appid, via_id))
        if via_id != "open":
            raise PlatformError(CoreError.FIELD_INVALID, field="via_id", reason="closed")

    contexts.register("test_tollgate", check)
    yield seen
    contexts._CONTEXTS.pop("test_tollgate", None)


def test_a_launch_from_a_context_is_decided_by_the_context_first(client, app, tollgate):
    released(app, "1.0.0")
    allowed = launch(client, app.outsider, app.appid, via="test_tollgate", via_id="open")
    assert allowed["errcode"] == 0, allowed
    assert allowed["version"] == "1.0.0"
    refused = launch(client, app.outsider, app.appid, via="test_tollgate", via_id="shut")
    assert refused["errcode"] != 0 and refused["error"] == "field_invalid"
    assert tollgate == [
        (app.outsider.pk, app.appid, "open"),
        (app.outsider.pk, app.appid, "shut"),
    ]


@pytest.mark.parametrize("via_id", ["", "x" * 65, "a\x00b"])
def test_a_malformed_context_id_is_refused_without_asking_the_context(
    client, app, tollgate, via_id
):
    released(app, "1.0.0")
    body = launch(client, app.outsider, app.appid, via="test_tollgate", via_id=via_id)
    # A NUL is already refused by the wire layer (invalid_args), before the launch.
    assert body["error"] in ("field_invalid", "invalid_args")
    assert tollgate == []


def test_an_unknown_context_is_refused(client, app):
    released(app, "1.0.0")
    body = launch(client, app.outsider, app.appid, via="nowhere", via_id="x")
    assert body["error"] == "field_invalid"


def test_a_context_launch_of_an_unknown_appid_is_invalid_appid(client, app, tollgate):
    body = launch(client, app.outsider, "wx0000000000000000", via="test_tollgate", via_id="open")
    assert body["errcode"] == 40013
    assert tollgate == []


def test_registering_another_check_under_a_taken_name_fails(tollgate):
    with pytest.raises(ValueError):
        contexts.register("test_tollgate", lambda identity, miniprogram, via_id: None)


@pytest.mark.parametrize("env", ["trial", "develop"])
def test_a_context_opens_the_released_mini_program_only(client, app, tollgate, env):
    """WW-1: from a context (the enterprise workbench, an official account's menu) only
    the released version opens, even for a member who could open the others."""
    released(app, "1.0.0")
    body = launch(client, app.developer, app.appid, env, via="test_tollgate", via_id="open")
    assert body["error"] == "field_invalid"
    assert tollgate == []
