"""Refusals of the open platform (OPN-1), with the errcodes of wechat-api section 10. An
unknown appid or open_appid is the shared 40013 (MiniProgramError.INVALID_APPID)."""

from miniport.core.errors import ErrorCode


class OpenError(ErrorCode):
    # (errcode or None, Chinese message, English message[, variant of])
    ALREADY_BOUND = (89000, "该小程序已绑定开放平台帐号", "account has bound open")
    NOT_SAME_SUBJECT = (89001, "小程序与开放平台帐号主体不一致", "not same contractor")
    OPEN_NOT_EXISTS = (89002, "该小程序未绑定开放平台帐号", "open not exists")
    NOT_BOUND_HERE = (
        89002,
        "该小程序未绑定此开放平台帐号",
        "the mini program is not bound to this open account",
        "OPEN_NOT_EXISTS",
    )
    NOT_CREATED_BY_API = (
        89003,
        "该开放平台帐号不是通过接口创建的",
        "the open account was not created by API",
    )
    APP_LIMIT = (
        89004,
        "该开放平台帐号绑定的小程序已达上限（{limit} 个）",
        "the open account already holds its limit of apps ({limit})",
    )
    NOT_CERTIFIED = (
        89036,
        "开放平台帐号未通过开发者资质认证",
        "open is not created by api or not verified",
    )
    # /wxa/getpaidunionid (wechat-api 3.3 "Related"; the codes of WxJava's table).
    INVALID_OPENID = (40003, "不合法的 OpenID", "invalid openid")
    INVALID_ORDER = (89300, "订单无效", "invalid order")
    # Neither way of naming the order given: an argument error (40097 on the wire).
    ORDER_ARGUMENT_MISSING = (
        None,
        "缺少参数 {field}：请提供 transaction_id，或同时提供 mch_id 与 out_trade_no",
        "invalid args: {field} missing: give transaction_id, or both mch_id and out_trade_no",
    )
    CERTIFICATION_OPEN = (
        None,
        "开发者资质认证已在审核中或已通过",
        "the developer qualification certification is under review or passed",
    )
    DOCUMENTS_REQUIRED = (None, "请上传资质文件", "upload the qualification documents")
    TOO_MANY_DOCUMENTS = (None, "资质文件最多 {limit} 个", "at most {limit} documents")
