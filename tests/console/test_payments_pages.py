"""PAY-1: the console's WeChat Pay pages: the application (refused for personal and
uncertified mini programs), its status, reasons and supplement; the merchant with its
balance; the API key shown once after the administrator's scan and rotated; the bill.
Only the administrator applies and sees the key; operators look; data analysts see
the orders only; outsiders get 404."""

from __future__ import annotations

import pytest

from miniport.identities import services as identity_services
from miniport.payments.merchants.selectors import latest_application, merchant_of
from miniport.payments.merchants.services import merchant_provision
from miniport.payments.models import Merchant, MerchantApplication, MerchantApplicationState
from miniport.review import services as review_services
from miniport.review.models import ReviewState
from tests.payments.merchants.support import (
    REVIEWER,
    admin_browser,
    apply,
    fields,
    member_browser,
    owner,
    png,
    review_of,
    upload,
)

pytestmark = pytest.mark.django_db
PAY = "/payments/"


@pytest.fixture
def certified(provision):
    return provision("enterprise", certified=True)


@pytest.fixture
def merchant(certified, system_actor):
    return merchant_provision(actor=system_actor, miniprogram=certified.miniprogram)[0]


def test_pay1_urls():
    from django.urls import reverse

    assert reverse("console:payments") == PAY
    assert reverse("console:orders") == "/payments/orders/"
    assert reverse("console:payments_bill") == "/payments/bill/"


def test_pay1_who_sees_what(certified, merchant, make_identity):
    """PAY-1 / MEM-5: operator views, only the administrator applies and reveals; the data
    analyst sees the orders only; developers and outsiders get 404."""
    mp = certified.miniprogram
    admin = admin_browser(certified)
    page = admin.get(PAY)
    assert page.status_code == 200 and merchant.mch_id in page.content.decode()
    # Provisioned by automation: the key was printed once, it may only be rotated.
    assert 'data-testid="key-rotate"' in page.content.decode()
    assert 'data-testid="key-show"' not in page.content.decode()

    operator = member_browser(mp, make_identity("pay_operator"), "operator")
    page = operator.get(PAY)
    html = page.content.decode()
    assert page.status_code == 200 and merchant.mch_id in html
    assert 'data-testid="key-show"' not in html and 'data-testid="key-rotate"' not in html
    assert operator.post("/payments/key/", {"action": "show"}).status_code == 403
    assert operator.get("/payments/orders/").status_code == 200

    analyst = member_browser(mp, make_identity("pay_analyst"), "data_analyst")
    assert analyst.get(PAY).status_code == 404
    assert analyst.post("/payments/key/", {"action": "show"}).status_code == 404
    assert analyst.get("/payments/bill/?day=2026-01-01").status_code == 404
    assert analyst.get("/payments/orders/").status_code == 200

    developer = member_browser(mp, make_identity("pay_developer"), "developer")
    assert developer.get(PAY).status_code == 404
    assert developer.get("/payments/orders/").status_code == 404

    outsider = member_browser(mp, make_identity("pay_outsider"), "outsider")
    for path in (PAY, "/payments/orders/", "/payments/apply/", "/payments/key/confirm/"):
        assert outsider.get(path).status_code == 404, path
    assert outsider.post("/payments/key/", {"action": "rotate"}).status_code == 404
    merchant.refresh_from_db()
    assert merchant.key_version == 1


def test_pay1_apply_in_the_console(certified, make_identity):
    mp = certified.miniprogram
    admin = admin_browser(certified)
    form = admin.get("/payments/apply/")
    assert form.status_code == 200 and 'name="doc_licence"' in form.content.decode()
    data = {**fields(), "doc_licence": upload("a.png"), "doc_id_card": upload("b.png")}
    done = admin.post("/payments/apply/", data)
    assert done.status_code == 302 and done.url == PAY
    application = latest_application(mp)
    assert application.state == MerchantApplicationState.UNDER_REVIEW
    page = admin.get(PAY).content.decode()
    assert "under review" in page and application.settlement_account_number not in page
    again = admin.get("/payments/apply/").content.decode()
    assert "already under review" in again and 'name="doc_licence"' not in again

    operator = member_browser(mp, make_identity("pay_operator2"), "operator")
    data = {**fields(), "doc_licence": upload(), "doc_id_card": upload()}
    assert operator.post("/payments/apply/", data).status_code == 403
    assert MerchantApplication.objects.count() == 1


def test_pay1_a_missing_document_is_named_on_its_field(certified):
    admin = admin_browser(certified)
    page = admin.post("/payments/apply/", {**fields(), "doc_licence": upload()})
    assert page.status_code == 200
    assert "Upload the document: ID card of the legal representative" in page.content.decode()
    assert not MerchantApplication.objects.exists()


@pytest.mark.parametrize(
    ("subject_type", "certified_flag", "message"),
    [
        ("personal", False, "personal subject cannot open payment"),
        ("enterprise", False, "not certified"),
    ],
)
def test_pay1_uncertified_and_personal_cannot_apply(
    provision, subject_type, certified_flag, message
):
    app = provision(subject_type, certified=certified_flag)
    admin = admin_browser(app)
    assert admin.get(PAY).status_code == 200
    page = admin.get("/payments/apply/").content.decode()
    assert message in page
    data = {**fields(), "doc_licence": upload(), "doc_id_card": upload()}
    refused = admin.post("/payments/apply/", data)
    assert refused.status_code == 200 and message in refused.content.decode()
    assert not MerchantApplication.objects.exists() and not Merchant.objects.exists()


