"""The WeChat Pay v2 XML API of the sandbox (pay/*, secapi/pay/*, sandboxnew/*), at the
server's root like api.mch.weixin.qq.com, so that wechatpy's WeChatPay works unchanged
with API_BASE_URL set to this server."""

from django.urls import path

from miniport.openapi.pay_xml import endpoint
from miniport.payments.sandbox.gateway import BILL, ENDPOINTS, SIGNKEY

ROUTES = (*ENDPOINTS, BILL)

urlpatterns = [
    *(path(route, endpoint(route, sandbox=False)) for route in ROUTES),
    *(path(f"sandboxnew/{route}", endpoint(route, sandbox=True)) for route in (*ROUTES, SIGNKEY)),
]
