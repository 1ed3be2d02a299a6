"""GET /runtime/v1/launch: which package an identity may run (B-3, B-5, VER-2, VER-6)."""

from __future__ import annotations

import json

import pytest

from miniport.identities.selectors import openid_for_identity_pk
from miniport.releases import services
from miniport.releases.models import Release
from miniport.releases.selectors import gray_bucket
from tests.releases.version_support import app_fixture, released, snapshot, upload  # noqa: F401
from tests.runtime.launch_support import HOST, experience, gray_on, launch, population, session_of

pytestmark = pytest.mark.django_db


def test_a_released_version_is_answered_with_its_hash_size_and_a_download_url(client, app):
    """B-3: the online version's manifest."""
    release = released(app, "1.0.0")
    package = release.dev_version.package
    body = launch(client, app.outsider, app.appid)
    assert body["errcode"] == 0
    assert body["env"] == "release" and body["appid"] == app.appid
    assert body["version"] == "1.0.0" and body["gray"] is False
    assert body["sha256"] == package.sha256 and body["size"] == package.size
    assert body["download_url"].startswith("http://testserver/runtime/v1/package?token=")
    assert body["expires_in"] > 0


def test_the_download_url_names_the_host_each_request_came_by(client, app):
    """B-3: the package address is built once per way the host was named, never shared
    between hosts, and a host outside ALLOWED_HOSTS is still refused."""
    released(app, "1.0.0")
    session = session_of(app.outsider)
    urls = []
    for host in ("localhost", "127.0.0.1", "localhost"):
        response = client.get(
            "/runtime/v1/launch",
            {"appid": app.appid},
            HTTP_HOST=host,
            HTTP_X_HOST_APP=HOST,
            HTTP_X_IDENTITY_SESSION=session,
        )
        urls.append(json.loads(response.content)["download_url"])
    assert urls[0].startswith("http://localhost/runtime/v1/package?token=")
    assert urls[1].startswith("http://127.0.0.1/runtime/v1/package?token=")
    assert urls[2].startswith("http://localhost/runtime/v1/package?token=")
    refused = client.get(
        "/runtime/v1/launch",
        {"appid": app.appid},
        HTTP_HOST="evil.example",
        HTTP_X_HOST_APP=HOST,
        HTTP_X_IDENTITY_SESSION=session,
    )
    # A hostile Host is refused as the wire refuses: HTTP 200 with errcode 40097.
    assert refused.status_code == 200
    assert json.loads(refused.content)["errcode"] == 40097


def test_the_env_defaults_to_release(client, app):
    """B-3: without an env the released version is answered."""
    released(app, "1.0.0")
    response = client.get(
        "/runtime/v1/launch",
        {"appid": app.appid},
        HTTP_X_HOST_APP=HOST,
        HTTP_X_IDENTITY_SESSION=session_of(app.outsider),
    )
    assert response.json()["version"] == "1.0.0"


def test_before_the_first_release_there_is_nothing_to_launch(client, app):
    """B-3: refused with launch_no_version."""
    body = launch(client, app.outsider, app.appid)
    assert body["errcode"] == 40097 and body["error"] == "launch_no_version"


def test_an_unknown_appid_or_env_is_refused_with_its_code(client, app):
    """B-3: the documented errcodes."""
    released(app)
    unknown = launch(client, app.outsider, "wx00000000000000ff")
    assert unknown["errcode"] == 40013 and unknown["error"] == "invalid_appid"
    bad_env = launch(client, app.outsider, app.appid, env="beta")
    assert bad_env["errcode"] == 40097 and bad_env["error"] == "field_invalid"


def test_launch_needs_the_host_credential_and_an_identity_session(client, app):
    """B-3: runtime calls are a host app plus an identity session."""
    released(app)
    no_session = launch(client, None, app.appid)
    assert no_session["error"] == "runtime_session_missing"
    response = client.get(
        "/runtime/v1/launch", {"appid": app.appid}, HTTP_X_HOST_APP="superapp:wrong"
    )
    assert response.json()["error"] == "host_app_invalid"


def test_a_closed_visit_status_refuses_the_release_launch(client, app):
    """VER-6 (visit status): users cannot open a paused mini program; nothing changes."""
    released(app)
    services.visit_status_set(actor=app.admin_actor, miniprogram=app.miniprogram, open=False)
    before = snapshot()
    body = launch(client, app.outsider, app.appid)
    assert body["errcode"] == 40097 and body["error"] == "visit_closed"
    assert snapshot() == before
    services.visit_status_set(actor=app.admin_actor, miniprogram=app.miniprogram, open=True)
    assert launch(client, app.outsider, app.appid)["version"] == "1.0.0"


def test_the_trial_version_opens_for_members_and_experience_members_only(client, app):
    """VER-2: only project members and experience members open the experience version."""
    dev_version = experience(app, "0.9.0")
    for member in (app.admin, app.developer, app.tester):
        body = launch(client, member, app.appid, env="trial")
        assert body["errcode"] == 0, body
        assert body["version"] == "0.9.0"
        assert body["sha256"] == dev_version.package.sha256
    before = snapshot()
    refused = launch(client, app.outsider, app.appid, env="trial")
    assert refused["errcode"] == 40097 and refused["error"] == "launch_not_member"
    assert snapshot() == before


