"""Refusals of the identities domain: QR tickets, identity sign-in, host-app sessions."""

from miniport.core.errors import ErrorCode


class IdentityError(ErrorCode):
    # (WeChat errcode or None, Chinese message, English message[, the code it is a variant of])
    HOST_APP_INVALID = (None, "宿主应用凭证无效", "invalid host app credential")
    RUNTIME_SESSION_MISSING = (None, "缺少用户会话", "identity session missing")
    RUNTIME_SESSION_INVALID = (
        None,
        "用户会话无效或已过期，请重新登录",
        "identity session invalid or expired, sign in again",
    )
    IDENTITY_NOT_REAL_NAME = (
        None,
        "扫码的{app}号未完成实名认证",
        "the scanning identity is not real-name verified",
    )
    IDENTITY_UNDERAGE = (
        None,
        "管理员须年满 {age} 周岁",
        "the administrator must be at least {age} years old",
    )
    IDENTITY_MISMATCH = (
        None,
        "扫码的{app}号的实名信息与填写的身份信息不一致",
        "the scanning identity does not match the given name and ID number",
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
        "请使用绑定的管理员{app}号扫码",
        "scan with the bound administrator's identity",
    )
    TICKET_DENIED = (None, "扫码方已拒绝", "the scan was denied")
    TICKET_PENDING = (None, "等待扫码确认", "waiting for the scan confirmation")
    TICKET_PURPOSE_UNKNOWN = (
        None,
        "未登记的二维码用途：{purpose}",
        "unregistered QR ticket purpose: {purpose}",
    )
    IDENTITY_LOGIN_FAILED = (None, "{app}号或密码错误", "wrong {app} ID or password")
    IDENTITY_LOGIN_THROTTLED = (
        None,
        "登录尝试次数过多，请 {seconds}后再试",
        "too many sign-in attempts, try again in {seconds}",
    )
    WECHAT_ID_TAKEN = (None, "{app}号已存在", "this {app} ID already exists")
    # Sign-up on the phone pages (issue 10 item 1).
    PHONE_TAKEN = (
        None,
        "该手机号已绑定其他{app}号",
        "this phone is already bound to another {app} account",
    )
    ID_NUMBER_QUOTA = (
        None,
        "该身份证号码已实名认证 {count} 个{app}号，不能再认证",
        "this ID number already verifies {count} {app} accounts, no more are allowed",
    )
    REAL_NAME_INVALID = (
        None,
        "请填写身份证上的姓名（汉字或字母，可含分隔号“·”）",
        "enter the name as on the ID card (Chinese characters or letters, with · if it has one)",
    )
    BIRTH_DATE_FUTURE = (
        None,
        "身份证号码中的出生日期不正确",
        "the birth date in the ID number is not valid",
    )
    PASSWORD_TOO_SHORT = (
        None,
        "密码至少 {min} 位",
        "the password must have at least {min} characters",
    )
    PASSWORD_CHARSET = (
        None,
        "密码只能由字母、数字和符号组成，且不能全是数字",
        "the password may hold only letters, digits and symbols, and not digits alone",
    )
    PASSWORD_MISMATCH = (None, "两次输入的密码不一致", "the two passwords differ")
    SMS_CODE_INVALID = (None, "短信验证码错误", "wrong SMS code")
    SMS_CODE_EXPIRED = (
        None,
        "短信验证码已过期，请重新获取",
        "the SMS code has expired, request a new one",
    )
    SMS_CODE_ATTEMPTS_EXCEEDED = (
        None,
        "验证码输错次数过多，请重新获取",
        "too many wrong entries, request a new SMS code",
    )
    SMS_TOO_FREQUENT = (
        None,
        "验证码发送过于频繁，请 {seconds}后再试",
        "a code was sent too recently, try again in {seconds}",
    )
