"""Refusals of the miniprograms domain: credentials, profile, categories, members, development settings."""

from miniport.core.errors import ErrorCode


class MiniProgramError(ErrorCode):
    # (WeChat errcode or None, Chinese message, English message[, the code it is a variant of])
    INVALID_CREDENTIAL = (
        40001,
        "AppSecret 错误或 access_token 无效",
        "invalid credential, access_token is invalid or not latest",
    )
    INVALID_GRANT_TYPE = (40002, "grant_type 不合法", "invalid grant_type")
    INVALID_MEDIA_ID = (40007, "media_id 无效", "invalid media_id")
    INVALID_APPID = (40013, "AppID 无效", "invalid appid")
    INVALID_ACCESS_TOKEN = (40014, "access_token 无效", "invalid access_token")
    INVALID_CODE = (40029, "code 无效", "invalid code")
    INVALID_APPSECRET = (40125, "AppSecret 无效", "invalid appsecret")
    CODE_USED = (40163, "code 已被使用", "code been used")
    IP_NOT_WHITELISTED = (40164, "调用方 IP {ip} 不在白名单中", "invalid ip {ip}, not in whitelist")
    ACCESS_TOKEN_MISSING = (41001, "缺少 access_token 参数", "access_token missing")
    APPID_MISSING = (41002, "缺少 appid 参数", "appid missing")
    APPSECRET_MISSING = (41004, "缺少 secret 参数", "appsecret missing")
    CODE_MISSING = (41008, "缺少 code 参数", "missing code")
    ACCESS_TOKEN_EXPIRED = (42001, "access_token 已过期", "access_token expired")
    USER_NOT_FOUND = (
        85001,
        "{app}号不存在或不可被搜索",
        "user not exist or user cannot be searched",
    )
    TESTER_LIMIT = (
        85002,
        "体验成员数量已达上限（{limit}）",
        "the number of testers reached the limit ({limit})",
    )
    TESTER_OF_TOO_MANY = (
        85003,
        "该{app}号绑定的小程序体验者数量已达上限",
        "this {app} ID is a tester of too many mini programs",
    )
    ALREADY_MEMBER = (85004, "该{app}号已是成员", "{app} ID already bound")
    USERSTR_INVALID = (89034, "userstr 无效", "userstr is invalid")
    MEMBER_NOT_FOUND = (None, "成员不存在", "member not found")
    MEMBER_ROLE_REQUIRED = (None, "请至少选择一个权限", "choose at least one role")
    ADMIN_CANNOT_BE_MEMBER = (
        None,
        "管理员无需添加为成员",
        "the administrator needs no member place",
    )
    PROJECT_MEMBER_LIMIT = (
        89032,
        "项目成员数量已达上限（{limit}）",
        "the number of project members reached the limit ({limit})",
    )
    HANDOVER_SAME_ADMIN = (
        None,
        "新管理员不能是当前管理员",
        "the new administrator must be another identity",
    )
    HANDOVER_ADMIN_CHANGED = (
        None,
        "管理员已变更，请重新发起",
        "the administrator has changed, start again",
    )
    NO_CONSOLE_ROLE = (
        None,
        "该{app}号不是任何小程序的管理员或项目成员",
        "this identity is neither administrator nor project member of any mini program",
    )
    DOMAIN_COUNT_LIMIT = (85016, "域名数量超过上限（{limit}）", "domain count over limit ({limit})")
    DOMAIN_NOTHING_TO_MODIFY = (
        85017,
        "没有可修改的域名",
        "no domain to modify after filtered, please confirm the domain has been set in miniprogram or open",
    )
    DOMAIN_INVALID = (85301, "域名不合法：{domain}", "invalid domain: {domain}")
    DOMAIN_MONTHLY_QUOTA = (45104, "本月域名修改次数已用完", "reach max domain quota limit")
    INVALID_ACTION = (85022, "action 不合法", "invalid action")
    WEBVIEW_NO_CHANGE = (89019, "业务域名无更改", "webview domain not changed")
    WEBVIEW_DELETE_MISSING = (89022, "删除的域名不存在", "delete domain is not exist!")
    WEBVIEW_LIMIT = (
        89029,
        "业务域名数量超过上限（{limit}）",
        "webview domain count over limit ({limit})",
    )
    WEBVIEW_NOT_FOR_PERSONAL = (89231, "个人主体小程序不支持业务域名", "not support single")
    IP_WHITELIST_INVALID = (None, "IP 地址不合法：{value}", "invalid IP address: {value}")
    IP_WHITELIST_LIMIT = (
        None,
        "IP 白名单最多 {limit} 个",
        "the IP whitelist holds at most {limit} entries",
    )
    PUSH_URL_INVALID = (None, "服务器地址不合法：{reason}", "invalid server URL: {reason}")
    PUSH_VERIFY_FAILED = (
        None,
        "服务器地址验证失败：{reason}",
        "server URL verification failed: {reason}",
    )
    PUSH_TOKEN_INVALID = (
        None,
        "Token 须为 {min}–{max} 位英文字母或数字",
        "the Token must be {min} to {max} letters or digits",
    )
    PUSH_AES_KEY_INVALID = (
        None,
        "EncodingAESKey 须为 {length} 位英文字母或数字",
        "the EncodingAESKey must be {length} letters or digits",
    )
    SECRET_TICKET_MISMATCH = (
        None,
        "该确认不属于本小程序的 AppSecret 重置",
        "this confirmation is not for this mini program's AppSecret reset",
    )
    IP_WHITELIST_TICKET_MISMATCH = (
        None,
        "该确认不属于本小程序的这次 IP 白名单修改",
        "this confirmation is not for this change of this mini program's IP whitelist",
    )
    IP_WHITELIST_NO_CHANGE = (None, "IP 白名单没有变化", "the IP whitelist is unchanged")
    NAME_INVALID = (53010, "名称格式不合法：{reason}", "nickname format illegal: {reason}")
    NAME_TAKEN = (53013, "名称已被占用", "nickname is taken")
    NAME_QUOTA = (91010, "名称修改次数已用完", "no nickname change left")
    NAME_REVIEW_PENDING = (91019, "名称正在审核中", "a name is under review")
    SIGNATURE_QUOTA = (53200, "本月介绍修改次数已用完", "signature change quota used up this month")
    AVATAR_QUOTA = (53202, "本年头像修改次数已用完", "avatar change quota used up")
    IMAGE_INVALID = (None, "图片不合法：{reason}", "invalid image: {reason}")
    MEDIA_TYPE_INVALID = (40004, "不合法的媒体文件类型", "invalid media type")
    MEDIA_MISSING = (41005, "缺少多媒体文件数据", "media data missing")
    INFO_LOCKED_UNTIL_CERTIFIED = (
        53203,
        "完成认证后才可补充小程序信息",
        "information can be completed only after certification",
    )
    INFO_LOCKED_UNTIL_VERIFIED = (
        53203,
        "完成汇款验证后才可补充小程序信息",
        "information can be completed only after the remittance is verified",
        "INFO_LOCKED_UNTIL_CERTIFIED",
    )
    NICKNAME_ILLEGAL = (91004, "名称不合法：{reason}", "illegal nickname: {reason}")
    NICKNAME_TAKEN = (91007, "名称已被占用", "nickname is taken")
    NAME_AUDIT_NOT_FOUND = (91011, "查不到名称审核单", "nickname audit record not found")
    NAME_MATERIAL_REQUIRED = (
        91009,
        "请提供命名材料：{material}",
        "naming material required: {material}",
    )
    SHORT_NAME_INVALID = (None, "简称不合法：{reason}", "invalid short name: {reason}")
    SHORT_NAME_QUOTA = (None, "今年简称修改次数已用完", "no short name change left this year")
    INTRODUCTION_LENGTH = (
        None,
        "介绍须为 {min}–{max} 个字",
        "the introduction must have {min} to {max} characters",
    )
    VALUE_UNCHANGED = (
        None,
        "与当前内容相同，无需修改",
        "same as the current value, nothing to change",
    )
    CATEGORY_MONTHLY_QUOTA = (
        53300,
        "本月类目添加次数已用完",
        "category additions for this month used up",
    )
    CATEGORY_LIMIT = (53301, "服务类目最多 {limit} 个", "at most {limit} categories")
    CATEGORY_NOT_ALLOWED = (
        53302,
        "该主体类型不能选择此类目",
        "category not allowed for this subject type",
    )
    CATEGORY_INVALID = (53303, "提交的参数不合法", "invalid category parameters")
    CATEGORY_DUPLICATE = (53304, "类目已存在", "duplicate category")
    CATEGORY_ONLY_QUALIFICATION = (53306, "只能修改资质", "only qualifications can be modified")
    CATEGORY_NOT_REJECTED = (
        53307,
        "只有审核失败的类目可修改",
        "only rejected categories can be modified",
    )
    CATEGORY_UNDER_REVIEW = (
        53308,
        "审核中的类目不能删除",
        "a category under review cannot be deleted",
    )
    CATEGORY_MATERIAL_REQUIRED = (53311, "该类目需要资质材料", "qualification material required")
    CATEGORY_QUALIFICATION_MISSING = (
        53311,
        "请上传资质材料：{qualification}",
        "qualification material required: {qualification}",
        "CATEGORY_MATERIAL_REQUIRED",
    )
    CATEGORY_QUALIFICATION_UNKNOWN = (
        53303,
        "该类目不需要此资质：{qualification}",
        "this category asks for no qualification named {qualification}",
        "CATEGORY_INVALID",
    )
    # Upload keys (B-10): creating, revoking and verifying the CI upload key's signature
    UPLOAD_KEY_NAME_INVALID = (
        None,
        "密钥名称须为 1 到 {limit} 个字符",
        "the key name takes 1 to {limit} characters",
    )
    UPLOAD_KEY_LIMIT = (
        None,
        "有效的上传密钥最多 {limit} 个",
        "at most {limit} active upload keys",
    )
    UPLOAD_KEY_UNKNOWN = (
        None,
        "上传密钥不存在或不属于此小程序",
        "no such upload key for this mini program",
    )
    UPLOAD_KEY_REVOKED = (None, "上传密钥已被撤销", "the upload key was revoked")
    UPLOAD_SIGNATURE_INVALID = (
        None,
        "上传请求的签名不正确",
        "the upload request's signature does not verify",
    )
    UPLOAD_TIMESTAMP_STALE = (
        None,
        "上传请求的时间戳超出 {window} 秒的有效期",
        "the upload request's timestamp is more than {window} seconds away from now",
    )
    UPLOAD_REPLAYED = (
        None,
        "该上传请求已被使用过",
        "this signed upload request was already used",
    )
    WEBHOOK_URL_INVALID = (None, "Webhook 地址不合法：{reason}", "invalid webhook URL: {reason}")
    WEBHOOK_EVENTS_INVALID = (
        None,
        "事件范围不合法：{reason}",
        "invalid event selection: {reason}",
    )
    WEBHOOK_LIMIT_REACHED = (
        None,
        "Webhook 已达上限（{limit} 个）",
        "at most {limit} webhooks per mini program",
    )
    WEBHOOK_NOT_FOUND = (None, "Webhook 不存在", "webhook not found")
