"""Refusals of plugin development (PLG-1..PLG-5): enabling, basic and development
information."""

from miniport.core.errors import ErrorCode


class PluginDevError(ErrorCode):
    # (errcode or None, Chinese message, English message)
    PERSONAL_SUBJECT = (
        None,
        "个人主体的小程序不能开通插件功能",
        "a mini program of a personal subject cannot enable plugins",
    )
    ALREADY_ENABLED = (
        None,
        "该小程序已开通插件功能",
        "this mini program has already enabled its plugin",
    )
    NAME_LENGTH = (
        None,
        "插件名称须为 {min}–{max} 个字符",
        "the plugin name must be {min} to {max} characters",
    )
    NAME_INVALID = (None, "插件名称无效：{reason}", "the plugin name is not valid: {reason}")
    NAME_TAKEN = (None, "插件名称已被占用：{name}", "the plugin name is taken: {name}")
    NAME_IS_MINIPROGRAM = (
        None,
        "插件名称不能与其他小程序的名称相同：{name}",
        "the plugin name may not be another mini program's name: {name}",
    )
    INTRODUCTION_LENGTH = (
        None,
        "插件简介须为 {min}–{max} 个字符",
        "the introduction must be {min} to {max} characters",
    )
    CONTACT_TOO_LONG = (
        None,
        "客服联系方式最多 {max} 个字符",
        "the customer service contact may have at most {max} characters",
    )
    ADD_METHOD_INVALID = (None, "添加方式不合法", "invalid add method")
    CATEGORY_NOT_OPEN = (
        None,
        "该类目不能作为插件的服务类目：{category}",
        "this category cannot be the plugin's service category: {category}",
    )
    NO_CATEGORY = (
        None,
        "小程序没有可作为插件服务类目的已通过类目",
        "the mini program has no approved category that plugins may use",
    )
    DOMAIN_INVALID = (
        None,
        "服务器域名不合法（须为 https:// 加域名）：{domain}",
        "invalid server domain (https:// and a host name): {domain}",
    )
    TOO_MANY_DOMAINS = (
        None,
        "服务器域名最多 {max} 个",
        "at most {max} server domains",
    )
    TOKEN_INVALID = (
        None,
        "Token 须为 {min}–{max} 位英文字母或数字",
        "the Token must be {min} to {max} letters or digits",
    )
    APPID_EXHAUSTED = (
        None,
        "暂时无法分配 AppID，请稍后再试",
        "no AppID could be allocated; try again later",
    )
