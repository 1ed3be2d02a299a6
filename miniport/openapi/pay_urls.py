"""The WeChat Pay v2 XML API of the sandbox (pay/*, secapi/pay/*, sandboxnew/*), at the
server's root like api.mch.weixin.qq.com, so that wechatpy's WeChatPay works unchanged
with API_BASE_URL set to this server."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
