"""Refusals of a plugin's payment application (PLG-10)."""

from miniport.core.errors import ErrorCode


class PluginPaymentError(ErrorCode):
    # (errcode or None, Chinese message, English message)
    PERSONAL_SUBJECT = (
        None,
        "个人主体的小程序的插件不能申请支付能力",
        "the plugin of a personal subject's mini program cannot apply for payment",
    )
    NO_MERCHANT = (
        None,
        "插件所属的小程序尚未开通支付（或商户已暂停），开通后才能申请",
        "the plugin's mini program has no active payment merchant: open payment first",
    )
    APPLICATION_OPEN = (
        None,
        "已有一份插件支付申请在审核中",
        "an application for the plugin's payment is already under review",
    )
    ALREADY_APPROVED = (
        None,
        "插件已开通支付能力",
        "the plugin's payment is already approved",
    )
    MODE_INVALID = (None, "未知的申请方式：{mode}", "unknown application mode: {mode}")
    SUB_MERCHANT_NOT_FOUND = (
        None,
        "子商户号不存在或未生效：{sub_mch_id}",
        "no active merchant has the sub-merchant number {sub_mch_id}",
    )
    DOCUMENTS_REQUIRED = (
        None,
        "请上传证明材料（图片或 PDF）",
        "upload the proof documents (images or PDF)",
    )
    TOO_MANY_DOCUMENTS = (
        None,
        "证明材料最多 {limit} 份",
        "at most {limit} proof documents",
    )
    DOCUMENT_INVALID = (
        None,
        "证明材料无效：{document}（{reason}）",
        "invalid proof document: {document} ({reason})",
    )
    NO_APPLICATION = (
        None,
        "没有等待补充材料的插件支付申请",
        "no application for the plugin's payment waits for more material",
    )
