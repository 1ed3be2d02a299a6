"""Refusals of certification (CER-1, CER-2): who may apply, the documents, the fee, the
renewal window. Each names the form field it is about where there is one."""

from miniport.core.errors import ErrorCode


class CertificationError(ErrorCode):
    # (WeChat errcode or None, Chinese message, English message[, the code it is a variant of])
    PERSONAL_NOT_ALLOWED = (
        None,
        "个人类型帐号暂不支持认证",
        "personal accounts cannot be certified",
    )
    ADMINISTRATOR_ONLY = (
        None,
        "只有管理员可以申请或补充认证",
        "only the administrator may apply for certification or add material",
    )
    REGISTRATION_NOT_READY = (
        None,
        "注册尚未完成验证，暂不能申请认证",
        "the registration is not verified yet; certification cannot be applied for",
    )
    APPLICATION_OPEN = (
        None,
        "已有一个认证申请正在进行中",
        "a certification application is already in progress",
    )
    ALREADY_CERTIFIED = (
        None,
        "已认证，有效期至 {until}；到期前 {days} 天内可申请年审",
        "already certified until {until}; renewal opens {days} days before that",
    )
    RENEWAL_NOT_OPEN = (
        None,
        "认证有效期至 {until}，到期前 {days} 天内才能申请年审",
        "the certification holds until {until}; renewal opens {days} days before that",
    )
    NOTHING_TO_RENEW = (
        None,
        "尚未认证，请申请首次认证",
        "not certified yet: apply for a first certification",
    )
    DOCUMENT_REQUIRED = (
        None,
        "请上传{document}",
        "{document} is required",
    )
    DOCUMENT_UNKNOWN = (
        None,
        "不需要此材料：{document}",
        "no such document for this subject type: {document}",
    )
    DOCUMENT_INVALID = (
        None,
        "{document}不合法：{reason}",
        "{document}: {reason}",
    )
    DOCUMENTS_TOO_MANY = (
        None,
        "材料最多 {max} 份",
        "at most {max} documents",
    )
    NOT_AWAITING_MATERIAL = (
        None,
        "该认证申请当前不需要补充材料",
        "this application is not waiting for more material",
    )
    FEE_NOT_DUE = (
        None,
        "该认证申请当前不需要支付认证费",
        "this application has no fee to pay",
    )
    NOT_WITHDRAWABLE = (
        None,
        "认证费已支付或申请已在审核中，不能撤回",
        "the fee was paid or the review has started: the application cannot be withdrawn",
    )
    REFERENCE_INVALID = (
        None,
        "汇款流水号不合法：{reason}",
        "invalid remittance reference: {reason}",
    )