def test_the_develop_version_is_the_members_own_latest_upload(client, app):
    """VER-1, VER-2: develop gives a member his latest upload; outsiders are refused."""
    upload(app, "0.1.0", actor=app.admin_actor)
    upload(app, "0.2.0")  # the developer's
    assert launch(client, app.developer, app.appid, env="develop")["version"] == "0.2.0"
    assert launch(client, app.admin, app.appid, env="develop")["version"] == "0.1.0"
    assert launch(client, app.outsider, app.appid, env="develop")["error"] == "launch_not_member"


def test_a_trial_without_an_experience_version_has_nothing_to_launch(client, app):
    """VER-2: no experience version chosen yet."""
    assert launch(client, app.tester, app.appid, env="trial")["error"] == "launch_no_version"


def test_the_gray_answer_is_deterministic_and_stable_per_identity(client, app):
    """B-5: the same identity always gets the same version during one gray release, and it
    is the one its bucket says."""
    gray_on(app, 50)
    crowd = population(20)
    first = {i.pk: launch(client, i, app.appid)["version"] for i in crowd}
    again = {i.pk: launch(client, i, app.appid)["version"] for i in crowd}
    assert first == again
    for identity in crowd:
        bucket = gray_bucket(app.appid, openid_for_identity_pk(identity.pk, app.appid))
        assert first[identity.pk] == ("2.0.0" if bucket < 50 else "1.0.0")


def test_the_gray_share_of_a_population_is_near_its_percentage(client, app):
    """B-5: about `percentage` of identities get the gray version; raising it only adds
    identities (nobody who had the new version loses it)."""
    gray_on(app, 20)
    crowd = population(300)
    at_20 = {i.pk for i in crowd if launch(client, i, app.appid)["gray"]}
    assert 0.12 * len(crowd) <= len(at_20) <= 0.28 * len(crowd)
    services.gray_release(actor=app.admin_actor, miniprogram=app.miniprogram, percentage=60)
    at_60 = {i.pk for i in crowd if launch(client, i, app.appid)["gray"]}
    assert 0.50 * len(crowd) <= len(at_60) <= 0.70 * len(crowd)
    assert at_20 <= at_60


def test_members_first_gives_members_the_gray_version_whatever_their_bucket(client, app):
    """B-5: with both kinds of member first, project and experience members get the gray
    version even at 0 percent; others keep the online version."""
    gray_on(app, 0, members_first=True, experiencers_first=True)
    for member in (app.admin, app.developer, app.tester):
        body = launch(client, member, app.appid)
        assert body["version"] == "2.0.0" and body["gray"] is True
    assert launch(client, app.outsider, app.appid)["version"] == "1.0.0"


@pytest.mark.parametrize(
    ("members_first", "experiencers_first", "first"),
    [(True, False, {"admin", "developer"}), (False, True, {"tester"})],
    ids=["debuggers-first", "experiencers-first"],
)
def test_project_members_and_experience_members_are_put_first_apart(
    client, app, members_first, experiencers_first, first
):
    """wechat-api 4.13: support_debuger_first and support_experiencer_first are two
    choices: each puts only its kind of member on the gray version at 0 percent."""
    gray_on(app, 0, members_first=members_first, experiencers_first=experiencers_first)
    for name in ("admin", "developer", "tester", "outsider"):
        body = launch(client, getattr(app, name), app.appid)
        assert (body["version"] == "2.0.0") is (name in first), name


def test_cancelling_the_gray_release_gives_everyone_the_online_version(client, app):
    """B-5: gray_revert brings everyone back."""
    gray_on(app, 100)
    assert launch(client, app.outsider, app.appid)["version"] == "2.0.0"
    services.gray_revert(actor=app.admin_actor, miniprogram=app.miniprogram)
    assert launch(client, app.outsider, app.appid)["version"] == "1.0.0"
    assert Release.objects.filter(state="gray").count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_remembered_launch_answer_never_outlives_a_release_change(
    client, provision, make_identity
):
    """B-3, B-5: outside a transaction the answer is remembered while SQLite is unchanged;
    a gray step, a revert or a paused visit status is seen on the very next launch."""
    from miniport.runtime import launch_api
    from tests.releases.version_support import make_app

    launch_api.forget_remembered()
    app = make_app(provision, make_identity)
    gray_on(app, 0, members_first=True)
    assert launch(client, app.outsider, app.appid)["version"] == "1.0.0"
    assert launch(client, app.outsider, app.appid)["version"] == "1.0.0"
    services.gray_release(actor=app.admin_actor, miniprogram=app.miniprogram, percentage=100)
    assert launch(client, app.outsider, app.appid)["version"] == "2.0.0"
    services.visit_status_set(actor=app.admin_actor, miniprogram=app.miniprogram, open=False)
    assert launch(client, app.outsider, app.appid)["error"] == "visit_closed"
    assert launch(client, app.outsider, app.appid)["error"] == "visit_closed"
    services.visit_status_set(actor=app.admin_actor, miniprogram=app.miniprogram, open=True)
    services.gray_revert(actor=app.admin_actor, miniprogram=app.miniprogram)
    assert launch(client, app.outsider, app.appid)["version"] == "1.0.0"
    launch_api.forget_remembered()
