"""The payments domain's tables: certification applications, merchants and their
applications, and the sandbox's orders, refunds, ledger and notifications."""

from miniport.payments.models.certification import (
    CERTIFICATION_OPEN_STATES,
    CertificationApplication,
    CertificationKind,
    CertificationState,
    FeeChannel,
)
from miniport.payments.models.merchants import (
    MERCHANT_OPEN_STATES,
    Merchant,
    MerchantApplication,
    MerchantApplicationState,
    MerchantKind,
    MerchantState,
)
from miniport.payments.models.orders import (
    LedgerEntry,
    LedgerKind,
    NotificationKind,
    NotificationReceipt,
    Order,
    PayNotification,
    ReceiptOutcome,
    Refund,
    RefundStatus,
    SignType,
    TradeState,
)

__all__ = [
    "CERTIFICATION_OPEN_STATES",
    "MERCHANT_OPEN_STATES",
    "CertificationApplication",
    "CertificationKind",
    "CertificationState",
    "FeeChannel",
    "LedgerEntry",
    "LedgerKind",
    "Merchant",
    "MerchantApplication",
    "MerchantApplicationState",
    "MerchantKind",
    "MerchantState",
    "NotificationKind",
    "NotificationReceipt",
    "Order",
    "PayNotification",
    "ReceiptOutcome",
    "Refund",
    "RefundStatus",
    "SignType",
    "TradeState",
]
