# ruff: noqa: F811 - the plugin and runtime makers are fixtures imported by name
"""OPN-2: the runtime's user information (the login functional page's `userInfo`) carries
the unionid when the owner mini program is bound to an open platform account, the one
jscode2session gives; without a binding it has none."""

from __future__ import annotations

from miniport.identities.selectors import unionid_for
from miniport.links.open_platform import services
from miniport.runtime import auth
from tests.links.open_platform.makers import SYSTEM
from tests.plugins.functional.support import body, make_scene, release_owner
from tests.plugins.makers import make_owner, make_plugin  # noqa: F401
from tests.runtime.conftest import HOST_ID, host_app, runtime  # noqa: F401


def test_opn2_the_user_information_carries_the_unionid_of_a_bound_owner(
    runtime, make_plugin, provision, make_identity
):
    scene = make_scene(make_plugin, provision, make_identity)
    release_owner(scene.owner)
    runtime.session = auth.session_issue(scene.person, HOST_ID)
    unbound = runtime.call("POST", "functional-pages/navigate", body(scene))
    assert unbound["errcode"] == 0 and "unionid" not in unbound["userInfo"]
    account = services.open_create(actor=SYSTEM, miniprogram=scene.owner.miniprogram, via_api=True)
    bound = runtime.call("POST", "functional-pages/navigate", body(scene))
    assert bound["userInfo"]["unionid"] == unionid_for(scene.person, account.open_appid)
