"""One error mechanism for every surface; each domain keeps its own codes.

Domain code raises `PlatformError(<Domain>Error.X, field=..., **params)`. Each domain
declares its codes in its own `errors.py` as a subclass of `ErrorCode`; the subclass
registers itself here (`ErrorCode.families()`), so the kernel names no domain's words.
The openapi surface renders `{"errcode", "errmsg"}` with the WeChat errcode; the
console shows the message in the active language, next to the named form field when
there is one.

A member's value is `(WeChat errcode or None, Chinese message, English message)`, with
an optional fourth element naming the member of the same family it is a variant of:
two codes may share a WeChat errcode only as variants of one meaning (a test holds
every family to that).
"""

from __future__ import annotations

import enum
from typing import Any, NamedTuple

from django.utils import translation

from miniport.core.branding import superapp_name_in

_FAMILIES: list[type[ErrorCode]] = []


class Words(NamedTuple):
    """A message parameter said in both languages (a reason within a message), so a
    Chinese message never carries an English reason, nor the wire's English a Chinese one."""

    zh: str
    en: str

    def said_in(self, lang: str) -> str:
        return self.en if lang.startswith("en") else self.zh


class Translatable:
    """A message parameter translated when the message is said, from the project's
    catalogues (a reason whose text is a msgid), with its own parameters: the console
    shows it in the page's language, the wire's English message in English. Callers mark
    the text with gettext_noop, so makemessages still finds it."""

    def __init__(self, text: str, **params: Any) -> None:
        self.text = text
        self.params = params

    def said_in(self, lang: str) -> str:
        with translation.override(lang):
            said = translation.gettext(self.text)
        return said % self.params if self.params else said

    def __str__(self) -> str:
        return self.said_in(translation.get_language() or "zh-hans")


class Seconds(int):
    """A wait in seconds, said as people say it: seconds under two minutes, then whole
    minutes, then whole hours, each rounded up so the wait said is never too short. The
    number stays the parameter's value for callers that read it."""

    def said_in(self, lang: str) -> str:
        count, zh, en = int(self), "秒", "second"
        if count >= 2 * 3600:
            count, zh, en = -(-count // 3600), "小时", "hour"
        elif count >= 120:
            count, zh, en = -(-count // 60), "分钟", "minute"
        if lang.startswith("en"):
            return f"{count} {en}" if count == 1 else f"{count} {en}s"
        return f"{count} {zh}"


class ErrorCode(enum.Enum):
    """The base of every family of codes; it has no members of its own."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        _FAMILIES.append(cls)

    @classmethod
    def families(cls) -> tuple[type[ErrorCode], ...]:
        """Every family of codes defined so far (a domain's `errors.py` once imported)."""
        return tuple(_FAMILIES)

    @property
    def errcode(self) -> int | None:
        return self.value[0]

    @property
    def variant_of(self) -> str | None:
        """The name of the member whose meaning this one refines, if any."""
        return self.value[3] if len(self.value) > 3 else None

    def message(self, lang: str | None = None, **params: Any) -> str:
        lang = lang or translation.get_language() or "zh-hans"
        template = self.value[2] if lang.startswith("en") else self.value[1]
        # A message names the super-app as {app}: the configured name, never "WeChat".
        params = {"app": superapp_name_in(lang), **params}
        for name, value in params.items():
            # Every {seconds} of a message is a wait ("try again in {seconds}"): a raiser
            # passing a plain number still has it said in minutes or hours.
            if name == "seconds" and type(value) is int:
                value = Seconds(value)
            if isinstance(value, Words | Translatable | Seconds):
                params[name] = value.said_in(lang)
        try:
            return template.format(**params)
        except (KeyError, IndexError):
            return template


class CoreError(ErrorCode):
    """The wire's generic refusals and the kernel's own."""

    # (WeChat errcode or None, Chinese message, English message)
    SYSTEM_ERROR = (-1, "系统繁忙，请稍后再试", "system error")
    INVALID_ARGS = (40097, "参数错误", "invalid args")
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
    OUTBOUND_TARGET_REFUSED = (
        None,
        "不允许访问内网或本机地址",
        "private and loopback targets are not allowed",
    )
    FIELD_REQUIRED = (None, "此项为必填项", "this field is required")
    FIELD_INVALID = (None, "填写内容不合法：{reason}", "invalid value: {reason}")
    ID_NUMBER_INVALID = (None, "身份证号码不正确", "invalid ID number")
    PHONE_INVALID = (None, "手机号码不正确", "invalid phone number")
    POLICY_KEY_UNKNOWN = (None, "没有这条规则：{key}", "no such policy rule: {key}")
    POLICY_VALUE_TOO_LARGE = (
        None,
        "此规则的值最大为 {maximum}",
        "this rule takes at most {maximum}",
    )
    POLICY_VALUE_TOO_SMALL = (
        None,
        "此规则的值最小为 {minimum}",
        "this rule takes at least {minimum}",
    )
    POLICY_RANGE_INVERTED = (
        None,
        "不能大于 {other} 的当前值 {value}",
        "may not be more than {other}, now {value}",
    )
    POLICY_RANGE_INVERTED_LOW = (
        None,
        "不能小于 {other} 的当前值 {value}",
        "may not be less than {other}, now {value}",
    )
    POLICY_VALUE_INVALID = (
        None,
        "规则值必须是不小于 0 的整数",
        "the value must be a whole number, 0 or more",
    )
    NOT_FOUND = (None, "对象不存在", "not found")
    NO_SUCH_API = (None, "接口不存在", "no such API")
    PERMISSION_DENIED = (None, "没有权限", "permission denied")
    ILLEGAL_TRANSITION = (
        None,
        "状态 {state} 不允许执行 {action}",
        "{action} is not allowed in state {state}",
    )
    QUOTA_EXCEEDED = (None, "{rule} 已达上限", "{rule} limit reached")


class PlatformError(Exception):
    """A refused action: a code, an optional form field, and message parameters."""

    def __init__(self, code: ErrorCode, *, field: str | None = None, **params: Any) -> None:
        self.code = code
        self.field = field
        self.params = params
        super().__init__(self.wire_message())

    @property
    def errcode(self) -> int:
        # Platform-only refusals map to WeChat's generic "invalid args".
        own = self.code.errcode
        return own if own is not None else int(CoreError.INVALID_ARGS.value[0])

    def _format_params(self) -> dict[str, Any]:
        # A message may name the refused field ({field}) like any other parameter.
        return {"field": self.field or "", **self.params}

    def message(self, lang: str | None = None) -> str:
        return self.code.message(lang, **self._format_params())

    def wire_message(self) -> str:
        return self.code.message("en", **self._format_params())
