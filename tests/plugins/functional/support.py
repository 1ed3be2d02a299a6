"""Functional pages for tests: an owner mini program's package with or without
`functionalPages` and `functional-pages/request-payment.js`, uploaded and released the way
the console does; the plugin's payment permission as a row; a mini program using the
plugin with an approved application; a signed order of the owner's merchant."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from miniport.core import clock
from miniport.identities.selectors import openid_for
from miniport.payments.merchants.platform import new_api_key, new_mch_id
from miniport.payments.models import Merchant, MerchantKind, Order
from miniport.payments.notifications import paying
from miniport.payments.sandbox.orders import order_create
from miniport.plugins.models import (
    PluginPaymentApplication,
    PluginPaymentMode,
    PluginPaymentState,
)
from tests.plugins.makers import Owner, approved_application
from tests.releases.version_support import approve, submit, upload
from tests.releases.zips import app_files, make_zip

PASS_THROUGH = """
// functional-pages/request-payment.js: the plugin's server placed the order and signed
// wx.requestPayment's arguments; they come in paymentArgs and go on as they are.
var fields = require('./fields');
exports.beforeRequestPayment = function (paymentArgs, callback) {
  callback(null, fields.pick(paymentArgs));
};
"""
FIELDS = """
exports.pick = function (a) {
  return { timeStamp: a.timeStamp, nonceStr: a.nonceStr, package: a.package,
           signType: a.signType, paySign: a.paySign };
};
"""


def owner_package(
    marker: str = "",
    *,
    functional: bool = True,
    script: str | None = PASS_THROUGH,
    extra: dict[str, bytes] | None = None,
) -> bytes:
    """A valid owner package; `functionalPages` on or off; the payment function file
    (with its helper) unless `script` is None."""
    config: dict[str, Any] = {"functionalPages": True} if functional else {}
    files = app_files(**config)
    files["app.js"] = f"App({{}}) // {marker}\n".encode()
    if script is not None:
        files["functional-pages/request-payment.js"] = script.encode()
        files["functional-pages/fields.js"] = FIELDS.encode()
    files.update(extra or {})
    return make_zip(files)


def upload_owner(owner: Owner, version: str = "1.0.0", **options: Any):
    """The owner's developer uploads a version (a development version)."""
    return upload(owner, version, data=owner_package(version, **options))  # type: ignore[arg-type]


def release_owner(owner: Owner, version: str = "1.0.0", **options: Any):
    """The owner's version uploaded, approved and released."""
    from miniport.releases import services

    dev_version = upload_owner(owner, version, **options)
    approve(submit(owner, dev_version))  # type: ignore[arg-type]
    services.release_publish(actor=owner.admin_actor, miniprogram=owner.miniprogram)
    return dev_version


def grant_payment(owner: Owner) -> PluginPaymentApplication:
    """The plugin's payment permission (PLG-10), approved, as a row."""
    now = clock.now()
    return PluginPaymentApplication.objects.create(
        plugin=owner.plugin,
        mode=PluginPaymentMode.ORDINARY,
        online_service="https://shop.example.com",
        state=PluginPaymentState.APPROVED,
        submitted_by=owner.admin.wechat_id,
        created_at=now,
        decided_at=now,
    )


def merchant_of_owner(owner: Owner) -> Merchant:
    found = Merchant.objects.filter(miniprogram=owner.miniprogram).first()
    if found is not None:
        return found
    now = clock.now()
    return Merchant.objects.create(
        mch_id=new_mch_id(),
        kind=MerchantKind.MINIPROGRAM,
        miniprogram=owner.miniprogram,
        name=owner.miniprogram.name,
        api_key=new_api_key(),
        key_set_at=now,
        created_at=now,
    )


def owner_order(owner: Owner, payer, *, total_fee: int = 990, body: str = "插件会员月卡") -> Order:
    """An unpaid order the payer placed with the owner's merchant (through the plugin's
    server), openid for the OWNER mini program."""
    return order_create(
        merchant=merchant_of_owner(owner),
        appid=owner.appid,
        openid=openid_for(payer, owner.appid),
        body=body,
        total_fee=total_fee,
        notify_url="https://plugin.example.com/notify",
    )


def signed_args(order: Order) -> dict[str, str]:
    """wx.requestPayment's arguments for the order, signed with the merchant's key (what
    the plugin's server hands the plugin)."""
    return paying.request_payment_params(order)


@dataclass
class Scene:
    """A plugin owner, the plugin, a mini program using it, and a user."""

    owner: Owner
    user_app: Any
    person: Any

    @property
    def plugin_appid(self) -> str:
        assert self.owner.plugin is not None
        return self.owner.plugin.appid


def make_scene(make_plugin, provision, make_identity, *, approved: bool = True) -> Scene:
    owner = make_plugin()
    user_app = provision("enterprise").miniprogram
    if approved:
        approved_application(owner.plugin, user_app)
    return Scene(owner, user_app, make_identity())


def body(scene: Scene, name: str = "loginAndGetUserInfo", version: str = "release", **extra):
    return {
        "appid": scene.user_app.appid,
        "plugin_appid": scene.plugin_appid,
        "name": name,
        "version": version,
        **extra,
    }


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
