"""Refusals of a plugin package's plugin.json (PLG-7), beside the package codes of
`releases.errors` that plugin packages share with mini program packages."""

from miniport.core.errors import ErrorCode


class PluginPackageError(ErrorCode):
    # (WeChat errcode or None, Chinese message, English message)
    PLUGIN_COMPONENTS_INVALID = (
        None,
        "{entry} 的 publicComponents 不合法：{reason}",
        "{entry}: invalid publicComponents: {reason}",
    )
    PLUGIN_COMPONENT_FILES_MISSING = (
        None,
        "组件 {component} 缺少文件 {entry}",
        "component {component} is missing its file {entry}",
    )
    PLUGIN_PAGES_INVALID = (
        None,
        "{entry} 的 pages 不合法：{reason}",
        "{entry}: invalid plugin pages: {reason}",
    )
    PLUGIN_MAIN_INVALID = (
        None,
        "{entry} 中的 main 文件 {main} 不合法或不存在：{reason}",
        "{entry}: the main file {main} is invalid or missing: {reason}",
    )
