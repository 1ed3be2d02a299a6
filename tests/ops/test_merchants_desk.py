"""PAY-1 on the ops desk: the merchants, newest first, filterable by AppID or mch_id;
staff suspend one (a reason is required), after which its unified orders answer NOAUTH,
and resume it. Staff only; the POST needs its CSRF token."""

from __future__ import annotations

import pytest
from django.test import Client

from miniport.core.models import AuditEntry
from miniport.payments.models import Merchant, MerchantState
from tests.payments.sandbox.wire import call, order_fields

pytestmark = pytest.mark.django_db
LIST = "/ops/merchants/"


def state_url(merchant) -> str:
    return f"{LIST}{merchant.pk}/state/"


def suspend(client, merchant, reason):
    return client.post(state_url(merchant), {"action": "suspend", f"m{merchant.pk}-reason": reason})


def resume(client, merchant):
    return client.post(state_url(merchant), {"action": "resume"})


def listed(html: str) -> int:
    return html.count("data-merchant=")


def test_pay1_staff_see_merchants_newest_first_and_filter(staff_client, make_merchant):
    first, second = make_merchant(), make_merchant()
    page = staff_client.get(LIST)
    assert page.status_code == 200
    html = page.content.decode()
    for shop in (first, second):
        assert shop.merchant.mch_id in html and shop.appid in html
    assert html.index(f'data-merchant="{second.merchant.pk}"') < html.index(
        f'data-merchant="{first.merchant.pk}"'
    )
    by_appid = staff_client.get(LIST, {"appid": first.appid}).content.decode()
    assert listed(by_appid) == 1 and f'data-merchant="{first.merchant.pk}"' in by_appid
    by_mch = staff_client.get(LIST, {"mch_id": second.merchant.mch_id}).content.decode()
    assert listed(by_mch) == 1 and f'data-merchant="{second.merchant.pk}"' in by_mch
    assert listed(staff_client.get(LIST, {"appid": "wx-nobody"}).content.decode()) == 0


@pytest.mark.parametrize("reason", ["", "   "])
def test_pay1_suspending_needs_a_reason(staff_client, shop, reason):
    audited = AuditEntry.objects.count()
    response = suspend(staff_client, shop.merchant, reason)
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()
    shop.merchant.refresh_from_db()
    assert shop.merchant.state == MerchantState.ACTIVE
    assert AuditEntry.objects.count() == audited


def test_pay1_suspend_then_orders_answer_noauth_then_resume(staff_client, shop):
    before = call("/pay/unifiedorder", order_fields(shop), shop.key)
    assert before["result_code"] == "SUCCESS", before.get("err_code")
    response = suspend(staff_client, shop.merchant, "风险排查")
    assert response.status_code == 302
    shop.merchant.refresh_from_db()
    assert shop.merchant.state == MerchantState.SUSPENDED
    entry = AuditEntry.objects.filter(action="merchant.suspend").get()
    assert entry.actor_kind == "staff" and entry.appid == shop.appid
    assert entry.after["reason"] == "风险排查"
    reply = call("/pay/unifiedorder", order_fields(shop), shop.key)
    assert (reply["result_code"], reply["err_code"]) == ("FAIL", "NOAUTH")

    html = staff_client.get(LIST).content.decode()
    assert 'data-testid="resume-form"' in html

    # a second suspension is refused with the service's message, not a 500
    again = suspend(staff_client, shop.merchant, "again")
    assert again.status_code == 400
    assert 'data-testid="merchant-error"' in again.content.decode()

    assert resume(staff_client, shop.merchant).status_code == 302
    shop.merchant.refresh_from_db()
    assert shop.merchant.state == MerchantState.ACTIVE
    assert AuditEntry.objects.filter(action="merchant.resume").count() == 1
    reply = call("/pay/unifiedorder", order_fields(shop), shop.key)
    assert reply["result_code"] == "SUCCESS", {
        k: reply.get(k) for k in ("err_code", "err_code_des")
    }

    refused = resume(staff_client, shop.merchant)
    assert refused.status_code == 400
    assert 'data-testid="merchant-error"' in refused.content.decode()


def test_pay1_unknown_merchant_is_404(staff_client):
    assert suspend(staff_client, Merchant(pk=999999), "x").status_code == 404
    assert resume(staff_client, Merchant(pk=999999)).status_code == 404


def test_pay1_only_staff(client, console_account, shop):
    anonymous = client.get(LIST)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/ops/login/")
    assert suspend(client, shop.merchant, "x").status_code == 302
    client.force_login(console_account)
    assert client.get(LIST).status_code in (302, 403, 404)
    assert suspend(client, shop.merchant, "x").status_code in (302, 403, 404)
    shop.merchant.refresh_from_db()
    assert shop.merchant.state == MerchantState.ACTIVE


def test_pay1_a_post_without_csrf_token_is_refused(staff, shop):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    assert suspend(client, shop.merchant, "risk").status_code == 403
    shop.merchant.refresh_from_db()
    assert shop.merchant.state == MerchantState.ACTIVE
