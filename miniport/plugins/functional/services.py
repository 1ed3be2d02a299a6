"""Plugin functional pages (FP-1..FP-12): a navigator in a plugin leads to a page of the
plugin OWNER's mini program that signs the user in (`loginAndGetUserInfo`) or pays
(`requestPayment`); the answer comes back as success, fail or nothing (FP-5).

The runtime (`POST /runtime/v1/functional-pages/navigate`) and the phone page
(`/m/functional/`) both go through `open_page` (every check, and for a payment the
owner's `beforeRequestPayment` and the order it names) and `confirm` (the login code, or
the payment).

Outcomes (`Outcome.result` / `Outcome.outcome`, stable codes, FP-11 in the seed's order):
- "none" / `same_appid`: the calling mini program is the plugin's owner: nothing happens
  (FP-11, FP-12);
- "fail" / `page_not_found`: the version reached does not enable `functionalPages`
  (release: the owner's online version, or the gray one the identity falls in; develop:
  the identity's development preview), or with version develop the identity never opened
  the owner's preview (FP-6, FP-7);
- "fail" / `develop_expired`: the preview is older than `functional.develop_valid_seconds`
  (FP-7);
- "fail" / `function_unavailable`: requestPayment while the owner is a personal subject
  or the plugin has no approved payment application (FP-4);
- "fail" / `left_at_once`: requestPayment without `beforeRequestPayment` in
  `functional-pages/request-payment.js` (FP-9);
- "fail" / `back_button_only`: a name other than loginAndGetUserInfo or requestPayment;
- "fail" / `owner_not_released`: version release while the owner has no release, or its
  release lacks `functionalPages` while one of its uploads has it (FP-8: works in
  development, not in review);
- "fail" / `callback_error`: `beforeRequestPayment` called `callback(err)`;
- "success" / `ok`: login: `code` (a login code of the OWNER mini program, redeemed by the
  plugin's server with jscode2session for the owner's appid), `expires_in`, `userInfo`
  (`openid` for the owner mini program, `nickName`); payment: `transaction_id`,
  `out_trade_no`, `total_fee`, `prepay_id`, `trade_state`.

Refusals (PlatformError): FIELD_REQUIRED (appid, plugin_appid, name, version),
INVALID_APPID (calling mini program), PLUGIN_NOT_FOUND, PLUGIN_NOT_APPROVED (PLG-11: the
calling mini program has no approved application), VERSION_INVALID, ARGS_INVALID,
LIB_VERSION_TOO_LOW (FP-1: base library below 2.1.0 when named), OWNER_NO_MERCHANT, the
engine's FUNCTION_* refusals, FUNCTION_RESULT_INVALID, ORDER_NOT_OWNERS, PAY_SIGN_INVALID
and the sandbox's PayError refusals (PAYER_MISMATCH, ORDER_ALREADY_PAID, ...).
"""

from __future__ import annotations

import hmac
import json
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from miniport.core import audit, clock, policy
from miniport.core.actors import Actor
from miniport.core.errors import CoreError, PlatformError, Words
from miniport.identities.models import Identity
from miniport.identities.selectors import openid_for
from miniport.miniprograms import selectors as mp_selectors
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.models import MiniProgram
from miniport.miniprograms.services import credentials
from miniport.payments.merchants.selectors import merchant_of
from miniport.payments.models import Order
from miniport.payments.notifications import paying
from miniport.payments.sandbox import keys, signing
from miniport.payments.sandbox import orders as sandbox_orders
from miniport.plugins.development.selectors import plugin_by_appid
from miniport.plugins.functional import engine, selectors
from miniport.plugins.functional.errors import FunctionalError
from miniport.plugins.models import FunctionalPreview, Plugin
from miniport.plugins.payment.selectors import plugin_has_payment
from miniport.plugins.usage import selectors as usage_selectors
from miniport.releases import selectors as release_selectors
from miniport.releases.models import DevVersion

LOGIN = "loginAndGetUserInfo"
PAYMENT = "requestPayment"
NAMES = (LOGIN, PAYMENT)
DEVELOP, RELEASE = "develop", "release"
VERSIONS = (DEVELOP, RELEASE)
MINIMUM_LIB_VERSION = (2, 1, 0)  # FP-1

