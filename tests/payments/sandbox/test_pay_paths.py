"""PAY-1: unknown paths of the XML API answer WeChat Pay's <xml> envelope, not a page."""

from __future__ import annotations

import pytest
from django.test import Client

from miniport.payments.sandbox import signing

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path", ["/pay/micropay", "/secapi/pay/reverse", "/sandboxnew/pay/unifiedorder/", "/pay/x"]
)
def test_unknown_pay_paths_answer_xml(path):
    response = Client(raise_request_exception=False).post(path, b"<xml/>", content_type="")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/xml")
    reply = signing.parse_xml(response.content)
    assert reply["return_code"] == "FAIL" and reply["return_msg"]


def test_pay_paths_need_no_csrf_token(shop):
    response = Client(enforce_csrf_checks=True).post("/pay/orderquery", b"<xml/>", content_type="")
    assert response.status_code == 200
    assert signing.parse_xml(response.content)["return_code"] == "FAIL"
