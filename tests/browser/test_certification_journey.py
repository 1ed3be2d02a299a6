"""CER-1, CER-2 in a real browser: an enterprise mini program's administrator applies for
certification from Settings › Basic settings › Certification with a business licence,
sees the 300 CNY fee unpaid with the pay QR and link, pays it on the phone page (the
same identity, signed in on its phone); once the fee notification is delivered the page
says the application is under review. An operator on the ops desk asks for more material
with a reason; the administrator reads the reason and adds a document; the operator
approves; the basic settings page shows the certified mark and the end of the term.

Three browsers, as three devices: the administrator's computer, the administrator's
phone (the console login scan and the payment) and the operator's desk."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
import zxingcpp
from django.utils import timezone
from PIL import Image

from miniport.accounts.models import Account, AccountKind
from miniport.core import policy
from miniport.core.actors import Actor
from miniport.core.validators import make_id_number
from miniport.identities import services as identity_services
from miniport.payments.models import CertificationApplication, CertificationState, Order, TradeState
from miniport.review.models import Review
from tests.browser.conftest import PhoneUser, console_login
from tests.payments.certification.support import png
from tests.payments.notifications.support import fan_out_and_run

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADMIN = PhoneUser(wechat_id="cert_admin", password="phone-pass-7")
OPERATOR_EMAIL = "certifier@miniport.example"
OPERATOR_PASSWORD = "Desk-pass-7"
CERT_PAGE = "/settings/basic/certification/"
REASON = "营业执照照片不清晰，请补充加盖公章的营业执照复印件"


@pytest.fixture
def app(db, provision):
    """An active enterprise mini program, not certified, whose administrator signs in on
    the phone."""
    identity_services.identity_create(
        actor=Actor.system("tests"),
        wechat_id=ADMIN.wechat_id,
        real_name="钱七",
        id_number=make_id_number(date(1985, 3, 9), sequence=417),
        phone="",
        password=ADMIN.password,
    )
    return provision("enterprise", admin_wechat_id=ADMIN.wechat_id, name="认证旅程小程序")


@pytest.fixture
def operator(db):
    return Account.objects.create_user(
        OPERATOR_EMAIL, OPERATOR_PASSWORD, is_staff=True, is_active=True, kind=AccountKind.STAFF
    )


def desk_login(desk, site) -> None:
    desk.goto(f"{site.url}/ops/reviews/")
    assert desk.url.startswith(f"{site.url}/ops/login/")
    desk.fill("input[name=email]", OPERATOR_EMAIL)
    desk.fill("input[name=password]", OPERATOR_PASSWORD)
    with desk.expect_navigation():
        desk.click("main form button[type=submit]")
    assert desk.url == f"{site.url}/ops/reviews/"


def open_review(desk, site, appid: str) -> None:
    desk.goto(f"{site.url}/ops/reviews/")
    queued = desk.locator(
        f"[data-testid=review-queue] tr[data-kind=certification]:has-text('{appid}')"
    )
    assert queued.count() == 1
    with desk.expect_navigation():
        queued.locator("a").click()
    assert desk.locator("[data-kind=certification]").count() == 1


def messages_of(page) -> str:
    return page.inner_text("ul.messages")


def read_qr(locator) -> str:
    [code] = zxingcpp.read_barcodes(Image.open(io.BytesIO(locator.screenshot())))
    return code.text


def application_state(page) -> str:
    return page.get_attribute("[data-testid=application-state]", "data-state")


def test_apply_pay_ask_for_material_supplement_approve_and_the_certified_mark(
    site, computer, phone, desk, app, operator, screenshot, tmp_path
):
    page = computer
    mp = app.miniprogram
    appid = mp.appid
    console_login(page, phone, site, app, ADMIN)

    # CER-2: the entry, from Settings › Basic settings
    page.goto(f"{site.url}/settings/basic/")
    assert page.locator("[data-testid=certified-mark]").count() == 0
    assert "已认证" not in page.inner_text("[data-testid=certification-state]")
    with page.expect_navigation():
        page.click("[data-testid=certification-details]")
    assert page.url == f"{site.url}{CERT_PAGE}"
    assert page.get_attribute("[data-testid=certification-status]", "data-state") == "none"
    status = page.inner_text("[data-testid=certification-status]")
    assert "300.00" in status and "营业执照" in status
    screenshot(page, "certification-01-none")

    # CER-1: an enterprise applies with its business licence
    with page.expect_navigation():
        page.click("[data-testid=apply]")
    assert page.inner_text("main h1") == "申请认证"
    assert page.locator("input[type=file][name=business_licence]").count() == 1
    assert page.locator("input[name=official_letter]").count() == 0
    licence = tmp_path / "licence.png"
    licence.write_bytes(png((640, 480), (20, 90, 160)))
    page.fill("input[name=contact_name]", "钱七")
    page.fill("input[name=contact_phone]", "13912345678")
    page.set_input_files("input[name=business_licence]", str(licence))
    screenshot(page, "certification-02-apply-form")
    with page.expect_navigation():
        page.click("[data-testid=submit]")
    assert page.url == f"{site.url}{CERT_PAGE}"
    assert "申请已提交。支付认证费后开始审核。" in messages_of(page)

    # the fee is unpaid: the pay QR and link name the phone page of the fee order
    application = CertificationApplication.objects.get(miniprogram=mp)
    order = Order.objects.get(pk=application.fee_order_id)
    assert order.total_fee == 30000 and order.trade_state == TradeState.NOTPAY
    assert application_state(page) == CertificationState.FEE_UNPAID
    assert "材料：营业执照" in page.inner_text("main")
    unpaid = page.locator("[data-testid=fee-unpaid]")
    assert "支付 300.00 元认证费后开始审核。" in unpaid.inner_text()
    pay_url = f"{site.url}/m/pay/{order.prepay_id}/"
    assert page.get_attribute("[data-testid=pay-link]", "href") == pay_url
    qr = page.locator("[data-testid=pay-qr]")
    assert qr.evaluate("img => img.complete && img.naturalWidth") > 0
    assert read_qr(qr) == pay_url
    assert page.locator("[data-testid=apply]").count() == 0
    screenshot(page, "certification-03-fee-unpaid")

    # the administrator pays on the phone (still signed in from the login scan)
    phone.goto(pay_url)
    assert phone.locator("[data-testid=pay-amount]").inner_text() == "¥300.00"
    assert phone.locator("[data-testid=pay-body]").inner_text() == "小程序认证费"
    screenshot(phone, "certification-04-phone-pay")
    phone.click("[data-testid=pay-confirm]")
    assert phone.locator("[data-testid=pay-result]").get_attribute("data-outcome") == "paid"
    assert Order.objects.get(pk=order.pk).trade_state == TradeState.SUCCESS

    # paid, but the notification is not delivered yet: no pay code, no review yet
    page.reload()
    assert application_state(page) == CertificationState.FEE_UNPAID
    assert page.locator("[data-testid=paid-on-phone]").is_visible()
    assert page.locator("[data-testid=pay-qr]").count() == 0
    assert page.locator("[data-testid=withdraw]").count() == 0
    assert not Review.objects.filter(kind="certification", appid=appid).exists()

    # the fee notification is delivered: the application is under review
    assert fan_out_and_run() == [True]
    page.reload()
    assert application_state(page) == CertificationState.UNDER_REVIEW
    assert page.inner_text("[data-testid=under-review]") == "已收到认证费，申请审核中。"
    assert page.locator("[data-testid=fee-unpaid]").count() == 0
    screenshot(page, "certification-05-under-review")

    # the operator asks for more material, with a reason
    desk_login(desk, site)
    open_review(desk, site, appid)
    assert mp.subject.name in desk.inner_text("main h1")
    documents = desk.locator("[data-testid=documents] a[data-document]")
    assert documents.count() == 1 and documents.first.inner_text() == "营业执照"
    with desk.expect_navigation():
        desk.click("[data-testid=claim]")
    assert "已认领" in messages_of(desk)
    delay = desk.locator("[data-testid=delay]")
    assert delay.inner_text() == "要求补充材料"
    desk.fill("[data-testid=delay-form] textarea[name=reason]", REASON)
    screenshot(desk, "certification-06-desk-ask-for-material")
    with desk.expect_navigation():
        delay.click()
    assert desk.locator("[data-testid=reasons]").inner_text() == REASON
    assert desk.locator("td[data-state]").get_attribute("data-state") == "delayed"

    # the administrator reads the reason and adds a document
    page.reload()
    assert application_state(page) == CertificationState.MATERIAL_REQUESTED
    requested = page.inner_text("[data-testid=material-requested]")
    assert "审核人员要求补充材料" in requested
    assert page.inner_text("[data-testid=material-reasons]") == REASON
    form = page.locator("[data-testid=supplement-form]")
    assert form.is_visible()
    copy = tmp_path / "licence-copy.png"
    copy.write_bytes(png((800, 600), (160, 40, 40)))
    form.locator("input[name=other_material]").set_input_files(str(copy))
    screenshot(page, "certification-07-supplement")
    with page.expect_navigation():
        page.click("[data-testid=supplement-submit]")
    assert page.url == f"{site.url}{CERT_PAGE}"
    assert "材料已补充，审核继续进行。" in messages_of(page)
    assert application_state(page) == CertificationState.UNDER_REVIEW
    assert page.locator("[data-testid=under-review]").is_visible()
    assert page.locator("[data-testid=material-requested]").count() == 0
    assert "材料：营业执照, 其他材料" in page.inner_text("main")

    # the operator sees the added document and approves
    open_review(desk, site, appid)
    assert desk.locator("td[data-state]").get_attribute("data-state") == "pending"
    documents = desk.locator("[data-testid=documents] a[data-document]")
    assert documents.all_inner_texts() == ["营业执照", "其他材料"]
    screenshot(desk, "certification-08-desk-resumed")
    approved_on = timezone.localdate()
    with desk.expect_navigation():
        desk.click("[data-testid=approve]")
    assert desk.url == f"{site.url}/ops/reviews/"
    assert "已通过审核" in messages_of(desk)
    assert CertificationApplication.objects.get(pk=application.pk).state == (
        CertificationState.APPROVED
    )

    # the basic settings page: the certified mark and the end of the term
    term = timedelta(days=policy.value("certification.validity_days"))
    ends = {(approved_on + term).isoformat(), (timezone.localdate() + term).isoformat()}
    page.goto(f"{site.url}/settings/basic/")
    row = page.locator("tr[data-field=certification]")
    assert row.locator("[data-testid=certified-mark]").is_visible()
    assert "已认证" in row.locator("[data-testid=certification-state]").inner_text()
    note = row.locator("[data-testid=certification-note]").inner_text()
    assert any(note == f"认证有效期至 {end}" for end in ends), note
    screenshot(page, "certification-09-certified")

    # and the certification page says the same, with no application in progress
    with page.expect_navigation():
        row.locator("[data-testid=certification-details]").click()
    assert page.get_attribute("[data-testid=certification-status]", "data-state") == "certified"
    until = page.inner_text("[data-testid=certified-until]")
    assert any(until == f"认证有效期至 {end}" for end in ends), until
    assert page.locator("[data-testid=application-state]").count() == 0
    assert page.get_attribute("[data-testid=latest-state]", "data-state") == "approved"
