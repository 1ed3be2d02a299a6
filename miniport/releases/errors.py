"""Refusals of the releases domain: code packages (validation before anything is stored).

Every package refusal carries `entry` (the archive entry, package root or `app.json` it is
about) and names the rule it broke, so a developer knows what to change."""

from miniport.core.errors import ErrorCode


class ReleaseError(ErrorCode):
    # (WeChat errcode or None, Chinese message, English message[, the code it is a variant of])

    # The archive as a whole
    PACKAGE_NOT_A_ZIP = (
        None,
        "代码包不是有效的 zip 文件：{reason}",
        "the code package is not a zip archive: {reason}",
    )
    PACKAGE_CORRUPT = (
        None,
        "代码包已损坏，条目 {entry}：{reason}",
        "the code package is damaged at entry {entry}: {reason}",
    )
    PACKAGE_EMPTY = (None, "代码包中没有文件", "the code package holds no files")
    TOO_MANY_ENTRIES = (
        None,
        "代码包有 {count} 个条目，最多允许 {limit} 个",
        "the code package has {count} entries, at most {limit} are allowed",
    )

    # Entry names
    ENTRY_NAME_ABSOLUTE = (
        None,
        "条目 {entry}：不允许使用绝对路径",
        "entry {entry}: absolute paths are not allowed",
    )
    ENTRY_NAME_PARENT = (
        None,
        "条目 {entry}：路径中不允许出现“..”",
        "entry {entry}: '..' segments are not allowed in a path",
    )
    ENTRY_NAME_BACKSLASH = (
        None,
        "条目 {entry}：路径中不允许出现反斜杠",
        "entry {entry}: backslashes are not allowed in a path",
    )
    ENTRY_NAME_DRIVE = (
        None,
        "条目 {entry}：路径中不允许出现盘符或冒号",
        "entry {entry}: drive letters and colons are not allowed in a path",
    )
    ENTRY_NAME_CONTROL = (
        None,
        "条目 {entry}：路径中不允许出现 NUL 或控制字符",
        "entry {entry}: NUL and control characters are not allowed in a path",
    )
    ENTRY_NAME_INVALID = (
        None,
        "条目 {entry}：路径不合法（{reason}）",
        "entry {entry}: invalid path ({reason})",
    )
    ENTRY_NAME_DUPLICATE = (
        None,
        "条目 {entry} 与 {other} 在忽略大小写和 Unicode 规范化后重名",
        "entry {entry} has the same name as {other} once case and Unicode are normalised",
    )
    ENTRY_PATH_CLASH = (
        None,
        "条目 {entry} 既是文件又是目录",
        "entry {entry} is both a file and a directory",
    )

    # Entry kinds
    ENTRY_SYMLINK = (
        None,
        "条目 {entry}：不允许符号链接",
        "entry {entry}: symbolic links are not allowed",
    )
    ENTRY_SPECIAL = (
        None,
        "条目 {entry}：只允许普通文件和目录",
        "entry {entry}: only regular files and directories are allowed",
    )
    ENTRY_ENCRYPTED = (
        None,
        "条目 {entry}：不允许加密的条目",
        "entry {entry}: encrypted entries are not allowed",
    )
    ENTRY_METHOD_UNSUPPORTED = (
        None,
        "条目 {entry}：只支持存储和 deflate 压缩方式",
        "entry {entry}: only stored and deflated entries are supported",
    )
    ENTRY_NESTED_ARCHIVE = (
        None,
        "条目 {entry}：代码包中不允许嵌套压缩包（{kind}）",
        "entry {entry}: archives inside the code package are not allowed ({kind})",
    )

    # Entry sizes (zip bombs)
    ENTRY_TOO_LARGE = (
        None,
        "条目 {entry} 解压后超过 {limit} 字节",
        "entry {entry} is larger than {limit} bytes uncompressed",
    )
    ENTRY_RATIO_TOO_HIGH = (
        None,
        "条目 {entry} 的压缩比超过 {limit} 倍",
        "entry {entry} is compressed more than {limit} times",
    )
    ENTRY_SIZE_MISMATCH = (
        None,
        "条目 {entry} 解压后的大小与声明的 {declared} 字节不符",
        "entry {entry} does not inflate to its declared {declared} bytes",
    )

    # Package sizes
    PACKAGE_TOO_LARGE = (
        85044,
        "主包（{entry}）为 {size} 字节，超过 {limit} 字节",
        "package exceed max limit: the main package ({entry}) is {size} bytes, the limit is {limit}",
    )
    SUBPACKAGE_TOO_LARGE = (
        85044,
        "分包 {entry} 为 {size} 字节，超过 {limit} 字节",
        "package exceed max limit: the subpackage {entry} is {size} bytes, the limit is {limit}",
        "PACKAGE_TOO_LARGE",
    )
    TOTAL_TOO_LARGE = (
        85044,
        "全部分包（{entry}）共 {size} 字节，超过总大小 {limit} 字节",
        "package exceed max limit: all packages together ({entry}) are {size} bytes, the limit is {limit}",
        "PACKAGE_TOO_LARGE",
    )

    # app.json
    APP_JSON_MISSING = (
        None,
        "代码包根目录缺少 {entry}",
        "{entry} is missing at the root of the code package",
    )
    APP_JSON_INVALID = (
        None,
        "{entry} 不是有效的 UTF-8 JSON 对象：{reason}",
        "{entry} is not a valid UTF-8 JSON object: {reason}",
    )
    PAGES_EMPTY = (
        85047,
        "{entry} 的 pages 不能为空",
        "pages are empty: {entry} needs a non-empty list of pages",
    )
    PAGE_INVALID = (
        None,
        "{entry} 中的页面路径 {page} 不合法：{reason}",
        "{entry} lists an invalid page path {page}: {reason}",
    )
    PAGE_FILES_MISSING = (
        None,
        "页面 {page} 缺少文件 {entry}",
        "page {page} is missing its file {entry}",
    )
    SUBPACKAGES_INVALID = (
        None,
        "{entry} 的分包配置不合法：{reason}",
        "{entry}: invalid subPackages section: {reason}",
    )
    SUBPACKAGE_ROOT_MISSING = (
        None,
        "分包根目录 {entry} 在代码包中不存在",
        "the subpackage root {entry} does not exist in the code package",
    )
    SUBPACKAGE_ROOTS_OVERLAP = (
        None,
        "分包根目录 {entry} 与 {other} 重叠",
        "the subpackage root {entry} overlaps {other}",
    )
    FUNCTIONAL_PAGES_INVALID = (
        None,
        "{entry} 的 functionalPages 不合法：{reason}",
        "{entry}: invalid functionalPages section: {reason}",
    )
    # FP-10: functional-pages/ and the rest of the package do not require each other.
    FUNCTIONAL_PAGES_REQUIRE_OUTSIDE = (
        None,
        "{entry} 位于 functional-pages 目录中，不能 require 该目录以外的文件：{target}",
        "{entry} is in functional-pages/ and may not require a file outside it: {target}",
    )
    FUNCTIONAL_PAGES_REQUIRED_FROM_OUTSIDE = (
        None,
        "{entry} 不在 functional-pages 目录中，不能 require 该目录中的文件：{target}",
        "{entry} is outside functional-pages/ and may not require a file in it: {target}",
    )
    PLUGINS_INVALID = (
        None,
        "{entry} 的插件 {plugin} 配置不合法：{reason}",
        "{entry}: plugin {plugin} is declared wrongly: {reason}",
    )

    # The rejection catalog (VER-5)
    REJECTION_REASON_UNKNOWN = (
        None,
        "驳回原因 {key} 不在常见拒绝情形目录中",
        "the rejection reason {key} is not in the catalog of common rejections",
    )

    # The version number and note of an upload (VER-1). No WeChat errcode of their own:
    # the wire answers 40097 invalid args, as for a version number that is too long.
    USER_VERSION_INVALID = (
        None,
        "版本号不合法：{reason}",
        "invalid version number (user_version): {reason}",
    )
    USER_DESC_INVALID = (
        None,
        "版本描述不合法：{reason}",
        "invalid version note (user_desc): {reason}",
    )
    # The signed upload's headers that carry text (B-10): percent-encoded UTF-8.
    UPLOAD_HEADER_INVALID = (
        None,
        "请求头 {header} 不是有效的百分号编码 UTF-8 文本：{reason}",
        "the header {header} is not valid percent-encoded UTF-8: {reason}",
    )

    # Versions, experience, review submissions, release, gray release, rollback, visit status
    # (VER-1..VER-7, B-5; wechat-api 4.5..4.13)
    MUST_COMMIT_FIRST = (
        85086,
        "请先上传代码再提交审核",
        "must commit before submit audit",
    )
    VERSION_NOT_FOUND = (
        86001,
        "该开发版本不存在",
        "component experience version not exists",
    )
    NOT_INITIALISED = (
        86002,
        "小程序还未设置名称，不能提交审核",
        "miniprogram have not completed init procedure",
    )
    AUDIT_ALREADY_OPEN = (
        85009,
        "已有版本在审核中，不能再次提交",
        "already submit a version under auditing",
    )
    SUBMIT_QUOTA = (
        85085,
        "本月提交审核次数已达上限（{limit} 次），请稍后再试",
        "submit audit reach limit, please try later (at most {limit} a month)",
    )
    ITEM_COUNT_INVALID = (
        85023,
        "审核项数量须在 1 到 {limit} 之间",
        "item size is not in valid range: 1 to {limit} item groups",
    )
    ITEM_EMPTY = (
        85010,
        "第 {item} 组审核项为空",
        "item list has an empty item (group {item})",
    )
    TAG_INVALID = (
        85006,
        "第 {item} 组的标签不合法：{reason}",
        "tag format error in item group {item}: {reason}",
    )
    ITEM_PAGE_INVALID = (
        85007,
        "第 {item} 组的页面 {page} 不在代码包中",
        "page path error: item group {item} names {page}, which the package does not have",
    )
    ITEM_CATEGORY_INVALID = (
        85008,
        "第 {item} 组的服务类目不是本小程序已审核通过的类目",
        "category is in invalid format: item group {item} has no approved category",
    )
    ITEM_CATEGORY_MISSING = (
        85008,
        "第 {item} 组未选择服务类目：每组都要选择一个已审核通过的类目",
        "category is in invalid format: item group {item} names no category",
        "ITEM_CATEGORY_INVALID",
    )
    TITLE_INVALID = (
        85011,
        "第 {item} 组的标题超过 {limit} 个字符",
        "title error: the title of item group {item} is longer than {limit} characters",
    )
    DATA_TOO_LARGE = (
        85051,
        "{field} 超过 {limit} 个字符或项",
        "data too large: {field} is longer than {limit}",
    )
    SCREENSHOTS_TOO_MANY = (
        85093,
        "预览图片和视频最多 {limit} 个",
        "too many preview images or videos: at most {limit}",
    )
    PREVIEW_INFO_INVALID = (
        85092,
        "preview_info 格式不正确：应为含 pic_id_list 和 video_id_list 两个列表的对象",
        "invalid preview_info format: an object of the lists pic_id_list and video_id_list",
    )
    # submit_audit's ugc_declare out of its rules (wechat-api 4.5): no errcode of its own,
    # the wire answers 40097 invalid args naming the field (`releases.ugc_declare`).
    UGC_DECLARE_INVALID = (
        None,
        "UGC 声明的参数 {field} 不合法：{reason}",
        "invalid args: {field} of the UGC declaration: {reason}",
    )
    SPEEDUP_NOT_IN_REVIEW = (
        89402,
        "该审核单不在待审核队列中，不能加急",
        "the audit is not in the review queue: it cannot be sped up",
    )
    SPEEDUP_ALREADY = (89404, "该审核单已加急", "this audit has already been sped up")
    SPEEDUP_QUOTA = (
        89405,
        "本月加急次数已用完（每月 {limit} 次）",
        "the speed-up quota of this month is used up ({limit} a month)",
    )
    REVIEW_MEDIA_TYPE = (
        40005,
        "不支持的文件类型：审核素材只能是 png、jpeg、jpg 或 gif 图片，或 mp4 视频",
        "invalid file type: review media are png, jpeg, jpg or gif images or mp4 videos",
    )
    REVIEW_MEDIA_SIZE = (
        40006,
        "文件大小不合法：审核素材最大 {kb} KB",
        "invalid meida size: review media are at most {kb} KB",
    )
    PRECHECK_FAILED = (
        None,
        "提交前检查未通过：{reason}",
        "the pre-checks refused the submission: {reason}",
    )
    TEST_ACCOUNT_REQUIRED = (
        None,
        "审核人员需要测试帐号：请填写测试帐号和密码",
        "the reviewer asked for a test account: fill in a test account and password",
    )
    TEST_ACCOUNT_NOT_OPEN = (
        None,
        "测试帐号入口未开放：仅在审核人员要求提供测试帐号后才能填写",
        "the test-account entry is not open: it opens after a reviewer asks for one",
    )
    NOTHING_APPROVED = (
        85019,
        "没有审核通过的版本",
        "no version is under auditing (no approved version)",
    )
    UNDO_NOTHING_OPEN = (
        85019,
        "没有审核中的版本可以撤回",
        "no version is under auditing to undo",
        "NOTHING_APPROVED",
    )
    RELEASE_STATUS_NOT_ALLOWED = (
        85020,
        "最新提交的版本尚未审核通过，不能发布",
        "status not allowed: the latest submitted version is not approved",
    )
    ALREADY_RELEASED = (
        85052,
        "该版本已发布",
        "app is already released",
    )
    UNDO_LIMIT = (
        87013,
        "撤回次数已达上限（每天 {per_day} 次、每月 {per_month} 次）",
        "no quota to undo code (at most {per_day} a day and {per_month} a month)",
    )
    PUBLIC_BETA = (
        None,
        "平台公测期间暂不支持发布",
        "release is disabled while the platform is in public beta",
    )
    GRAY_NO_ONLINE_RELEASE = (
        85079,
        "小程序还没有线上版本，不能灰度发布",
        "miniprogram has no online release",
    )
    GRAY_NOT_APPROVED = (
        85080,
        "没有审核通过且未发布的版本，不能灰度发布",
        "miniprogram commit not approved",
    )
    GRAY_PERCENTAGE_INVALID = (
        85081,
        "灰度比例须为 0 到 100 的整数（0 时须选择成员优先）",
        "invalid gray percentage: a whole number from 0 to 100 (0 only with members first)",
    )
    GRAY_PERCENTAGE_TOO_LOW = (
        85082,
        "灰度比例只能调高：当前为 {current}%",
        "gray percentage too low: it only goes up, it is {current}% now",
    )
    GRAY_NOT_RUNNING = (
        None,
        "当前没有进行中的灰度发布",
        "no gray release is running",
    )
    ROLLBACK_GRAY_RUNNING = (
        87011,
        "灰度发布进行中，不能回退",
        "gray release in progress, cannot roll back",
    )
    ROLLBACK_FORBIDDEN = (
        87012,
        "不能回退到该版本：只能回退到最近 {limit} 个已发布的版本",
        "forbid revert this version release: only the last {limit} released versions",
    )
    ROLLBACK_OF_A_ROLLBACK = (
        87012,
        "线上版本是回退得到的，不能再次回退",
        "forbid revert this version release: the online version was itself put back by a rollback",
        "ROLLBACK_FORBIDDEN",
    )
    VISIT_STATUS_NOT_ALLOWED = (
        85021,
        "小程序没有线上版本，不能修改服务状态",
        "status not allowed: the mini program has no online version",
    )
    VISIT_CLOSED = (
        None,
        "该小程序已暂停服务",
        "this mini program is paused",
    )
    LAUNCH_NO_VERSION = (
        None,
        "没有可打开的版本",
        "there is no version to open",
    )
    LAUNCH_NOT_MEMBER = (
        None,
        "只有项目成员和体验成员可以打开体验版和开发版",
        "only project members and experience members may open the trial and develop versions",
    )
    # The runtime's package download (issue 8 section 6): a signed link that does not
    # verify, has expired or names a package that is no longer stored.
    PACKAGE_LINK_INVALID = (
        None,
        "代码包下载链接无效或已过期",
        "the package download link is invalid or has expired",
    )

    # The server API's code management and template library (wechat-api 4.1..4.13, 13)
    AUDIT_ID_INVALID = (
        85012,
        "审核单 {auditid} 不存在",
        "invalid audit id: {auditid}",
    )
    EXPERIENCE_NOT_SET = (
        86001,
        "还没有体验版：请先上传代码（commit）",
        "component experience version not exists: commit code first",
        "VERSION_NOT_FOUND",
    )
    EXT_JSON_INVALID = (
        85013,
        "ext_json 不合法：{reason}",
        "invalid ext_json, parse fail or containing invalid path: {reason}",
    )
    EXT_JSON_PARSE = (
        85048,
        "ext_json 不是合法的 JSON 对象字符串",
        "parse ext_json fail: ext_json must be a string holding one JSON object",
    )
    PRIVATE_INFO_UNKNOWN = (
        85310,
        "requiredPrivateInfos 中的 {api} 不是可声明的接口",
        "requiredPrivateInfos: {api} is not an interface that can be declared",
    )
    PRIVATE_INFO_EXCLUSIVE = (
        85311,
        "requiredPrivateInfos 不能同时声明 {first} 和 {second}",
        "requiredPrivateInfos: {first} and {second} are mutually exclusive",
    )
    EXT_JSON_PATH_MISSING = (
        85045,
        "ext_json 中的页面 {page} 在模板中不存在",
        "some path in ext_json not exist: {page} is not a page of the template",
    )
    EXT_JSON_TABBAR_PAGE = (
        85046,
        "tabBar 中的页面 {page} 不在页面列表中",
        "pagepath missing in tabbar list: {page}",
    )
    EXT_JSON_PAGES_EMPTY = (
        85047,
        "ext_json 的 pages 不能为空",
        "pages are empty: ext_json's pages must not be an empty list",
        "PAGES_EMPTY",
    )
    STANDARD_TEMPLATE_EXT_JSON = (
        9402203,
        "标准模板的 ext_json 只能包含 extAppid、ext 和 window",
        "standard template ext_json error: only extAppid, ext and window are allowed",
    )
    TEMPLATE_NOT_FOUND = (
        85014,
        "模板 {template_id} 不存在",
        "template not exist: {template_id}",
    )
    DRAFT_NOT_FOUND = (
        85064,
        "草稿 {draft_id} 不存在",
        "draft not found: {draft_id}",
    )
    TEMPLATE_NOT_IN_LIBRARY = (
        85064,
        "模板 {template_id} 不存在",
        "template not found: {template_id}",
        "DRAFT_NOT_FOUND",
    )
    TEMPLATE_LIBRARY_FULL = (
        85065,
        "模板库已满（最多 {limit} 个模板）",
        "template library full: at most {limit} templates",
    )

    # Mini program codes (wxacode: getwxacode, getwxacodeunlimit, createwxaqrcode). A field
    # out of its rules has no WeChat errcode of its own: the wire answers 40097 invalid args.
    WXACODE_ARG_INVALID = (
        None,
        "参数 {field} 不合法：{reason}",
        "invalid args: {field}: {reason}",
    )
    WXACODE_PAGE_INVALID = (
        41030,
        "页面 {page} 不可用：{reason}",
        "invalid page: {page}: {reason}",
    )
    WXACODE_COUNT_LIMIT = (
        45029,
        "小程序码数量已达上限（共 {limit} 个）",
        "qrcode count out of limit: at most {limit} codes in all",
    )
