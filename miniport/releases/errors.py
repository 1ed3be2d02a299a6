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
    PLUGINS_INVALID = (
        None,
        "{entry} 的插件 {plugin} 配置不合法：{reason}",
        "{entry}: plugin {plugin} is declared wrongly: {reason}",
    )
