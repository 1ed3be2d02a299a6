"""Refusals of merchants (PAY-1): applying for payment, the review's material, the API
key's reveal and rotation, provisioning for automation."""

from miniport.core.errors import ErrorCode


class MerchantError(ErrorCode):
    # (WeChat errcode or None, Chinese message, English message)
    PERSONAL_SUBJECT = (
        None,
        "个人主体的小程序不能开通支付",
        "a mini program of a personal subject cannot open payment",
    )
    NOT_CERTIFIED = (
        None,
        "小程序未认证或认证已过期，认证后才能开通支付",
        "the mini program is not certified (or its certification expired): certify it first",
    )
    ALREADY_MERCHANT = (None, "该小程序已开通支付", "the mini program already has a merchant")
    APPLICATION_OPEN = (
        None,
        "已有一份支付申请在审核中",
        "an application for payment is already under review",
    )
    NO_APPLICATION = (
        None,
        "没有等待补充材料的支付申请",
        "no application for payment waits for more material",
    )
    NOT_MERCHANT = (None, "该小程序尚未开通支付", "the mini program has no merchant")
    DOCUMENT_MISSING = (None, "请上传材料：{document}", "upload the document: {document}")
    DOCUMENT_UNKNOWN = (None, "未知的材料：{document}", "unknown document: {document}")
    ACCOUNT_NUMBER_INVALID = (
        None,
        "结算账号应为 8 到 30 位数字",
        "the settlement account number is 8 to 30 digits",
    )
    SERVICE_PHONE_INVALID = (
        None,
        "客服电话只能包含数字、空格和连字符（5 到 20 位）",
        "the service phone has 5 to 20 digits, spaces or hyphens",
    )
    KEY_ALREADY_SHOWN = (
        None,
        "API 密钥只显示一次，已经显示过；如未保存，请重置密钥",
        "the API key is shown only once and was shown already: rotate it if it was not saved",
    )
    KEY_TICKET_MISMATCH = (
        None,
        "该确认二维码不属于此商户或此操作",
        "this confirmation belongs to another merchant or action",
    )
    KEY_CHANGED = (
        None,
        "API 密钥已变更，请重新发起",
        "the API key changed meanwhile: start again",
    )
    STAFF_ONLY = (None, "只有平台运营人员可以执行此操作", "only platform staff may do this")
    MERCHANT_SUSPENDED = (None, "商户已暂停", "the merchant is suspended")
    MERCHANT_ACTIVE = (None, "商户未暂停", "the merchant is not suspended")
