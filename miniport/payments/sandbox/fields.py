"""Checks of the XML API's request fields (reference §3, §6): present, format, length.

`fields` are the request's non-empty values (an empty element counts as absent, §6).
Each check raises TradeError with the err_code of the endpoint's table."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

from miniport.core import outbound, policy
from miniport.payments.sandbox.errors import TradeError

CHINA = ZoneInfo("Asia/Shanghai")
OUT_TRADE_NO = re.compile(r"^[A-Za-z0-9_\-|*@]{1,32}\Z")
OUT_REFUND_NO = re.compile(r"^[A-Za-z0-9_\-|*@]{1,64}\Z")
DIGITS = re.compile(r"^[0-9]{1,12}\Z")
TIME = re.compile(r"^[0-9]{14}\Z")
DATE = re.compile(r"^[0-9]{8}\Z")
URL = re.compile(r"^https?://[^\s?#]+\Z")


def require(fields: Mapping[str, str], *names: str) -> None:
    for name in names:
        if not fields.get(name):
            raise TradeError("LACK_PARAMS", f"缺少参数{name}")


def unpadded(fields: Mapping[str, str], code: str) -> None:
    """Refuse a value with whitespace around it: the notification repeats the value and
    merchants' XML parsers (wechatpy's xmltodict) strip it, so its signature would never
    verify there (reference §1)."""
    for name, value in fields.items():
        if value != value.strip():
            raise TradeError(code, f"{name}前后不能有空白字符")


def lengths(fields: Mapping[str, str], limits: Mapping[str, int], code: str) -> None:
    for name, limit in limits.items():
        if len(fields.get(name, "")) > limit:
            raise TradeError(code, f"{name}字段长度超过限制")


def out_trade_no(value: str, code: str = "INVALID_REQUEST") -> str:
    if not OUT_TRADE_NO.match(value):
        raise TradeError(code, "out_trade_no格式错误")
    return value


def out_refund_no(value: str) -> str:
    if not OUT_REFUND_NO.match(value):
        raise TradeError("PARAM_ERROR", "out_refund_no格式错误")
    return value


def amount(fields: Mapping[str, str], name: str, code: str, *, capped: bool = True) -> int:
    """A whole number of fen from 1 to pay.max_total_fee_fen (`capped`: an order's
    amount; a refund's is bounded by its order instead, so a cap lowered later never
    locks a paid order out of its refunds)."""
    value = fields.get(name, "")
    if not DIGITS.match(value):
        raise TradeError(code, f"{name}格式错误")
    fen = int(value)
    if fen <= 0:
        raise TradeError(code, f"{name}必须大于0")
    if capped and fen > policy.value("pay.max_total_fee_fen"):
        raise TradeError(code, f"{name}超过限额")
    return fen


def china_time(fields: Mapping[str, str], name: str) -> datetime | None:
    """yyyyMMddHHmmss in China time, or None when absent."""
    value = fields.get(name)
    if value is None:
        return None
    try:
        if not TIME.match(value):
            raise ValueError(value)
        return datetime.strptime(value, "%Y%m%d%H%M%S").replace(tzinfo=CHINA)
    except ValueError:
        raise TradeError("INVALID_REQUEST", f"{name}时间格式错误") from None


def bill_date(value: str):
    try:
        if not DATE.match(value):
            raise ValueError(value)
        return datetime.strptime(value, "%Y%m%d").date()
    except ValueError:
        return None


def notify_url(value: str | None, code: str) -> str:
    """http(s), no query string, ≤256 characters, and callable (a port in range, no user
    information): the worker would otherwise retry it to the end."""
    if value is None:
        return ""
    if len(value) > 256 or not URL.match(value) or outbound.url_refusal(value) is not None:
        raise TradeError(code, "notify_url格式错误")
    return value


def offset(fields: Mapping[str, str]) -> int:
    value = fields.get("offset")
    if value is None:
        return 0
    if not DIGITS.match(value):
        raise TradeError("PARAM_ERROR", "offset格式错误")
    return int(value)
