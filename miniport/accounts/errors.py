"""Refusals of the accounts domain: registration, verification, console login."""

from miniport.core.errors import ErrorCode


class AccountError(ErrorCode):
    # (WeChat errcode or None, Chinese message, English message[, the code it is a variant of])
    CAPTCHA_INVALID = (None, "验证码错误", "wrong captcha")
    EMAIL_INVALID = (None, "邮箱格式不正确", "invalid email address")
    EMAIL_TAKEN = (None, "该邮箱已被占用，请更换邮箱", "this email is already used on the platform")
    PASSWORD_TOO_SHORT = (None, "密码至少 {min} 位", "the password needs at least {min} characters")
    PASSWORD_CHARSET = (
        None,
        "密码只能包含字母、数字或英文符号",
        "the password may contain only letters, digits or symbols",
    )
    PASSWORD_DIGITS_ONLY = (
        None,
        "密码不能全是数字，请加入字母或符号",
        "the password may not be digits alone: add letters or symbols",
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
        "发送过于频繁，请 {seconds}后再试",
        "sent too recently, try again in {seconds}",
    )
    ACCOUNT_NOT_ACTIVATED = (None, "帐号尚未激活，请先激活邮箱", "the account is not activated yet")
    ID_NUMBER_QUOTA = (
        None,
        "一个身份证号码只能注册 {limit} 个小程序",
        "one ID number registers at most {limit} mini programs",
    )
    PHONE_QUOTA = (
        None,
        "一个手机号码只能注册 {limit} 个小程序",
        "one phone number registers at most {limit} mini programs",
    )
    SMS_CODE_INVALID = (None, "短信验证码错误", "wrong SMS code")
    SMS_CODE_EXPIRED = (None, "短信验证码已过期，请重新获取", "the SMS code has expired")
    SMS_TOO_FREQUENT = (
        None,
        "短信发送过于频繁，请 {seconds}后再试",
        "an SMS was sent too recently, try again in {seconds}",
    )
    SMS_CODE_ATTEMPTS_EXCEEDED = (
        None,
        "验证码错误次数过多，请重新获取",
        "too many wrong entries, request a new SMS code",
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
        "该主体类型只能通过认证验证主体身份",
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
    LOGIN_FAILED = (None, "邮箱或密码错误", "wrong email or password")
    LOGIN_THROTTLED = (
        None,
        "尝试次数过多，请 {seconds}后再试",
        "too many attempts, try again in {seconds}",
    )
    # Forgotten password (issue 10 item 2)
    PASSWORD_RESET_INVALID = (
        None,
        "重置密码链接无效或已失效",
        "the password reset link is invalid or no longer valid",
    )
    PASSWORD_RESET_EXPIRED = (
        None,
        "重置密码链接已过期，请重新申请",
        "the password reset link has expired, request a new one",
    )
    PASSWORD_RESET_THROTTLED = (
        None,
        "申请过于频繁，请 {seconds}后再试",
        "too many requests, try again in {seconds}",
    )
