"""Functional pages (FP-1..FP-12): the FP-11 outcomes' messages and the coded refusals.

`OUTCOME_*` are not refusals: they are the messages (errMsg) of the documented outcomes a
navigator answers as `{"result": "fail" | "none", "outcome": ...}` (see
`miniport.plugins.functional.services`). The others are refusals (errcode and name)."""

from miniport.core.errors import ErrorCode


class FunctionalError(ErrorCode):
    # (WeChat errcode or None, Chinese message, English message)

    # FP-11 outcomes (errMsg of result "fail" / "none")
    OUTCOME_SAME_APPID = (
        None,
        "使用插件的小程序就是插件所有者小程序，功能页不可用",
        "the mini program using the plugin is the plugin's owner: functional pages do nothing",
    )
    OUTCOME_PAGE_NOT_FOUND = (None, "页面不存在：{reason}", "page not found: {reason}")
    OUTCOME_DEVELOP_EXPIRED = (
        None,
        "小程序开发版已过期，请重新扫码进入插件所有者小程序一次",
        "the development version has expired: open the plugin owner's preview again",
    )
    OUTCOME_FUNCTION_UNAVAILABLE = (
        None,
        "该功能无法使用",
        "this function is unavailable",
    )
    OUTCOME_LEFT_AT_ONCE = (
        None,
        "未找到功能页函数 beforeRequestPayment，已退出支付功能页",
        "no beforeRequestPayment function was found: the payment page closed at once",
    )
    OUTCOME_BACK_BUTTON_ONLY = (
        None,
        "功能页名称不正确",
        "unknown functional page name",
    )
    OUTCOME_OWNER_NOT_RELEASED = (
        None,
        "插件所有者小程序尚未发布启用功能页的版本，或导航组件的 version 不是 release",
        "the plugin owner has not released a version with functional pages, "
        'or the navigator is not version="release"',
    )
    OUTCOME_CALLBACK_ERROR = (
        None,
        "支付前处理失败：{reason}",
        "beforeRequestPayment failed: {reason}",
    )

    # Refusals
    PLUGIN_NOT_FOUND = (None, "插件不存在：{plugin_appid}", "no such plugin: {plugin_appid}")
    PLUGIN_NOT_APPROVED = (
        None,
        "该小程序未获准使用此插件",
        "the mini program has no approved application for this plugin",
    )
    LIB_VERSION_TOO_LOW = (
        None,
        "功能页需要基础库 {minimum} 或更高版本",
        "functional pages need base library {minimum} or later",
    )
    VERSION_INVALID = (
        None,
        "version 只能是 develop 或 release",
        "version must be develop or release",
    )
    ARGS_INVALID = (
        None,
        "args 应为 JSON 对象，且不超过 {limit} 字节",
        "args must be a JSON object of at most {limit} bytes",
    )
    PLUGIN_LOGIN_REFUSED = (
        None,
        "插件不能直接获取登录凭证，请使用插件功能页 loginAndGetUserInfo",
        "a plugin cannot get a login code directly: use the functional page loginAndGetUserInfo",
    )
    FUNCTION_TIMEOUT = (
        None,
        "功能页函数运行超时，已被终止",
        "the functional page function ran out of time and was stopped",
    )
    FUNCTION_MEMORY = (
        None,
        "功能页函数超出内存限制，已被终止",
        "the functional page function exceeded its memory limit and was stopped",
    )
    FUNCTION_STACK = (
        None,
        "功能页函数递归过深，已被终止",
        "the functional page function recursed too deeply and was stopped",
    )
    FUNCTION_ERROR = (
        None,
        "功能页函数出错：{reason}",
        "the functional page function failed: {reason}",
    )
    FUNCTION_NO_CALLBACK = (
        None,
        "功能页函数没有调用 callback",
        "the functional page function did not call its callback",
    )
    FUNCTION_RESULT_INVALID = (
        None,
        "功能页函数交给 callback 的支付参数不合法：{reason}",
        "the payment arguments handed to the callback are invalid: {reason}",
    )
    FUNCTION_BUSY = (
        None,
        "功能页函数繁忙，请稍后再试",
        "too many functional page functions are running: try again shortly",
    )
    FUNCTION_TOO_LARGE = (
        None,
        "functional-pages 目录中的代码超过 {limit} 字节",
        "the code of functional-pages/ is larger than {limit} bytes",
    )
    PAY_SIGN_INVALID = (
        None,
        "支付签名 paySign 校验失败",
        "paySign does not verify with the owner's merchant key",
    )
    OWNER_NO_MERCHANT = (
        None,
        "插件所有者小程序尚未开通支付",
        "the plugin owner mini program has no merchant",
    )
    ORDER_NOT_OWNERS = (
        None,
        "订单不属于插件所有者小程序的商户",
        "the order does not belong to the plugin owner's merchant",
    )