SUCCESS, FAIL, NONE = "success", "fail", "none"
OUTCOME_CODES: dict[str, FunctionalError] = {
    "same_appid": FunctionalError.OUTCOME_SAME_APPID,
    "page_not_found": FunctionalError.OUTCOME_PAGE_NOT_FOUND,
    "develop_expired": FunctionalError.OUTCOME_DEVELOP_EXPIRED,
    "function_unavailable": FunctionalError.OUTCOME_FUNCTION_UNAVAILABLE,
    "left_at_once": FunctionalError.OUTCOME_LEFT_AT_ONCE,
    "back_button_only": FunctionalError.OUTCOME_BACK_BUTTON_ONLY,
    "owner_not_released": FunctionalError.OUTCOME_OWNER_NOT_RELEASED,
    "callback_error": FunctionalError.OUTCOME_CALLBACK_ERROR,
}
_PREPAY = re.compile(r"^prepay_id=([A-Za-z0-9_-]{1,64})$")
_REQUEST_PAYMENT_FIELDS = ("timeStamp", "nonceStr", "package", "signType", "paySign")


@dataclass(frozen=True)
class Outcome:
    """What the navigator's event carries: success, fail or nothing (FP-5, FP-11)."""

    result: str
    outcome: str
    data: dict[str, Any] = field(default_factory=dict)
    reason: str | Words = ""  # callback_error: the script's message; page_not_found: why

    @property
    def code(self) -> FunctionalError | None:
        return OUTCOME_CODES.get(self.outcome)

    def message(self, lang: str | None = None) -> str:
        code = self.code
        return code.message(lang, reason=self.reason) if code is not None else "ok"


def _outcome(name: str, *, result: str = FAIL, reason: str | Words = "") -> Outcome:
    return Outcome(result=result, outcome=name, reason=reason)


# The two ways to "page not found" (FP-11), told apart in the message.
_NOT_ENABLED = Words(
    "插件所有者小程序未启用功能页（functionalPages）",
    "the plugin owner mini program has not enabled functionalPages",
)
_PREVIEW_NOT_OPENED = Words(
    "这台手机尚未进入插件所有者小程序的开发版，请先扫码打开它的预览",
    "this phone has not entered the plugin owner's development version: open its preview first",
)


@dataclass
class Payment:
    """The order `beforeRequestPayment` named, verified, ready to pay."""

    order: Order
    request_payment_args: dict[str, str]
    merchant_name: str
    amount_yuan: str


@dataclass
class Page:
    """A functional page open for the identity, every check passed."""

    name: str
    plugin: Plugin
    owner: MiniProgram
    user: MiniProgram  # the calling mini program, which uses the plugin
    identity: Identity
    version: str
    dev_version: DevVersion
    payment: Payment | None = None

    @property
    def openid(self) -> str:
        return openid_for(self.identity, self.owner.appid)


# --- FP-7: the owner's development version opened once -----------------------------------


def functional_preview_open(
    *, actor: Actor, identity: Identity, owner: MiniProgram
) -> FunctionalPreview:
    """The identity scans the owner's preview and enters it once (FP-7): its development
    version (the identity's own latest upload, else the latest, as launch env=develop
    answers) is what `version="develop"` navigators reach until
    `functional.develop_valid_seconds` from now. Only project and experience members
    (LAUNCH_NOT_MEMBER); LAUNCH_NO_VERSION before any upload."""
    manifest = release_selectors.launch_manifest(
        miniprogram=owner, identity=identity, env=release_selectors.ENV_DEVELOP
    )
    now = clock.now()
    with transaction.atomic():
        preview, _created = FunctionalPreview.objects.update_or_create(
            identity=identity,
            owner=owner,
            defaults={"dev_version": manifest.dev_version, "opened_at": now},
        )
        audit.record(
            actor,
            "functional.preview_open",
            target=preview,
            appid=owner.appid,
            after={
                "dev_version": manifest.dev_version.pk,
                "functional_pages": selectors.has_functional_pages(manifest.dev_version),
            },
        )
    return preview


# --- opening a page: every check ----------------------------------------------------------


def _required(**values: str) -> None:
    for name, value in values.items():
        if not value:
            raise PlatformError(CoreError.FIELD_REQUIRED, field=name)


def _check_lib_version(lib_version: str) -> None:
    if not lib_version:
        return
    try:
        parts = tuple(int(part) for part in lib_version.split("."))
    except ValueError:
        raise PlatformError(CoreError.FIELD_INVALID, field="lib_version", reason="x.y.z") from None
    if parts < MINIMUM_LIB_VERSION:
        raise PlatformError(
            FunctionalError.LIB_VERSION_TOO_LOW, field="lib_version", minimum="2.1.0"
        )


