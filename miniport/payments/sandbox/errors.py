"""Refusals of the payment sandbox.

Three kinds, one per audience:
- `WireError`: a protocol failure of the XML API (reply `return_code=FAIL`, unsigned):
  not POST, empty body, not UTF-8, not a flat `<xml>`, no such merchant, bad signature.
- `TradeError`: a business failure of the XML API (reply `result_code=FAIL` with
  `err_code`/`err_code_des`, signed): the err_codes of the reference's tables.
- `PayError`: refusals of the sandbox's actions taken from the console, the phone pages
  and the CLI (paying an order), rendered like every other `PlatformError`.
"""

from __future__ import annotations

from miniport.core.errors import ErrorCode


class PayError(ErrorCode):
    # (WeChat errcode or None, Chinese message, English message)
    ORDER_NOT_FOUND = (None, "订单不存在", "no such order")
    ORDER_NOT_PAYABLE = (None, "订单已关闭，不能支付", "the order is closed and cannot be paid")
    ORDER_ALREADY_PAID = (None, "订单已支付", "the order has already been paid")
    PREPAY_EXPIRED = (
        None,
        "支付已超时，请重新下单",
        "the payment has expired, place the order again",
    )
    PAYER_MISMATCH = (
        None,
        "此订单不属于当前用户",
        "this order belongs to another user",
    )
    AMOUNT_INVALID = (
        None,
        "金额必须是 1 到 {maximum} 分之间的整数",
        "the amount must be a whole number of fen from 1 to {maximum}",
    )
    FIELD_TOO_LONG = (None, "{field} 过长", "{field} is too long")


class WireError(Exception):
    """A protocol failure: `return_code=FAIL`, `return_msg` (and `err_code` naming it)."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        self.message = message
        super().__init__(f"{code}: {message}")


class TradeError(Exception):
    """A business failure: `result_code=FAIL`, `err_code`, `err_code_des`."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        self.message = message
        super().__init__(f"{code}: {message}")


# The protocol failures (reference §1, §3): code -> return_msg.
SIGN_ERROR_MESSAGE = "签名错误，请检查后再试"
WIRE_MESSAGES = {
    "REQUIRE_POST_METHOD": "请使用post方法",
    "POST_DATA_EMPTY": "post数据为空",
    "NOT_UTF8": "编码格式错误",
    "XML_FORMAT_ERROR": "XML格式错误",
    "MCHID_NOT_EXIST": "商户号mch_id不存在",
    "LACK_PARAMS": "缺少参数",
    "SIGNERROR": SIGN_ERROR_MESSAGE,
}


def wire(code: str, message: str | None = None) -> WireError:
    return WireError(code, message or WIRE_MESSAGES[code])
