"""One error vocabulary for every surface.

Domain code raises `PlatformError(ErrorCode.X, field=..., **params)`. The openapi
surface renders `{"errcode", "errmsg"}` with the WeChat errcode; the console shows
the message in the active language, next to the named form field when there is one.
"""

from __future__ import annotations

import enum
from typing import Any

from django.utils import translation


class ErrorCode(enum.Enum):
    # (WeChat errcode or None, Chinese message, English message)
    SYSTEM_ERROR = (-1, "系统繁忙，请稍后再试", "system error")
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
    INVALID_ARGS = (40097, "参数错误", "invalid args")
    INVALID_APPSECRET = (40125, "AppSecret 无效", "invalid appsecret")
    CODE_USED = (40163, "code 已被使用", "code been used")
    IP_NOT_WHITELISTED = (40164, "调用方 IP {ip} 不在白名单中", "invalid ip {ip}, not in whitelist")
    ACCESS_TOKEN_MISSING = (41001, "缺少 access_token 参数", "access_token missing")
    APPID_MISSING = (41002, "缺少 appid 参数", "appid missing")
    APPSECRET_MISSING = (41004, "缺少 secret 参数", "appsecret missing")
    CODE_MISSING = (41008, "缺少 code 参数", "missing code")
    ACCESS_TOKEN_EXPIRED = (42001, "access_token 已过期", "access_token expired")
    REQUIRE_GET = (43001, "需要 GET 请求", "require GET method")
    REQUIRE_POST = (43002, "需要 POST 请求", "require POST method")
    EMPTY_POST_DATA = (44002, "POST 数据为空", "empty post data")
    CONTENT_TOO_LARGE = (45002, "请求内容超过大小限制", "content size out of limit")
    DAILY_QUOTA = (45009, "接口调用超过每日限额", "reach max api daily quota limit")
    MINUTE_QUOTA = (
        45011,
        "接口调用过于频繁，请稍后再试",
        "api minute-quota reach limit mustslower retry next minute",
    )
    DATA_FORMAT_ERROR = (47001, "数据格式错误", "data format error")
    API_UNAUTHORIZED = (48001, "接口未授权", "api unauthorized")
    # Members and testers
    USER_NOT_FOUND = (
        85001,
        "微信号不存在或不可被搜索",
        "user not exist or user cannot be searched",
    )
    TESTER_LIMIT = (
        85002,
        "体验成员数量已达上限（{limit}）",
        "the number of testers reached the limit ({limit})",
    )
    TESTER_OF_TOO_MANY = (
        85003,
        "该微信号绑定的小程序体验者数量已达上限",
        "this WeChat ID is a tester of too many mini programs",
    )
    ALREADY_MEMBER = (85004, "该微信号已是成员", "WeChat ID already bound")
    USERSTR_INVALID = (89034, "userstr 无效", "userstr is invalid")
    MEMBER_LIMIT = (
        89032,
        "{role}数量已达上限（{limit}）",
        "the number of {role} reached the limit ({limit})",
    )
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
        "该微信号不是任何小程序的管理员或项目成员",
        "this identity is neither administrator nor project member of any mini program",
    )
    # Domains
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
    OUTBOUND_TARGET_REFUSED = (
        None,
        "不允许访问内网或本机地址",
        "private and loopback targets are not allowed",
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
    # Host-app runtime
    HOST_APP_INVALID = (None, "宿主应用凭证无效", "invalid host app credential")
    RUNTIME_SESSION_MISSING = (None, "缺少用户会话", "identity session missing")
    RUNTIME_SESSION_INVALID = (
        None,
        "用户会话无效或已过期，请重新登录",
        "identity session invalid or expired, sign in again",
    )
    # Profile
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
        "完成微信认证后才可补充小程序信息",
        "information can be completed only after certification",
    )
    INFO_LOCKED_UNTIL_VERIFIED = (
        53203,
        "完成汇款验证后才可补充小程序信息",
        "information can be completed only after the remittance is verified",
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
    # Categories
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
    )
    CATEGORY_QUALIFICATION_UNKNOWN = (
        53303,
        "该类目不需要此资质：{qualification}",
        "this category asks for no qualification named {qualification}",
    )
    # Registration
    FIELD_REQUIRED = (None, "此项为必填项", "this field is required")
    FIELD_INVALID = (None, "填写内容不合法：{reason}", "invalid value: {reason}")
    CAPTCHA_INVALID = (None, "验证码错误", "wrong captcha")
    EMAIL_INVALID = (None, "邮箱格式不正确", "invalid email address")
    EMAIL_TAKEN = (None, "该邮箱已被占用，请更换邮箱", "this email is already used on the platform")
    PASSWORD_TOO_SHORT = (None, "密码至少 {min} 位", "the password needs at least {min} characters")
    PASSWORD_CHARSET = (
        None,
        "密码只能包含字母、数字或英文符号",
        "the password may contain only letters, digits or symbols",
    )
    PASSWORD_MISMATCH = (None, "两次输入的密码不一致", "the passwords do not match")
    AGREEMENT_REQUIRED = (None, "请阅读并同意服务协议", "you must accept the agreements")
    ACTIVATION_INVALID = (None, "激活链接无效", "invalid activation link")
    ACTIVATION_EXPIRED = (
        None,
        "激活链接已过期，请重新发送",
        "the activation link has expired, send a new one",
    )
    ACTIVATION_RESEND_TOO_SOON = (
        None,
        "发送过于频繁，请 {seconds} 秒后再试",
        "sent too recently, try again in {seconds} seconds",
    )
    ACCOUNT_NOT_ACTIVATED = (None, "帐号尚未激活，请先激活邮箱", "the account is not activated yet")
    ID_NUMBER_INVALID = (None, "身份证号码不正确", "invalid ID number")
    ID_NUMBER_QUOTA = (
        None,
        "一个身份证号码只能注册 {limit} 个小程序",
        "one ID number registers at most {limit} mini programs",
    )
    PHONE_INVALID = (None, "手机号码不正确", "invalid phone number")
    PHONE_QUOTA = (
        None,
        "一个手机号码只能注册 {limit} 个小程序",
        "one phone number registers at most {limit} mini programs",
    )
    SMS_CODE_INVALID = (None, "短信验证码错误", "wrong SMS code")
    SMS_CODE_EXPIRED = (None, "短信验证码已过期，请重新获取", "the SMS code has expired")
    SMS_TOO_FREQUENT = (
        None,
        "发送过于频繁，请 {seconds} 秒后再试",
        "sent too recently, try again in {seconds} seconds",
    )
    SMS_CODE_ATTEMPTS_EXCEEDED = (
        None,
        "验证码错误次数过多，请重新获取",
        "too many wrong entries, request a new SMS code",
    )
    IDENTITY_NOT_REAL_NAME = (
        None,
        "扫码微信号未完成实名认证",
        "the scanning identity is not real-name verified",
    )
    IDENTITY_UNDERAGE = (
        None,
        "管理员须年满 {age} 周岁",
        "the administrator must be at least {age} years old",
    )
    IDENTITY_MISMATCH = (
        None,
        "扫码微信号的实名信息与填写的身份信息不一致",
        "the scanning identity does not match the given name and ID number",
    )
    IDENTITY_CHECK_REQUIRED = (
        None,
        "请先完成管理员身份验证",
        "confirm the administrator identity by scan first",
    )
    COUNTRY_NOT_SUPPORTED = (
        None,
        "该国家/地区暂不支持此主体类型",
        "this subject type is not available for the selected country/region",
    )
    SUBJECT_TYPE_INVALID = (None, "主体类型不正确", "invalid subject type")
    VERIFICATION_METHOD_NOT_ALLOWED = (
        None,
        "该主体类型只能通过微信认证验证主体身份",
        "this subject type must be verified by certification",
    )
    SUBJECT_IMMUTABLE = (
        None,
        "主体信息已确认，不可变更",
        "the subject information is confirmed and can no longer change",
    )
    REGISTRATION_STATE_INVALID = (
        None,
        "当前注册状态不允许此操作（{state}）",
        "not allowed in the current registration state ({state})",
    )
    REMITTANCE_EXPIRED = (
        None,
        "汇款期限已过，注册失败",
        "the remittance deadline has passed, the registration failed",
    )
    REMITTANCE_LINE_RESOLVED = (
        None,
        "该流水已处理",
        "this statement line has already been decided",
    )
    STATEMENT_TOO_LARGE = (
        None,
        "文件过大，最大 {limit} 字节",
        "the file is too large (at most {limit} bytes)",
    )
    STATEMENT_NOT_UTF8 = (None, "文件不是 UTF-8 编码的文本", "the file is not UTF-8 encoded text")
    STATEMENT_EMPTY = (None, "文件为空", "the file is empty")
    # Policy overrides (ops)
    POLICY_KEY_UNKNOWN = (None, "没有这条规则：{key}", "no such policy rule: {key}")
    POLICY_VALUE_TOO_LARGE = (
        None,
        "此规则的值最大为 {maximum}",
        "this rule takes at most {maximum}",
    )
    POLICY_VALUE_INVALID = (
        None,
        "规则值必须是不小于 0 的整数",
        "the value must be a whole number, 0 or more",
    )
    # Login and QR tickets
    LOGIN_FAILED = (None, "邮箱或密码错误", "wrong email or password")
    LOGIN_THROTTLED = (
        None,
        "尝试次数过多，请 {seconds} 秒后再试",
        "too many attempts, try again in {seconds} seconds",
    )
    TICKET_INVALID = (None, "二维码无效", "invalid QR code")
    TICKET_EXPIRED = (None, "二维码已过期，请刷新", "the QR code has expired, refresh it")
    TICKET_USED = (None, "二维码已使用", "the QR code has already been used")
    TICKET_FOREIGN_SESSION = (
        None,
        "二维码不属于当前浏览器会话",
        "the QR code belongs to another browser session",
    )
    TICKET_WRONG_IDENTITY = (
        None,
        "请使用绑定的管理员微信号扫码",
        "scan with the bound administrator's identity",
    )
    TICKET_DENIED = (None, "扫码方已拒绝", "the scan was denied")
    TICKET_PENDING = (None, "等待扫码确认", "waiting for the scan confirmation")
    IDENTITY_LOGIN_FAILED = (None, "微信号或密码错误", "wrong WeChat ID or password")
    WECHAT_ID_TAKEN = (None, "微信号已存在", "this WeChat ID already exists")
    # Generic
    NOT_FOUND = (None, "对象不存在", "not found")
    PERMISSION_DENIED = (None, "没有权限", "permission denied")
    ILLEGAL_TRANSITION = (
        None,
        "状态 {state} 不允许执行 {action}",
        "{action} is not allowed in state {state}",
    )
    QUOTA_EXCEEDED = (None, "{rule} 已达上限", "{rule} limit reached")

    @property
    def errcode(self) -> int | None:
        return self.value[0]

    def message(self, lang: str | None = None, **params: Any) -> str:
        lang = lang or translation.get_language() or "zh-hans"
        template = self.value[2] if lang.startswith("en") else self.value[1]
        try:
            return template.format(**params)
        except (KeyError, IndexError):
            return template


class PlatformError(Exception):
    """A refused action: a code, an optional form field, and message parameters."""

    def __init__(self, code: ErrorCode, *, field: str | None = None, **params: Any) -> None:
        self.code = code
        self.field = field
        self.params = params
        super().__init__(code.message("en", **params))

    @property
    def errcode(self) -> int:
        # Platform-only refusals map to WeChat's generic "invalid args".
        own = self.code.errcode
        return own if own is not None else int(ErrorCode.INVALID_ARGS.value[0])

    def message(self, lang: str | None = None) -> str:
        return self.code.message(lang, **self.params)

    def wire_message(self) -> str:
        return self.code.message("en", **self.params)