def _check_args(args: Any) -> dict[str, Any]:
    limit = policy.value("functional.result_max_bytes")
    if args is None or args == "":
        return {}
    if isinstance(args, str):
        try:
            args = json.loads(args)
        except (ValueError, RecursionError):  # not JSON, or nested deeper than Python reads
            raise PlatformError(FunctionalError.ARGS_INVALID, field="args", limit=limit) from None
    try:
        size = len(json.dumps(args)) if isinstance(args, dict) else limit + 1
    except RecursionError:
        size = limit + 1
    if size > limit:
        raise PlatformError(FunctionalError.ARGS_INVALID, field="args", limit=limit)
    return args


def _version_reached(owner: MiniProgram, identity: Identity, version: str) -> DevVersion | Outcome:
    """The owner's version the navigator reaches, or the FP-11 outcome that stops it."""
    if version == DEVELOP:
        preview = selectors.preview_of(identity, owner)
        if preview is None:
            return _outcome("page_not_found", reason=_PREVIEW_NOT_OPENED)
        if selectors.preview_expired(preview):
            return _outcome("develop_expired")
        if not selectors.has_functional_pages(preview.dev_version):
            return _outcome("page_not_found", reason=_NOT_ENABLED)
        return preview.dev_version
    released = selectors.released_version(owner, identity)
    if released is None:
        return _outcome("owner_not_released")
    if not selectors.has_functional_pages(released):
        if selectors.any_upload_with_functional_pages(owner):
            return _outcome("owner_not_released")
        return _outcome("page_not_found", reason=_NOT_ENABLED)
    return released


def open_page(
    *,
    identity: Identity,
    appid: str,
    plugin_appid: str,
    name: str,
    version: str,
    args: Any = None,
    lib_version: str = "",
) -> Page | Outcome:
    """Every check of a navigator, in the order the user would meet them; for a payment
    also the owner's `beforeRequestPayment` and the order it names (module docstring)."""
    appid, plugin_appid, name, version = (
        (appid or "").strip(),
        (plugin_appid or "").strip(),
        (name or "").strip(),
        (version or "").strip(),
    )
    _required(appid=appid, plugin_appid=plugin_appid, name=name, version=version)
    _check_lib_version((lib_version or "").strip())
    # An AppID with a NUL names nothing: both lookups answer None (the phone page's query
    # reaches here without the JSON API's input check).
    user = mp_selectors.by_appid(appid)
    if user is None:
        raise PlatformError(MiniProgramError.INVALID_APPID, field="appid")
    plugin = plugin_by_appid(plugin_appid)
    if plugin is None:
        raise PlatformError(
            FunctionalError.PLUGIN_NOT_FOUND, field="plugin_appid", plugin_appid=plugin_appid
        )
    owner = plugin.owner
    if owner.pk == user.pk:
        return _outcome("same_appid", result=NONE)  # FP-11, FP-12
    if not usage_selectors.approved(plugin, user):
        raise PlatformError(FunctionalError.PLUGIN_NOT_APPROVED, field="plugin_appid")
    if version not in VERSIONS:
        raise PlatformError(FunctionalError.VERSION_INVALID, field="version")
    parsed = _check_args(args)
    if name not in NAMES:
        return _outcome("back_button_only")
    reached = _version_reached(owner, identity, version)
    if isinstance(reached, Outcome):
        return reached
    page = Page(name, plugin, owner, user, identity, version, reached)
    if name == LOGIN:
        return page
    if selectors.is_personal(owner) or not plugin_has_payment(plugin):
        return _outcome("function_unavailable")  # FP-4
    merchant = merchant_of(owner)
    if merchant is None:
        raise PlatformError(FunctionalError.OWNER_NO_MERCHANT)
    answer = engine.run_before_request_payment(
        selectors.functional_sources(reached), parsed.get("paymentArgs")
    )
    if answer.missing:
        return _outcome("left_at_once")
    if answer.error is not None:
        return _outcome("callback_error", reason=answer.error)
    assert answer.args is not None
    page.payment = _verified_payment(page, merchant, answer.args)
    return page


