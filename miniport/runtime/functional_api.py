"""Plugin functional pages through the host app (FP-1..FP-12, B-3).

`POST /runtime/v1/functional-pages/navigate` (host credential and identity session, like
/runtime/v1/launch) with `appid` (the calling mini program, which uses the plugin),
`plugin_appid`, `name` (loginAndGetUserInfo | requestPayment), `version` (develop |
release), `args` (an object; requestPayment: `paymentArgs`, handed to the owner's
`beforeRequestPayment`) and optionally `lib_version` (the base library; below 2.1.0 is
refused, FP-1). The host calls it once the user confirmed the page.

Answer (errcode 0): `result` "success" | "fail" | "none", `outcome` (the stable FP-11
code: ok, same_appid, page_not_found, develop_expired, function_unavailable, left_at_once,
back_button_only, owner_not_released, callback_error; listed in
`miniport.plugins.functional.services`), `errMsg` (English), and on success the page's
data: login `code` (the OWNER mini program's login code for jscode2session), `expires_in`,
`userInfo` {openid (for the owner), nickName, unionid (OPN-2: only when the owner is bound
to an open platform account)}; payment `transaction_id`, `out_trade_no`,
`prepay_id`, `total_fee`, `trade_state`, `paid_now`.

`POST /runtime/v1/functional-pages/preview` with `appid` (the owner mini program): the
identity scanned the owner's preview and entered it once (FP-7); answers the development
version recorded and `expires_in`.

Refusals (errcode 40097 unless named, and the code's name in `error`): host_app_invalid,
runtime_session_missing, runtime_session_invalid; field_required; invalid_appid (40013);
plugin_not_found; plugin_not_approved; version_invalid; args_invalid; lib_version_too_low;
owner_no_merchant; function_timeout, function_memory, function_stack, function_error,
function_no_callback, function_result_invalid, function_busy, function_too_large;
order_not_owners; pay_sign_invalid; the sandbox's payer_mismatch, order_already_paid,
order_not_payable, prepay_expired; preview: launch_not_member, launch_no_version.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from miniport.core import policy
from miniport.core.errors import CoreError, PlatformError
from miniport.links.open_platform import selectors as open_selectors
from miniport.miniprograms import selectors as mp_selectors
from miniport.miniprograms.errors import MiniProgramError
from miniport.plugins.development.selectors import plugin_by_appid
from miniport.plugins.functional import services
from miniport.web.api import Call, WireModel, post


class NavigateBody(WireModel):
    appid: str = ""
    plugin_appid: str = ""
    name: str = ""
    version: str = ""
    args: Any = None
    lib_version: str = ""


class NavigateResponse(BaseModel):
    errcode: int
    errmsg: str
    result: str
    outcome: str
    errMsg: str  # noqa: N815 - the navigator event's name


class PreviewBody(WireModel):
    appid: str = ""


class PreviewResponse(BaseModel):
    errcode: int
    errmsg: str
    appid: str
    version: str
    functional_pages: bool
    expires_in: int


def _with_unionid(user_info: dict, call: Call, plugin_appid: str) -> dict:
    """OPN-2: the user information carries the unionid when the owner mini program (whose
    openid it gives) is bound to an open platform account."""
    plugin = plugin_by_appid(plugin_appid)
    if plugin is None:
        return user_info
    unionid = open_selectors.unionid_of(call.identity.pk, plugin.owner_id)
    return {**user_info, "unionid": unionid} if unionid else user_info


@post(
    "/runtime/v1/functional-pages/navigate",
    auth="host_session",
    body=NavigateBody,
    response=NavigateResponse,
    tags=("runtime",),
)
def navigate(call: Call) -> dict:
    """A plugin's functional page confirmed by the signed-in identity: success with the
    login code and user information or the payment, or the FP-11 outcome (refusals listed
    in miniport/runtime/functional_api.py)."""
    body: NavigateBody = call.body
    outcome = services.navigate(
        actor=call.actor,
        identity=call.identity,
        appid=body.appid,
        plugin_appid=body.plugin_appid,
        name=body.name,
        version=body.version,
        args=body.args,
        lib_version=body.lib_version,
    )
    message = outcome.message("en")
    prefix = f"{body.name.strip() or 'navigateToFunctionalPage'}:"
    data = outcome.data
    if isinstance(data.get("userInfo"), dict):
        data = {**data, "userInfo": _with_unionid(data["userInfo"], call, body.plugin_appid)}
    return {
        **data,
        "result": outcome.result,
        "outcome": outcome.outcome,
        "errMsg": prefix + ("ok" if outcome.result == services.SUCCESS else f"fail {message}"),
    }


@post(
    "/runtime/v1/functional-pages/preview",
    auth="host_session",
    body=PreviewBody,
    response=PreviewResponse,
    tags=("runtime",),
)
def preview(call: Call) -> dict:
    """The signed-in identity opened the owner mini program's development version once
    (FP-7): `version="develop"` navigators reach it until it expires."""
    body: PreviewBody = call.body
    appid = body.appid.strip()
    if not appid:
        raise PlatformError(CoreError.FIELD_REQUIRED, field="appid")
    owner = mp_selectors.by_appid(appid)
    if owner is None:
        raise PlatformError(MiniProgramError.INVALID_APPID, field="appid")
    recorded = services.functional_preview_open(
        actor=call.actor, identity=call.identity, owner=owner
    )
    return {
        "appid": owner.appid,
        "version": recorded.dev_version.user_version,
        "functional_pages": services.selectors.has_functional_pages(recorded.dev_version),
        "expires_in": policy.value("functional.develop_valid_seconds"),
    }
