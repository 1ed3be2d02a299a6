"""Refusals of plugin versions (PLG-7, PLG-8): uploads, the development assistant,
submissions for review and releases. Package refusals are the releases domain's codes
(`ReleaseError`, `PluginPackageError`), exactly as for a mini program's package."""

from miniport.core.errors import ErrorCode


class PluginVersionError(ErrorCode):
    # (WeChat errcode or None, Chinese message, English message)
    NOT_A_PLUGIN = (None, "{appid} 不是插件的 AppID", "{appid} is not the AppID of a plugin")
    VERSION_NOT_FOUND = (None, "插件版本不存在", "no such plugin version")
    NO_UPLOAD = (
        None,
        "插件还没有上传过开发版本",
        "the plugin has no uploaded development version yet",
    )
    NOT_A_DEVELOPER = (
        None,
        "只有插件所属小程序的管理员和开发者可以使用开发版本",
        "only the administrator and the developers of the plugin's mini program may use "
        "its development version",
    )
    BASIC_INFO_INCOMPLETE = (
        None,
        "插件基本信息不完整，请先填写：{missing}",
        "the plugin's basic information is incomplete; fill in first: {missing}",
    )
    SUBMISSION_OPEN = (
        None,
        "插件已有审核中的版本，请等待审核结果或撤回后再提交",
        "a version of the plugin is already under review: wait for the result or withdraw it",
    )
    # WeChat's plugin version numbers: x.y.z, each part a number, higher than the last
    # released version (the developer tool refuses others at upload).
    VERSION_NUMBER_INVALID = (
        None,
        "版本号 {version} 不合法：插件版本号应为 x.y.z 格式的三段数字，如 1.0.0",
        "invalid version number {version}: a plugin version number is x.y.z, three "
        "numbers such as 1.0.0",
    )
    VERSION_NOT_HIGHER = (
        None,
        "版本号 {version} 须高于已发布的版本 {latest}",
        "version number {version} must be higher than the released version {latest}",
    )
    ALREADY_RELEASED = (
        None,
        "版本 {version} 已经发布过",
        "version {version} has already been released",
    )
    CATEGORY_UNAVAILABLE = (
        None,
        "服务类目 {category} 不可用于插件",
        "the service category {category} is not available to the plugin",
    )
    TAGS_INVALID = (None, "标签不合法：{reason}", "invalid tags: {reason}")
    PREVIEW_IMAGES_INVALID = (
        None,
        "预览图不合法：{reason}",
        "invalid preview images: {reason}",
    )
    NOTHING_OPEN = (
        None,
        "没有审核中的插件版本可以撤回",
        "no plugin version under review to withdraw",
    )
    NOT_APPROVED = (
        None,
        "只有审核通过的插件版本可以发布",
        "only an approved plugin version can be released",
    )