def _verified_payment(page: Page, merchant, raw: dict[str, Any]) -> Payment:
    """FP-9: the callback's requestPaymentArgs name an order of the owner's merchant,
    signed with its key over the fields wx.requestPayment signs (appId = the owner's)."""
    values: dict[str, str] = {}
    for name in _REQUEST_PAYMENT_FIELDS:
        value = raw.get(name, "MD5" if name == "signType" else None)
        if isinstance(value, bool) or not isinstance(value, str | int) or value == "":
            raise PlatformError(FunctionalError.FUNCTION_RESULT_INVALID, reason=name)
        values[name] = str(value)
    if values["signType"] not in signing.SIGN_TYPES:
        raise PlatformError(FunctionalError.FUNCTION_RESULT_INVALID, reason="signType")
    matched = _PREPAY.match(values["package"])
    if matched is None:
        raise PlatformError(FunctionalError.FUNCTION_RESULT_INVALID, reason="package")
    prepay_id = matched.group(1)
    order = sandbox_orders.order_by_prepay(prepay_id)
    if order is None or order.merchant_id != merchant.pk or order.appid != page.owner.appid:
        raise PlatformError(FunctionalError.ORDER_NOT_OWNERS)
    signed = {"appId": page.owner.appid, **{k: values[k] for k in _REQUEST_PAYMENT_FIELDS[:4]}}
    expected = signing.sign(
        signed, keys.signing_key(merchant, sandbox=order.sandbox), values["signType"]
    )
    if not hmac.compare_digest(expected.encode(), values["paySign"].upper().encode()):
        raise PlatformError(FunctionalError.PAY_SIGN_INVALID)
    order = paying.payable_order(prepay_id=prepay_id, identity=page.identity, appid=order.appid)
    return Payment(
        order=order,
        request_payment_args=values,
        merchant_name=paying.merchant_name(order),
        amount_yuan=paying.yuan(order.total_fee),
    )


# --- confirming: the login code, or the payment -------------------------------------------


def confirm(*, actor: Actor, page: Page) -> Outcome:
    """The user confirms the page: a login code of the owner mini program and the user's
    information for it (FP-3), or the payment of the verified order through the sandbox
    (`paying.pay_confirm`, which notifies the merchant)."""
    if page.name == LOGIN:
        issued = credentials.login_code_issue(
            actor=actor, identity=page.identity, miniprogram=page.owner
        )
        audit.record(
            actor,
            "functional.login",
            target=page.plugin,
            appid=page.user.appid,
            after={"owner": page.owner.appid, "version": page.version},
        )
        return Outcome(
            SUCCESS,
            "ok",
            {
                "code": issued.code,
                "expires_in": issued.expires_in,
                "userInfo": {"openid": page.openid, "nickName": page.identity.nickname},
            },
        )
    assert page.payment is not None
    confirmed = paying.pay_confirm(
        actor=actor, prepay_id=page.payment.order.prepay_id, identity=page.identity
    )
    order = confirmed.order
    audit.record(
        actor,
        "functional.pay",
        target=page.plugin,
        appid=page.user.appid,
        after={"owner": page.owner.appid, "out_trade_no": order.out_trade_no},
    )
    return Outcome(
        SUCCESS,
        "ok",
        {
            "transaction_id": order.transaction_id or "",
            "out_trade_no": order.out_trade_no,
            "prepay_id": order.prepay_id,
            "total_fee": order.total_fee,
            "trade_state": order.trade_state,
            "paid_now": confirmed.paid_now,
        },
    )


def navigate(
    *,
    actor: Actor,
    identity: Identity,
    appid: str,
    plugin_appid: str,
    name: str,
    version: str,
    args: Any = None,
    lib_version: str = "",
) -> Outcome:
    """A navigator tapped and its page confirmed in one call (the runtime endpoint)."""
    page = open_page(
        identity=identity,
        appid=appid,
        plugin_appid=plugin_appid,
        name=name,
        version=version,
        args=args,
        lib_version=lib_version,
    )
    if isinstance(page, Outcome):
        return page
    return confirm(actor=actor, page=page)


# --- FP-2: no login code in a plugin's context ---------------------------------------------


def refuse_plugin_login(plugin_appid: str) -> None:
    """FP-2: a plugin may not ask for a login code itself: a login asked for with a
    `plugin_appid` (the host marks calls made from a plugin's code so) is refused with
    PLUGIN_LOGIN_REFUSED, which points to the functional page."""
    if (plugin_appid or "").strip():
        raise PlatformError(FunctionalError.PLUGIN_LOGIN_REFUSED, field="plugin_appid")
