"""Refusals of official accounts and their associations (OA-1..OA-3), with the errcodes
of wxamplink (wechat-api 12). An unknown AppID (of a mini program or an official
account) is the shared 40013 (MiniProgramError.INVALID_APPID), as is wxampunlink of a
mini program not associated."""

from miniport.core.errors import ErrorCode


class OfficialAccountError(ErrorCode):
    # (errcode or None, Chinese message, English message[, variant of])
    MONTHLY_LIMIT = (
        89007,
        "本月关联小程序的次数已达上限（{limit} 次）",
        "wxa quota limit: the month's associations are used up ({limit})",
    )
    MINIPROGRAM_MONTHLY_LIMIT = (
        89007,
        "该小程序本月被关联的次数已达上限（{limit} 次）",
        "wxa quota limit: the mini program's associations of the month are used up ({limit})",
        "MONTHLY_LIMIT",
    )
    MINIPROGRAM_LINK_LIMIT = (
        89009,
        "该小程序关联的公众号已达上限（{limit} 个）",
        "wxa reach link limit ({limit})",
    )
    ALREADY_WAITING = (
        89010,
        "已发送关联邀请，等待小程序管理员确认",
        "link message has sent",
    )
    ALREADY_LINKED = (89015, "已关联该小程序", "has linked wxa")
    SAME_SUBJECT_LIMIT = (
        89016,
        "同主体小程序的关联已达上限（{limit} 个）",
        "reach same realname quota ({limit})",
    )
    OTHER_SUBJECT_LIMIT = (
        89017,
        "不同主体小程序的关联已达上限（{limit} 个）",
        "reach different realname quota ({limit})",
    )
    NOT_LINKED = (
        None,
        "该小程序未关联本公众号",
        "the mini program is not associated with the official account",
    )
    NOT_WAITING = (
        None,
        "该关联请求已不在等待确认状态",
        "the association request is no longer waiting for confirmation",
    )
    NAME_INVALID = (None, "名称须为 1 至 {limit} 个字符", "the name takes 1 to {limit} characters")
    INTRODUCTION_INVALID = (
        None,
        "简介最多 {limit} 个字符",
        "the introduction takes at most {limit} characters",
    )
    ADMIN_NOT_FOUND = (None, "找不到该账号：{wechat_id}", "no identity with the ID {wechat_id}")
    APPID_EXHAUSTED = (None, "无法分配新的 AppID，请重试", "no free AppID was found, try again")
    MENU_INVALID = (None, "菜单无效：{reason}", "the menu is invalid: {reason}")
    MENU_NOT_LINKED = (
        None,
        "菜单中的小程序未关联本公众号：{appid}",
        "a mini program of the menu is not associated: {appid}",
    )
    # wxamplink's notify_users and show_profile (wechat-api 12.2): no errcode of their
    # own, the wire answers 40097 invalid args naming the field.
    LINK_FLAG_INVALID = (
        None,
        "参数 {field} 须为 1 或 0",
        "invalid args: {field} must be 1 or 0",
    )