def test_pay1_reasons_and_supplement(certified):
    mp = certified.miniprogram
    application = apply(owner(mp), mp)
    review_services.review_delay(
        actor=REVIEWER, review=review_of(application), reasons=["Licence unreadable"]
    )
    admin = admin_browser(certified)
    page = admin.get(PAY).content.decode()
    assert "Licence unreadable" in page and 'data-testid="supplement-form"' in page
    done = admin.post(
        "/payments/supplement/", {"doc_licence": upload(data=png((9, 9, 9))), "note": "clearer"}
    )
    assert done.status_code == 302
    assert review_of(application).state == ReviewState.PENDING

    review_services.review_reject(
        actor=REVIEWER, review=review_of(application), reasons=["Account name differs"]
    )
    page = admin.get(PAY).content.decode()
    assert "Account name differs" in page and 'data-testid="apply-link"' in page


def test_pay1_withdraw_in_the_console(certified):
    mp = certified.miniprogram
    apply(owner(mp), mp)
    admin = admin_browser(certified)
    assert admin.post("/payments/withdraw/").status_code == 302
    assert latest_application(mp).state == MerchantApplicationState.WITHDRAWN


def _approved(certified):
    mp = certified.miniprogram
    application = apply(owner(mp), mp)
    review_services.review_approve(actor=REVIEWER, review=review_of(application))
    return merchant_of(mp)


def _scan_and_show(admin, mp, action):
    assert admin.post("/payments/key/", {"action": action}).status_code == 302
    ticket = admin.session["console_merchant_key_ticket"]["token"]
    waiting = admin.post("/payments/key/confirm/")
    assert waiting.status_code == 200 and 'data-testid="ticket-error"' in waiting.content.decode()
    identity_services.ticket_confirm(identity=mp.admin_identity, token=ticket)
    done = admin.post("/payments/key/confirm/")
    assert done.status_code == 302 and done.url == "/payments/key/shown/"
    shown = admin.get(done.url)
    assert shown.status_code == 200
    return shown.content.decode().split('data-testid="key-value">')[1].split("<")[0]


def test_pay1_the_key_is_shown_once_in_the_console_then_rotated(certified):
    mp = certified.miniprogram
    merchant = _approved(certified)
    admin = admin_browser(certified)
    key = _scan_and_show(admin, mp, "show")
    merchant.refresh_from_db()
    assert key == merchant.api_key
    again = admin.get("/payments/key/shown/")
    assert again.status_code == 302 and again.url == PAY
    assert key not in admin.get(PAY).content.decode()
    refused = admin.post("/payments/key/", {"action": "show"}, follow=True)
    assert "shown only once" in refused.content.decode()

    new = _scan_and_show(admin, mp, "rotate")
    merchant.refresh_from_db()
    assert new != key and new == merchant.api_key and merchant.key_version == 2


def test_pay1_bill_download(certified, merchant):
    from miniport.core import clock
    from miniport.payments.sandbox.orders import order_pay
    from tests.payments.merchants.support import make_orders

    order = make_orders(merchant, 1)[0]
    order_pay(actor=REVIEWER, order=order, payer=certified.miniprogram.admin_identity)
    admin = admin_browser(certified)
    day = clock.now().astimezone(__import__("zoneinfo").ZoneInfo("Asia/Shanghai")).date()
    bill = admin.get(f"/payments/bill/?day={day.isoformat()}")
    assert bill.status_code == 200 and bill["Content-Type"].startswith("text/csv")
    assert order.out_trade_no in bill.content.decode()
    assert merchant.mch_id in bill["Content-Disposition"]
    empty = admin.get("/payments/bill/?day=2001-01-01", follow=True)
    assert "No bill for 2001-01-01" in empty.content.decode()
    assert admin.get("/payments/bill/?day=not-a-day").status_code == 400


def test_pay1_bad_input_is_refused_on_the_page_never_a_server_error(certified):
    """PAY-1: an empty supplement, a file that is no image, a wrong key action, a missing
    bill day: each answers with its page and the reason, and changes nothing."""
    mp = certified.miniprogram
    application = apply(owner(mp), mp)
    review_services.review_delay(
        actor=REVIEWER, review=review_of(application), reasons=["More, please"]
    )
    admin = admin_browser(certified)
    empty = admin.post("/payments/supplement/", {})
    assert empty.status_code == 400 and "This field is required" in empty.content.decode()
    not_image = admin.post(
        "/payments/supplement/", {"doc_licence": upload("x.png", b"GIF89a-not-really")}
    )
    assert not_image.status_code == 400
    assert review_of(application).state == ReviewState.DELAYED
    application.refresh_from_db()
    assert application.state == MerchantApplicationState.MATERIAL_REQUESTED
    # No merchant yet: the key and the bill send the browser back.
    assert admin.post("/payments/key/", {"action": "bogus"}).status_code == 302
    assert admin.get("/payments/key/confirm/").status_code == 302
    assert admin.get("/payments/key/shown/").status_code == 302
    assert admin.get("/payments/bill/").status_code == 302
    assert not Merchant.objects.exists()
