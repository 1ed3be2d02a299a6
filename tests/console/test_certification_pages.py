"""CER-1, CER-2 in the console: Settings › Basic settings › Certification. The state
(none, fee unpaid with the pay QR and link, under review, more material with the reasons
and a supplement form, certified until a date, expired, renewal in the window); the
apply form names the field of every refusal. Operators look, only the administrator
applies; developers and outsiders get 404. INF-8: the basic settings row shows the
state, the end of the term and the certified mark."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from miniport.payments.models import CertificationApplication, Order
from miniport.review import services as review
from tests.payments.certification.support import (
    STAFF,
    apply,
    pay,
    pdf,
    png,
    review_of,
    upload,
)
from tests.payments.merchants.support import admin_browser, member_browser

pytestmark = pytest.mark.django_db
PAGE = "/settings/basic/certification/"
APPLY = PAGE + "apply/"


@pytest.fixture
def company(provision):
    return provision("enterprise")


def html(response) -> str:
    return response.content.decode()


def test_cer2_urls():
    from django.urls import reverse

    assert reverse("console:basic_certification") == PAGE
    assert reverse("console:basic_certification_apply") == APPLY


def test_cer2_entry_from_basic_settings(company):
    browser = admin_browser(company)
    page = html(browser.get("/settings/basic/"))
    assert 'data-testid="certification-details"' in page and PAGE in page
    assert "Not certified" in page


def test_cer2_administrator_applies_and_sees_the_pay_qr(company):
    browser = admin_browser(company)
    page = html(browser.get(PAGE))
    assert 'data-state="none"' in page and 'data-testid="apply"' in page
    form = browser.get(APPLY)
    assert form.status_code == 200 and 'name="business_licence"' in html(form)
    assert 'name="official_letter"' not in html(form)
    response = browser.post(
        APPLY,
        {
            "contact_name": "王五",
            "contact_phone": "13912345678",
            "business_licence": upload(png(), "licence.png"),
        },
    )
    assert response.status_code == 302 and response.url == PAGE
    application = CertificationApplication.objects.get(miniprogram=company.miniprogram)
    order = Order.objects.get(pk=application.fee_order_id)
    page = html(browser.get(PAGE))
    assert 'data-testid="fee-unpaid"' in page and 'data-testid="pay-qr"' in page
    assert f"/m/pay/{order.prepay_id}/" in page
    qr = browser.get(PAGE + "pay.png")
    assert qr.status_code == 200 and qr["Content-Type"] == "image/png"
    assert qr.content.startswith(b"\x89PNG")
    assert 'data-testid="apply"' not in page  # one application at a time


@pytest.mark.parametrize(
    "data, field",
    [
        ({"contact_name": "王五", "contact_phone": "13912345678"}, "business_licence"),
        ({"contact_name": "", "contact_phone": "13912345678", "doc": png()}, "contact_name"),
        ({"contact_name": "王五", "contact_phone": "123", "doc": png()}, "contact_phone"),
        (
            {"contact_name": "王五", "contact_phone": "13912345678", "doc": b"not a file"},
            "business_licence",
        ),
    ],
)
def test_cer2_the_apply_form_names_the_field_of_every_refusal(company, data, field):
    browser = admin_browser(company)
    data = dict(data)
    if "doc" in data:
        data["business_licence"] = upload(data.pop("doc"), "licence.png")
    response = browser.post(APPLY, data)
    assert response.status_code == 400
    page = html(response)
    block = page[page.index(f'data-field="{field}"') :]
    block = block[: block.index("</div>")]
    assert "errorlist" in block, block
    assert not CertificationApplication.objects.exists()


def test_cer1_personal_account_is_told_why_and_cannot_apply(provision):
    app = provision("personal")
    browser = admin_browser(app)
    page = html(browser.get(PAGE))
    assert 'data-testid="personal-refusal"' in page and 'data-testid="apply"' not in page
    assert browser.get(APPLY).status_code == 404


@pytest.mark.parametrize(
    "role, page_status, apply_status",
    [
        ("operator", 200, 403),
        ("developer", 404, 404),
        ("data_analyst", 404, 404),
        ("outsider", 404, 404),
    ],
)
def test_mem5_operator_views_only_the_administrator_applies(
    company, make_identity, role, page_status, apply_status
):
    browser = member_browser(company.miniprogram, make_identity(), role)
    response = browser.get(PAGE)
    assert response.status_code == page_status
    if page_status == 200:
        assert 'data-testid="apply"' not in html(response)
    assert browser.get(APPLY).status_code == apply_status
    assert browser.post(APPLY, {"contact_name": "x"}).status_code == apply_status
    assert browser.post(PAGE + "pay/").status_code == apply_status
    assert browser.post(PAGE + "supplement/").status_code == apply_status
    assert not CertificationApplication.objects.exists()


def test_operator_sees_the_state_but_not_the_pay_code(company, make_identity):
    application = apply(company.miniprogram)
    browser = member_browser(company.miniprogram, make_identity(), "operator")
    page = html(browser.get(PAGE))
    assert 'data-state="fee_unpaid"' in page and 'data-testid="pay-qr"' not in page
    assert browser.get(PAGE + "pay.png").status_code == 403
    assert application.pk


def test_cer2_a_new_payment_code_when_none_is_payable(company):
    application = apply(company.miniprogram)
    browser = admin_browser(company)
    assert 'data-testid="pay-new"' in html(browser.get(PAGE))
    assert browser.get(PAGE + "pay.png").status_code == 404
    assert browser.post(PAGE + "pay/").status_code == 302
    application.refresh_from_db()
    assert application.fee_order_id is not None
    assert 'data-testid="pay-qr"' in html(browser.get(PAGE))


def test_cer1_material_requested_shows_the_reasons_and_takes_the_supplement(company):
    mp = company.miniprogram
    application = apply(mp)
    pay(application)
    browser = admin_browser(company)
    assert 'data-testid="under-review"' in html(browser.get(PAGE))
    review.review_delay(
        actor=STAFF, review=review_of(application), reasons="请补充加盖公章的营业执照"
    )
    page = html(browser.get(PAGE))
    assert "请补充加盖公章的营业执照" in page and 'data-testid="supplement-form"' in page
    refused = browser.post(PAGE + "supplement/", {"other_material": upload(b"junk", "x.png")})
    assert refused.status_code == 400 and "errorlist" in html(refused)
    response = browser.post(
        PAGE + "supplement/", {"other_material": upload(pdf(), "stamped.pdf", "application/pdf")}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == "under_review"
    assert review_of(application).state == "pending"


def test_cer1_rejection_reasons_and_a_new_application(company):
    application = apply(company.miniprogram)
    pay(application)
    review.review_reject(actor=STAFF, review=review_of(application), reasons="执照过期")
    page = html(admin_browser(company).get(PAGE))
    assert 'data-testid="rejection-reasons"' in page and "执照过期" in page
    assert 'data-testid="apply"' in page


def test_cer1_certified_until_then_renewal_window_then_expired(provision):
    app = provision("enterprise", certified=True)
    until = app.miniprogram.subject.certified_until
    browser = admin_browser(app)
    page = html(browser.get(PAGE))
    assert 'data-state="certified"' in page and until.strftime("%Y-") in page
    assert 'data-testid="apply"' not in page
    basic = html(browser.get("/settings/basic/"))
    assert 'data-testid="certified-mark"' in basic and "Certified until" in basic
    # Sessions do not last months: log in again at each moment.
    with time_machine.travel(until - timedelta(days=30), tick=False):
        browser = admin_browser(app)
        page = html(browser.get(PAGE))
        assert 'data-testid="apply"' in page and "Renew the certification" in page
    with time_machine.travel(until + timedelta(days=1), tick=False):
        browser = admin_browser(app)
        page = html(browser.get(PAGE))
        assert 'data-state="expired"' in page and 'data-testid="apply"' in page
        basic = html(browser.get("/settings/basic/"))
        assert 'data-testid="certified-mark"' not in basic and "Expired" in basic


def test_cer2_the_pages_speak_chinese(company):
    from django.test import Client

    from tests.console.conftest import two_step_login

    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    two_step_login(client, company)
    assert client.post("/login/scan/complete/").status_code == 302
    page = html(client.get(PAGE))
    assert "认证" in page


def test_reg7_an_account_waiting_for_certification_reaches_the_page_and_applies(db):
    """REG-6b / REG-7: the registration waits for certification; the administrator logs in,
    opens Settings › Basic settings › Certification and applies there; approval opens
    the registration."""
    import types

    from tests.ops.journeys import PASSWORD, confirmed_registration

    registration = confirmed_registration(subject_type="government", method="certification")
    mp = registration.account.miniprogram
    app = types.SimpleNamespace(
        miniprogram=mp, password=PASSWORD, admin_wechat_id=mp.admin_identity.wechat_id
    )
    browser = admin_browser(app)
    status = html(browser.get("/register/status/"))
    assert 'data-testid="certification-link"' in status and PAGE in status
    basic = html(browser.get("/settings/basic/"))
    assert 'data-testid="certification-details"' in basic
    page = html(browser.get(PAGE))
    assert 'data-testid="registration-waits"' in page and 'data-testid="apply"' in page
    response = browser.post(
        APPLY,
        {
            "contact_name": "赵六",
            "contact_phone": "13812345678",
            "organisation_certificate": upload(png(), "certificate.png"),
            "official_letter": upload(pdf(), "letter.pdf", "application/pdf"),
        },
    )
    assert response.status_code == 302
    application = CertificationApplication.objects.get(miniprogram=mp)
    pay(application)
    review.review_approve(actor=STAFF, review=review_of(application))
    registration.refresh_from_db()
    assert registration.status == "active"
    page = html(browser.get(PAGE))
    assert 'data-state="certified"' in page and 'data-testid="registration-waits"' not in page


def test_cer2_the_administrator_withdraws_an_unpaid_application(company, make_identity):
    application = apply(company.miniprogram)
    operator = member_browser(company.miniprogram, make_identity(), "operator")
    assert operator.post(PAGE + "withdraw/").status_code == 403
    browser = admin_browser(company)
    assert 'data-testid="withdraw"' in html(browser.get(PAGE))
    assert browser.post(PAGE + "withdraw/").status_code == 302
    application.refresh_from_db()
    assert application.state == "withdrawn"
    page = html(browser.get(PAGE))
    assert 'data-testid="apply"' in page and 'data-testid="withdraw"' not in page


@pytest.mark.parametrize(
    "data",
    [
        {"contact_name": "名" * 500, "contact_phone": "1" * 500},
        {"contact_name": "王五", "contact_phone": "13912345678", "business_licence": "not a file"},
        {"renewal": "1", "official_letter": "x"},
    ],
)
def test_no_server_error_on_bad_input(company, data):
    browser = admin_browser(company)
    response = browser.post(APPLY, data)
    assert response.status_code == 400
    assert not CertificationApplication.objects.exists()
    assert browser.post(PAGE + "supplement/", data).status_code in (302, 400)
    assert browser.post(PAGE + "pay/", data).status_code == 302


def test_certification_messages_read_in_the_page_language(company):
    """The message centre words a certification notice in the reader's language."""
    from miniport.core import deliveries, events

    application = apply(company.miniprogram)
    pay(application)
    review.review_delay(actor=STAFF, review=review_of(application), reasons="请补充公函")
    events.deliver_pending()
    for pk in deliveries.due_ids():
        deliveries.run(pk)
    english = html(admin_browser(company).get("/inbox/"))
    assert "More certification material needed" in english and "请补充公函" in english
    from django.test import Client

    from tests.console.conftest import two_step_login

    chinese = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    two_step_login(chinese, company)
    chinese.post("/login/scan/complete/")
    assert "需要补充认证材料" in html(chinese.get("/inbox/"))


