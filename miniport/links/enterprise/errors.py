"""Refusals of enterprises and their mini programs (WW-1..WW-5). The enterprise edition
has no server API here, so none carries an errcode of its own."""

from miniport.core.errors import ErrorCode


class EnterpriseError(ErrorCode):
    # (errcode or None, Chinese message, English message[, variant of])
    ENTERPRISE_NOT_FOUND = (None, "企业不存在：{corp_id}", "no such enterprise: {corp_id}")
    MINIPROGRAM_NOT_FOUND = (None, "小程序不存在：{appid}", "no such mini program: {appid}")
    NOT_RELEASED = (
        None,
        "只有已发布的小程序可以关联到企业并在工作台打开（该小程序尚无线上版本）",
        "only released mini programs can be associated and opened from the workbench "
        "(this one has no online version)",
    )
    ALREADY_ASSOCIATED = (
        None,
        "该小程序已关联到该企业或正在关联中",
        "the mini program is already associated with the enterprise or waiting for it",
    )
    NOT_WAITING = (
        None,
        "该关联当前不能执行此操作（状态：{status}）",
        "the association cannot do this now (it is {status})",
    )
    WRONG_ADMINISTRATOR = (
        None,
        "请使用该小程序管理员的身份扫码授权",
        "only the mini program's administrator can authorize by scan",
    )
    NAME_INVALID = (
        None,
        "名称须为 1 至 {limit} 个字符，不含控制字符或不可见字符",
        "a name has 1 to {limit} characters, none of them a control or invisible one",
    )
    DEPARTMENT_NOT_FOUND = (None, "部门不存在", "no such department")
    DEPARTMENT_NAME_TAKEN = (
        None,
        "同一上级部门下已有同名部门",
        "the parent department already has a department of that name",
    )
    DEPARTMENT_NOT_EMPTY = (
        None,
        "部门下还有子部门或成员，不能删除",
        "the department still has subdepartments or members",
    )
    ROOT_DEPARTMENT = (None, "不能删除企业的根部门", "the enterprise's root department stays")
    DEPARTMENT_LIMIT = (
        None,
        "部门数量已达上限（{limit} 个）",
        "the enterprise has its maximum of departments ({limit})",
    )
    DEPARTMENT_DEPTH = (
        None,
        "部门层级最多 {limit} 级",
        "departments nest at most {limit} levels deep",
    )
    IDENTITY_NOT_FOUND = (None, "没有这个帐号：{wechat_id}", "no such account: {wechat_id}")
    ALREADY_MEMBER = (None, "已是该企业的成员", "already a member of the enterprise")
    MEMBER_NOT_FOUND = (None, "成员不存在", "no such member")
    MEMBER_LIMIT = (
        None,
        "成员数量已达上限（{limit} 人）",
        "the enterprise has its maximum of members ({limit})",
    )
    RANGE_LIMIT = (
        None,
        "可见范围最多 {limit} 项",
        "a visibility range holds at most {limit} departments and members",
    )
    NOT_ASSOCIATED = (
        None,
        "该小程序未关联到该企业",
        "the mini program is not associated with the enterprise",
    )
    NOT_A_MEMBER = (None, "你不是该企业的成员", "you are not a member of the enterprise")
    OUT_OF_RANGE = (
        None,
        "你不在该小程序的可见范围内",
        "you are not in the mini program's visibility range",
    )
