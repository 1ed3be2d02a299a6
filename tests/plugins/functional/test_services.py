"""FP-6, FP-7, FP-9, FP-12 at the service: which version of the owner a navigator reaches,
the development preview and its expiry, the payment function read from the version in
use, and the owner that cannot use its own plugin's functional pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from miniport.core import clock
from miniport.core.actors import Actor
from miniport.core.errors import PlatformError
from miniport.core.models import AuditEntry
from miniport.plugins.functional import selectors, services
from miniport.plugins.functional.errors import FunctionalError
from miniport.plugins.models import FunctionalPreview
from miniport.releases.errors import ReleaseError
from tests.plugins.functional.support import (
    body,
    grant_payment,
    make_scene,
    merchant_of_owner,
    owner_order,
    release_owner,
    signed_args,
    upload_owner,
)
from tests.releases.version_support import add_member


@pytest.fixture
def scene(make_plugin, provision, make_identity):
    return make_scene(make_plugin, provision, make_identity)


def open_page(scene, **changes):
    data = {**body(scene), **changes}
    return services.open_page(identity=scene.person, **data)


def test_fp7_only_members_may_open_the_owners_preview(scene):
    upload_owner(scene.owner)
    with pytest.raises(PlatformError) as caught:
        services.functional_preview_open(
            actor=Actor.for_identity(scene.person),
            identity=scene.person,
            owner=scene.owner.miniprogram,
        )
    assert caught.value.code is ReleaseError.LAUNCH_NOT_MEMBER
    assert not FunctionalPreview.objects.exists()
    assert not AuditEntry.objects.filter(action="functional.preview_open").exists()


def test_fp7_opening_again_records_the_latest_upload_and_restarts_the_clock(scene):
    owner = scene.owner
    first = upload_owner(owner, "0.1.0")
    opened = services.functional_preview_open(
        actor=owner.developer_actor, identity=owner.developer, owner=owner.miniprogram
    )
    assert opened.dev_version == first
    later = clock.now() + timedelta(hours=1)
    with time_machine.travel(later, tick=False):
        second = upload_owner(owner, "0.2.0")
        again = services.functional_preview_open(
            actor=owner.developer_actor, identity=owner.developer, owner=owner.miniprogram
        )
    assert FunctionalPreview.objects.count() == 1
    assert again.dev_version == second and again.opened_at == later
    assert AuditEntry.objects.filter(action="functional.preview_open").count() == 2


def test_fp7_the_development_version_expires_by_the_policy_row(scene):
    add_member(scene.owner.miniprogram, scene.person, kind="experience")
    upload_owner(scene.owner)
    services.functional_preview_open(
        actor=Actor.for_identity(scene.person), identity=scene.person, owner=scene.owner.miniprogram
    )
    preview = selectors.preview_of(scene.person, scene.owner.miniprogram)
    assert preview is not None
    expiry = selectors.preview_expires_at(preview)
    assert isinstance(open_page(scene, version="develop"), services.Page)
    with time_machine.travel(expiry - timedelta(seconds=1), tick=False):
        assert isinstance(open_page(scene, version="develop"), services.Page)
    with time_machine.travel(expiry, tick=False):
        assert open_page(scene, version="develop").outcome == "develop_expired"


def test_fp7_a_preview_without_functional_pages_is_page_not_found(scene):
    add_member(scene.owner.miniprogram, scene.person, kind="experience")
    upload_owner(scene.owner, functional=False, script=None)
    services.functional_preview_open(
        actor=Actor.for_identity(scene.person), identity=scene.person, owner=scene.owner.miniprogram
    )
    outcome = open_page(scene, version="develop")
    assert outcome.outcome == "page_not_found"
    assert outcome.message("en") == (
        "page not found: the plugin owner mini program has not enabled functionalPages"
    )


def test_fp7_a_phone_that_never_opened_the_preview_is_told_to_open_it(scene):
    """FP-7 / FP-11: the outcome stays "page does not exist", and its message names the
    real cause (the preview was never opened here), in the page's language."""
    add_member(scene.owner.miniprogram, scene.person, kind="experience")
    upload_owner(scene.owner)
    outcome = open_page(scene, version="develop")
    assert outcome.outcome == "page_not_found"
    assert "open its preview first" in outcome.message("en")
    assert "functionalPages" not in outcome.message("en")
    assert outcome.message("zh-hans").startswith(
        "页面不存在：这台手机尚未进入插件所有者小程序的开发版"
    )


def test_fp6_release_reaches_the_online_version_not_a_later_upload(scene):
    release_owner(scene.owner, "1.0.0")
    upload_owner(scene.owner, "1.1.0", functional=False, script=None)
    page = open_page(scene)
    assert isinstance(page, services.Page)
    assert page.dev_version.user_version == "1.0.0"


def test_fp12_the_owner_is_answered_before_any_other_check(scene):
    """Even without an application or a release, the owner gets nothing, not a refusal."""
    outcome = open_page(scene, appid=scene.owner.appid, name="nonsense")
    assert (outcome.result, outcome.outcome) == ("none", "same_appid")


def test_fp9_the_function_is_read_from_the_version_in_use(scene):
    """A newer upload's function does not run in production until it is released."""
    release_owner(scene.owner, "1.0.0")
    upload_owner(
        scene.owner, "1.1.0", script="exports.beforeRequestPayment = function () { for (;;) {} };"
    )
    grant_payment(scene.owner)
    merchant_of_owner(scene.owner)
    order = owner_order(scene.owner, scene.person)
    page = open_page(scene, name="requestPayment", args={"paymentArgs": signed_args(order)})
    assert isinstance(page, services.Page) and page.payment is not None
    assert page.payment.order.pk == order.pk and page.payment.amount_yuan == "9.90"


def test_fp9_the_result_must_carry_every_request_payment_field(scene):
    script = "exports.beforeRequestPayment = (a, cb) => cb(null, { package: 'prepay_id=x' });"
    release_owner(scene.owner, script=script)
    grant_payment(scene.owner)
    merchant_of_owner(scene.owner)
    with pytest.raises(PlatformError) as caught:
        open_page(scene, name="requestPayment", args={"paymentArgs": {}})
    assert caught.value.code is FunctionalError.FUNCTION_RESULT_INVALID
    assert "timeStamp" in caught.value.message("en")


def test_fp2_a_plugin_context_is_refused_a_login_code():
    with pytest.raises(PlatformError) as caught:
        services.refuse_plugin_login("wx1234567890abcdef")
    assert caught.value.code is FunctionalError.PLUGIN_LOGIN_REFUSED
    services.refuse_plugin_login("")  # an ordinary login goes on
