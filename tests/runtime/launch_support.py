"""The host app asking /runtime/v1/launch for identities of a mini program with released,
gray, experience and development versions (B-3, B-5, VER-2)."""

from __future__ import annotations

import json

from miniport.core import clock
from miniport.identities.models import Identity
from miniport.releases import services
from miniport.runtime import auth
from tests.releases.version_support import App, approved_version, released, upload
from tests.runtime.conftest import HOST_ID, HOST_SECRET

HOST = f"{HOST_ID}:{HOST_SECRET}"


def session_of(identity) -> str:
    return auth.session_issue(identity, HOST_ID)


def launch(client, identity, appid: str, env: str = "release", **params) -> dict:
    query = {"appid": appid, "env": env, **params}
    response = client.get(
        "/runtime/v1/launch",
        query,
        HTTP_X_HOST_APP=HOST,
        HTTP_X_IDENTITY_SESSION=session_of(identity) if identity is not None else "",
    )
    assert response.status_code == 200
    return json.loads(response.content)


def population(count: int, prefix: str = "crowd") -> list[Identity]:
    """Many identities without a password (the session marks the empty hash)."""
    now = clock.now()
    Identity.objects.bulk_create(
        [
            Identity(wechat_id=f"{prefix}_{i:05d}", nickname=f"{prefix} {i}", created_at=now)
            for i in range(count)
        ]
    )
    return list(Identity.objects.filter(wechat_id__startswith=f"{prefix}_").order_by("id"))


def gray_on(
    app: App, percentage: int, *, members_first: bool = False, experiencers_first: bool = False
):
    """1.0.0 online for everyone, 2.0.0 approved and in gray release at `percentage`."""
    released(app, "1.0.0")
    approved_version(app, "2.0.0")
    return services.gray_release(
        actor=app.admin_actor,
        miniprogram=app.miniprogram,
        percentage=percentage,
        members_first=members_first,
        experiencers_first=experiencers_first,
    )


def experience(app: App, version: str = "0.9.0"):
    dev_version = upload(app, version)
    services.experience_set(
        actor=app.admin_actor, miniprogram=app.miniprogram, dev_version=dev_version
    )
    return dev_version
