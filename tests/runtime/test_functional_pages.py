# ruff: noqa: F811 - the plugin makers are fixtures imported by name
"""FP-1..FP-12 through the host app: POST /runtime/v1/functional-pages/navigate answers
success with the owner mini program's login code and the user's openid for the owner, or
the payment of an order `beforeRequestPayment` names; otherwise the exact FP-11 outcome,
or a coded refusal that changes nothing."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
import time_machine

from miniport.core import clock
from miniport.core.models import AuditEntry
from miniport.identities.selectors import openid_for
from miniport.miniprograms.models import LoginCode
from miniport.payments.models import Order, TradeState
from miniport.plugins.models import FunctionalPreview
from miniport.runtime import auth
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
from tests.plugins.makers import make_owner, make_plugin  # noqa: F401
from tests.runtime.conftest import HOST_ID

PASSWORD = "secret-pass-1"


@pytest.fixture
def scene(make_plugin, provision, make_identity):  # noqa: F811
    return make_scene(make_plugin, provision, make_identity)


@pytest.fixture
def host(runtime, scene):
    runtime.session = auth.session_issue(scene.person, HOST_ID)
    return runtime


def navigate(host, data: dict) -> dict:
    return host.call("POST", "functional-pages/navigate", data)


def nothing_changed():
    return (
        LoginCode.objects.count(),
        AuditEntry.objects.filter(action__startswith="functional.").count(),
    )


# --- FP-3, FP-5, FP-6: login through the owner's released functional page ----------------


def test_fp3_login_answers_a_code_of_the_owner_and_the_openid_for_the_owner(host, scene):
    release_owner(scene.owner)
    answer = navigate(host, body(scene))
    assert answer["errcode"] == 0, answer
    assert answer["result"] == "success" and answer["outcome"] == "ok"
    assert answer["errMsg"] == "loginAndGetUserInfo:ok"
    owner_appid = scene.owner.appid
    assert answer["userInfo"]["openid"] == openid_for(scene.person, owner_appid)
    assert answer["userInfo"]["openid"] != openid_for(scene.person, scene.user_app.appid)
    assert answer["userInfo"]["nickName"] == scene.person.nickname
    code = LoginCode.objects.get()
    assert code.miniprogram_id == scene.owner.miniprogram.pk
    assert code.identity_id == scene.person.pk


def test_fp3_the_plugins_server_redeems_the_code_for_the_owner(host, scene, client):
    from miniport.miniprograms.services import miniprogram_issue_secret
    from tests.openapi.wire import Wire

    release_owner(scene.owner)
    answer = navigate(host, body(scene))
    secret = miniprogram_issue_secret(
        actor=scene.owner.admin_actor, miniprogram=scene.owner.miniprogram
    )
    session = Wire(client).get(
        "/sns/jscode2session",
        appid=scene.owner.appid,
        secret=secret,
        js_code=answer["code"],
        grant_type="authorization_code",
    )
    assert session["openid"] == answer["userInfo"]["openid"]


# --- FP-11 outcomes, one by one ----------------------------------------------------------


def test_fp11_fp12_the_owner_using_its_own_plugin_gets_nothing(host, scene):
    release_owner(scene.owner)
    before = nothing_changed()
    data = body(scene)
    data["appid"] = scene.owner.appid
    answer = navigate(host, data)
    assert answer["errcode"] == 0
    assert answer["result"] == "none" and answer["outcome"] == "same_appid"
    assert nothing_changed() == before


def test_fp6_fp11_without_functional_pages_the_page_does_not_exist(host, scene):
    release_owner(scene.owner, functional=False, script=None)
    before = nothing_changed()
    answer = navigate(host, body(scene))
    assert (answer["result"], answer["outcome"]) == ("fail", "page_not_found")
    assert "page not found" in answer["errMsg"]
    assert nothing_changed() == before


def test_fp7_fp11_develop_without_opening_the_owners_preview_is_page_not_found(host, scene):
    upload_owner(scene.owner)
    answer = navigate(host, body(scene, version="develop"))
    assert (answer["result"], answer["outcome"]) == ("fail", "page_not_found")


def test_fp7_opening_the_owners_preview_lets_develop_work_until_it_expires(host, scene):
    upload_owner(scene.owner, "0.1.0")
    scene.owner.plugin  # noqa: B018
    # The person is an experience member of nothing yet: only members may open it.
    refused = host.call("POST", "functional-pages/preview", {"appid": scene.owner.appid})
    assert refused["error"] == "launch_not_member"
    assert not FunctionalPreview.objects.exists()

    from tests.releases.version_support import add_member

    add_member(scene.owner.miniprogram, scene.person, kind="experience")
    opened = host.call("POST", "functional-pages/preview", {"appid": scene.owner.appid})
    assert opened["errcode"] == 0 and opened["functional_pages"] is True
    assert opened["version"] == "0.1.0"
    answer = navigate(host, body(scene, version="develop"))
    assert answer["result"] == "success", answer

    later = clock.now() + timedelta(seconds=opened["expires_in"] + 1)
    with time_machine.travel(later, tick=False):
        expired = navigate(host, body(scene, version="develop"))
    assert (expired["result"], expired["outcome"]) == ("fail", "develop_expired")


def test_fp4_fp11_payment_without_the_plugins_payment_permission_is_unavailable(host, scene):
    release_owner(scene.owner)
    answer = navigate(host, body(scene, name="requestPayment", args={"paymentArgs": {}}))
    assert (answer["result"], answer["outcome"]) == ("fail", "function_unavailable")
    assert answer["errMsg"] == "requestPayment:fail this function is unavailable"


def test_fp4_fp11_a_personal_owner_can_never_pay_in_a_plugin(
    runtime,
    make_plugin,
    make_owner,
    provision,
    make_identity,  # noqa: F811
):
    owner = make_plugin(make_owner("personal"))
    from tests.plugins.functional.support import Scene

    user_app = provision("enterprise").miniprogram
    from tests.plugins.makers import approved_application

    approved_application(owner.plugin, user_app)
    scene = Scene(owner, user_app, make_identity())
    runtime.session = auth.session_issue(scene.person, HOST_ID)
    release_owner(owner)
    grant_payment(owner)
    answer = navigate(runtime, body(scene, name="requestPayment", args={"paymentArgs": {}}))
    assert (answer["result"], answer["outcome"]) == ("fail", "function_unavailable")


def test_fp9_fp11_payment_without_before_request_payment_leaves_at_once(host, scene):
    release_owner(scene.owner, script="exports.somethingElse = 1;")
    grant_payment(scene.owner)
    order = owner_order(scene.owner, scene.person)
    args = {"paymentArgs": signed_args(order)}
    answer = navigate(host, body(scene, name="requestPayment", args=args))
    assert (answer["result"], answer["outcome"]) == ("fail", "left_at_once")
    assert Order.objects.get(pk=order.pk).trade_state == TradeState.NOTPAY


def test_fp9_payment_without_the_file_leaves_at_once_too(host, scene):
    release_owner(scene.owner, script=None)
    grant_payment(scene.owner)
    merchant_of_owner(scene.owner)
    answer = navigate(host, body(scene, name="requestPayment", args={"paymentArgs": {}}))
    assert answer["outcome"] == "left_at_once"


def test_fp11_a_wrong_name_shows_only_a_back_button(host, scene):
    release_owner(scene.owner)
    before = nothing_changed()
    answer = navigate(host, body(scene, name="getPhoneNumber"))
    assert (answer["result"], answer["outcome"]) == ("fail", "back_button_only")
    assert nothing_changed() == before


def test_fp8_fp11_release_before_the_owner_released_functional_pages(host, scene):
    """Works in development, not in review: the owner has not released the version with
    functional pages (or the navigator is not version="release")."""
    upload_owner(scene.owner)
    answer = navigate(host, body(scene, version="release"))
    assert (answer["result"], answer["outcome"]) == ("fail", "owner_not_released")
    release_owner(scene.owner, "1.0.0", functional=False, script=None)
    upload_owner(scene.owner, "1.1.0")
    answer = navigate(host, body(scene, version="release"))
    assert answer["outcome"] == "owner_not_released"


# --- coded refusals -----------------------------------------------------------------------


def test_plg11_a_mini_program_without_an_approved_application_is_refused(
    runtime,
    make_plugin,
    provision,
    make_identity,  # noqa: F811
):
    scene = make_scene(make_plugin, provision, make_identity, approved=False)
    runtime.session = auth.session_issue(scene.person, HOST_ID)
    release_owner(scene.owner)
    answer = navigate(runtime, body(scene))
    assert answer["errcode"] == 40097 and answer["error"] == "plugin_not_approved"
    assert not LoginCode.objects.exists()


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"plugin_appid": "wx0000000000000000"}, "plugin_not_found"),
        ({"appid": "wx0000000000000000"}, "invalid_appid"),
        ({"version": "trial"}, "version_invalid"),
        ({"name": ""}, "field_required"),
        ({"args": [1, 2]}, "args_invalid"),
        ({"lib_version": "2.0.9"}, "lib_version_too_low"),
    ],
)
def test_bad_navigator_attributes_are_coded_refusals(host, scene, change, error):
    release_owner(scene.owner)
    answer = navigate(host, {**body(scene), **change})
    assert answer["error"] == error, answer
    assert not LoginCode.objects.exists()


def test_fp1_base_library_2_1_0_and_later_work(host, scene):
    release_owner(scene.owner)
    assert navigate(host, body(scene, lib_version="2.1.0"))["result"] == "success"


def test_fp2_a_login_code_asked_for_in_a_plugin_context_is_refused(host, scene):
    answer = host.call(
        "POST", "login", {"appid": scene.user_app.appid, "plugin_appid": scene.plugin_appid}
    )
    assert answer["error"] == "plugin_login_refused", answer
    assert "functional page" in answer["errmsg"]
    assert not LoginCode.objects.exists()


def test_without_a_session_nothing_is_answered(runtime, scene):
    answer = runtime.call("POST", "functional-pages/navigate", body(scene))
    assert answer["error"] == "runtime_session_missing"


# --- FP-9: a full payment through beforeRequestPayment ------------------------------------


@pytest.fixture
def paying_scene(scene):
    release_owner(scene.owner)
    grant_payment(scene.owner)
    merchant_of_owner(scene.owner)
    return scene


def test_fp9_a_signed_order_is_paid_through_before_request_payment(host, paying_scene):
    scene = paying_scene
    order = owner_order(scene.owner, scene.person)
    args = {"paymentArgs": signed_args(order)}
    answer = navigate(host, body(scene, name="requestPayment", args=args))
    assert answer["errcode"] == 0, answer
    assert answer["result"] == "success" and answer["errMsg"] == "requestPayment:ok"
    paid = Order.objects.get(pk=order.pk)
    assert paid.trade_state == TradeState.SUCCESS
    assert answer["transaction_id"] == paid.transaction_id and paid.payer_id == scene.person.pk
    assert answer["total_fee"] == 990 and answer["out_trade_no"] == order.out_trade_no
    assert AuditEntry.objects.filter(action="functional.pay").exists()


def test_fp9_a_wrong_pay_sign_is_refused_and_nothing_is_paid(host, paying_scene):
    scene = paying_scene
    order = owner_order(scene.owner, scene.person)
    args = signed_args(order)
    args["paySign"] = "0" * 32
    answer = navigate(host, body(scene, name="requestPayment", args={"paymentArgs": args}))
    assert answer["error"] == "pay_sign_invalid"
    assert Order.objects.get(pk=order.pk).trade_state == TradeState.NOTPAY


def test_fp9_an_order_of_another_merchant_is_refused(host, paying_scene, make_plugin):  # noqa: F811
    scene = paying_scene
    other = make_plugin()
    order = owner_order(other, scene.person)
    args = {"paymentArgs": signed_args(order)}
    answer = navigate(host, body(scene, name="requestPayment", args=args))
    assert answer["error"] == "order_not_owners"
    assert Order.objects.get(pk=order.pk).trade_state == TradeState.NOTPAY


def test_fp9_someone_elses_order_is_refused(host, paying_scene, make_identity):
    scene = paying_scene
    order = owner_order(scene.owner, make_identity())
    args = {"paymentArgs": signed_args(order)}
    answer = navigate(host, body(scene, name="requestPayment", args=args))
    assert answer["error"] == "payer_mismatch"
    assert Order.objects.get(pk=order.pk).trade_state == TradeState.NOTPAY


def test_fp9_a_paid_order_is_not_paid_twice(host, paying_scene):
    scene = paying_scene
    order = owner_order(scene.owner, scene.person)
    args = {"paymentArgs": signed_args(order)}
    assert navigate(host, body(scene, name="requestPayment", args=args))["result"] == "success"
    again = navigate(host, body(scene, name="requestPayment", args=args))
    assert again["error"] == "order_already_paid"


def test_fp9_callback_with_an_error_fails_with_its_message(host, scene):
    script = "exports.beforeRequestPayment = function (a, cb) { cb({errMsg: '库存不足'}); };"
    release_owner(scene.owner, script=script)
    grant_payment(scene.owner)
    owner_order(scene.owner, scene.person)
    answer = navigate(host, body(scene, name="requestPayment", args={"paymentArgs": {}}))
    assert (answer["result"], answer["outcome"]) == ("fail", "callback_error")
    assert "库存不足" in answer["errMsg"]


@pytest.mark.parametrize(
    ("script", "error"),
    [
        ("exports.beforeRequestPayment = function () { while (true) {} };", "function_timeout"),
        (
            "exports.beforeRequestPayment = function () { var a = [];"
            " for (;;) a.push(new Array(1e6).fill(2.5)); };",
            "function_memory",
        ),
        (
            "function r(n) { return r(n + 1) + 1; }"
            " exports.beforeRequestPayment = function () { r(0); };",
            "function_stack",
        ),
    ],
    ids=["infinite-loop", "huge-allocation", "deep-recursion"],
)
def test_fp9_a_runaway_function_is_stopped_and_reported(host, scene, script, error):
    release_owner(scene.owner, script=script)
    grant_payment(scene.owner)
    order = owner_order(scene.owner, scene.person)
    args = {"paymentArgs": signed_args(order)}
    answer = navigate(host, body(scene, name="requestPayment", args=args))
    assert answer["error"] == error, answer
    assert Order.objects.get(pk=order.pk).trade_state == TradeState.NOTPAY


@pytest.mark.django_db(transaction=True)
def test_fp9_another_request_is_answered_in_time_while_a_function_loops(
    client,
    make_plugin,
    provision,
    make_identity,
    settings,  # noqa: F811
):
    """The infinite loop runs in one thread; a launch of the same host app in another
    thread is answered long before the loop's time limit ends it."""
    import json

    from miniport.core.models import PolicyOverride
    from tests.runtime.conftest import HOST_SECRET

    PolicyOverride.objects.create(key="functional.script_timeout_ms", value=5000)
    scene = make_scene(make_plugin, provision, make_identity)
    release_owner(scene.owner, script="exports.beforeRequestPayment = function () { for (;;) {} };")
    grant_payment(scene.owner)
    order = owner_order(scene.owner, scene.person)
    headers = {
        "HTTP_X_HOST_APP": f"{HOST_ID}:{HOST_SECRET}",
        "HTTP_X_IDENTITY_SESSION": auth.session_issue(scene.person, HOST_ID),
    }
    result: dict = {}

    def loop():
        from django.test import Client

        data = body(scene, name="requestPayment", args={"paymentArgs": signed_args(order)})
        response = Client().generic(
            "POST", "/runtime/v1/functional-pages/navigate", json.dumps(data), "", **headers
        )
        result["answer"] = json.loads(response.content)
        result["ended"] = time.monotonic()
        from django.db import connection

        connection.close()  # this thread's own connection, before the database is dropped

    thread = threading.Thread(target=loop)
    thread.start()
    time.sleep(0.3)
    started = time.monotonic()
    response = client.get("/runtime/v1/ping")
    answered = time.monotonic()
    assert response.status_code == 200 and json.loads(response.content) == {"ok": True}
    other = client.generic(
        "POST", "/runtime/v1/functional-pages/navigate", json.dumps(body(scene)), "", **headers
    )
    assert json.loads(other.content)["result"] == "success"
    second = time.monotonic()
    thread.join(15)
    assert result["answer"]["error"] == "function_timeout"
    assert answered - started < 2.0
    assert second < result["ended"]


def test_fp4_an_owner_without_an_active_merchant_has_no_plugin_payment(host, scene):
    release_owner(scene.owner)
    grant_payment(scene.owner)
    answer = navigate(host, body(scene, name="requestPayment", args={"paymentArgs": {}}))
    assert (answer["result"], answer["outcome"]) == ("fail", "function_unavailable")