def test_cer2_paid_on_the_phone_before_the_confirmation(company):
    from miniport.payments.certification import services
    from miniport.payments.sandbox.orders import order_pay
    from tests.payments.certification.support import admin_actor

    mp = company.miniprogram
    application = apply(mp)
    order = services.certification_fee_order(actor=admin_actor(mp), application=application)
    order_pay(actor=admin_actor(mp), order=order, payer=mp.admin_identity)
    page = html(admin_browser(company).get(PAGE))
    assert 'data-testid="paid-on-phone"' in page
    assert 'data-testid="pay-qr"' not in page and 'data-testid="withdraw"' not in page


def test_cer2_a_scanned_pdf_of_several_megabytes_is_accepted(company):
    """The apply form's body cap takes its documents, not the 2 MB default of forms."""
    big = pdf(b"% scanned pages\n" + b"0" * (3 * 1024 * 1024) + b"\n")
    response = admin_browser(company).post(
        APPLY,
        {
            "contact_name": "王五",
            "contact_phone": "13912345678",
            "business_licence": upload(big, "licence.pdf", "application/pdf"),
        },
    )
    assert response.status_code == 302, response.status_code
    application = CertificationApplication.objects.get(miniprogram=company.miniprogram)
    assert application.documents[0]["format"] == "PDF"
    assert application.documents[0]["bytes"] > 3 * 1024 * 1024


def test_the_apply_page_says_why_instead_of_a_form_that_would_be_refused(company, provision):
    apply(company.miniprogram)
    page = html(admin_browser(company).get(APPLY))
    assert 'data-testid="apply-refusal"' in page and 'data-testid="apply-form"' not in page
    assert "already in progress" in page
    certified = provision("enterprise", certified=True)
    page = html(admin_browser(certified).get(APPLY))
    assert 'data-testid="apply-refusal"' in page and "renewal opens 90 days" in page
