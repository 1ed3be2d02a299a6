"""Refusals of plugin usage (PLG-9, PLG-11, B-9), with the errcodes of the shared table
(wechat-api section 9) and of a submission's declared plugins (80066, 80067, 80082)."""

from miniport.core.errors import ErrorCode


class UsageError(ErrorCode):
    # (errcode or None, Chinese message, English message[, variant of])
    NOT_APPLIABLE = (
        89236,
        "该插件暂不能申请使用（尚无已发布的版本）",
        "the plugin cannot be applied for (it has no released version)",
    )
    OWN_PLUGIN = (
        89236,
        "小程序不能申请使用自己的插件",
        "a mini program cannot apply for its own plugin",
        "NOT_APPLIABLE",
    )
    ALREADY_ADDED = (89237, "已添加或正在申请该插件", "the plugin is already added or applied for")
    APPLY_LIMIT = (
        89238,
        "本月申请插件的次数已达上限（{limit} 次）",
        "the month's limit of plugin applications is reached ({limit})",
    )
    IN_USE_LIMIT = (
        89238,
        "使用和申请中的插件已达上限（{limit} 个）",
        "the limit of plugins in use or applied for is reached ({limit})",
        "APPLY_LIMIT",
    )
    PLUGIN_NOT_FOUND = (89239, "插件不存在", "the plugin does not exist")
    NOT_APPLYING = (
        89240,
        "只能通过或拒绝申请中的申请（该申请状态为：{status}）",
        "only an application still applying can be agreed or refused (this one is {status})",
    )
    NOT_DELETABLE = (
        89241,
        "只能删除已拒绝或已超时的申请",
        "only refused or timed-out applications can be deleted",
    )
    NOT_IN_APPLY_LIST = (89242, "该 AppID 不在申请列表中", "the AppID is not in the apply list")
    NOT_ADDED = (
        89242,
        "该小程序没有添加此插件",
        "the mini program has not added this plugin",
        "NOT_IN_APPLY_LIST",
    )
    PENDING_NOT_DELETABLE = (
        89243,
        "申请中的申请不能删除",
        "an application still applying cannot be deleted",
    )
    QUICK_UPDATE_UNSUPPORTED = (
        89257,
        "该插件版本不支持快速更新",
        "this plugin version does not support quick update",
    )
    ALLOWLIST_INVALID = (
        None,
        "白名单中的 AppID 无效：{appid}",
        "an AppID of the allowlist is invalid: {appid}",
    )
    ALLOWLIST_TOO_LONG = (
        None,
        "白名单最多 {limit} 个 AppID",
        "the allowlist holds at most {limit} AppIDs",
    )
    DECLARED_PLUGIN_NOT_FOUND = (
        80067,
        "代码声明的插件不存在：{plugin}",
        "a plugin the code declares does not exist: {plugin}",
    )
    DECLARED_PLUGIN_NO_PERMISSION = (
        80082,
        "没有使用插件的权限（申请未通过）：{plugin}",
        "no permission to use the plugin (no approved application): {plugin}",
    )
    DECLARED_PLUGIN_VERSION_INVALID = (
        80066,
        "插件版本无效（未发布）：{plugin} {version}",
        "invalid plugin version (not released): {plugin} {version}",
    )
