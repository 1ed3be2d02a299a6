"""CER-2 on the ops desk: the applications waiting for their fee, and an operator
recording a bank remittance against one, which starts its review; the certification
review shows in the generic queue with the application's documents. Staff only."""

from __future__ import annotations

import pytest

from miniport.payments.models import CertificationApplication
from miniport.review.models import Review
from tests.payments.certification.support import apply, pay, review_of

pytestmark = pytest.mark.django_db
FEES = "/ops/certification/fees/"


@pytest.fixture
def waiting(provision):
    mp = provision("enterprise").miniprogram
    return mp, apply(mp)


def remit(client, application, reference):
    return client.post(
        f"{FEES}{application.pk}/remittance/", {f"a{application.pk}-reference": reference}
    )


def test_cer2_fees_page_lists_applications_waiting_for_the_fee(staff_client, waiting):
    mp, application = waiting
    page = staff_client.get(FEES)
    assert page.status_code == 200
    html = page.content.decode()
    assert mp.appid in html and f'data-application="{application.pk}"' in html
    assert 'data-testid="remittance-form"' in html
    assert (
        staff_client.get(FEES, {"appid": "wx-nobody"}).content.decode().count("data-application=")
        == 0
    )


def test_cer2_operator_records_a_remittance_and_the_review_starts(staff_client, waiting):
    mp, application = waiting
    response = remit(staff_client, application, "BANK-20240101-0001")
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == "under_review"
    assert (application.fee_channel, application.fee_reference) == (
        "remittance",
        "BANK-20240101-0001",
    )
    assert review_of(application).state == "pending"


@pytest.mark.parametrize("reference", ["", "<b>x</b>", "x" * 65])
def test_cer2_a_bad_reference_is_refused_on_its_field(staff_client, waiting, reference):
    mp, application = waiting
    response = remit(staff_client, application, reference)
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()
    application.refresh_from_db()
    assert application.state == "fee_unpaid" and not application.fee_reference
    assert not Review.objects.filter(kind="certification").exists()


def test_cer2_a_paid_fee_is_not_recorded_again(staff_client, waiting):
    mp, application = waiting
    pay(application, reference="SANDBOX-1")
    response = remit(staff_client, application, "BANK-2")
    assert response.status_code == 400
    application.refresh_from_db()
    assert application.fee_reference == "SANDBOX-1"
    assert Review.objects.filter(kind="certification").count() == 1


def test_unknown_application_is_404(staff_client):
    assert remit(staff_client, CertificationApplication(pk=999999), "BANK-1").status_code == 404


def test_only_staff(client, console_account, waiting):
    mp, application = waiting
    assert client.get(FEES).status_code in (302, 404)
    client.force_login(console_account)
    assert client.get(FEES).status_code in (302, 403, 404)
    assert remit(client, application, "BANK-1").status_code in (302, 403, 404)
    application.refresh_from_db()
    assert application.state == "fee_unpaid"


def test_cer1_the_review_queue_shows_the_certification_with_its_documents(staff_client, provision):
    from tests.payments.certification.support import apply as apply_for

    mp = provision("government").miniprogram  # certified; renew after expiry
    import time_machine

    with time_machine.travel(mp.subject.certified_until, tick=False):
        application = apply_for(mp, renewal=True)
    pay(application)
    item = review_of(application)
    queue = staff_client.get("/ops/reviews/").content.decode()
    assert f"/ops/reviews/{item.pk}/" in queue
    detail = staff_client.get(f"/ops/reviews/{item.pk}/")
    assert detail.status_code == 200
    html = detail.content.decode()
    assert f"/ops/reviews/{item.pk}/documents/0/" in html
    assert f"/ops/reviews/{item.pk}/documents/1/" in html
    image = staff_client.get(f"/ops/reviews/{item.pk}/documents/0/")
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"
    letter = staff_client.get(f"/ops/reviews/{item.pk}/documents/1/")
    assert letter.status_code == 200 and letter["Content-Type"] == "application/pdf"
    assert letter["X-Content-Type-Options"] == "nosniff"
    assert staff_client.get(f"/ops/reviews/{item.pk}/documents/2/").status_code == 404


def test_cer1_ask_for_material_from_the_desk(staff_client, waiting):
    mp, application = waiting
    pay(application)
    item = review_of(application)
    assert staff_client.post(f"/ops/reviews/{item.pk}/claim/").status_code == 302
    response = staff_client.post(
        f"/ops/reviews/{item.pk}/delay/", {"reason": "请补充公函", "note": ""}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == "material_requested" and application.reasons == "请补充公函"


def test_no_server_error_on_bad_filters_or_references(staff_client, waiting):
    mp, application = waiting
    assert staff_client.get(FEES, {"appid": "x" * 500, "page": "abc"}).status_code == 200
    assert remit(staff_client, application, "x" * 5000).status_code == 400
    application.refresh_from_db()
    assert application.state == "fee_unpaid"


def test_cer2_a_fee_paid_on_the_phone_offers_no_remittance(staff_client, waiting):
    from miniport.payments.certification import services
    from miniport.payments.sandbox.orders import order_pay
    from tests.payments.certification.support import admin_actor

    mp, application = waiting
    order = services.certification_fee_order(actor=admin_actor(mp), application=application)
    order_pay(actor=admin_actor(mp), order=order, payer=mp.admin_identity)
    html = staff_client.get(FEES).content.decode()
    assert 'data-testid="paid-on-phone"' in html and 'data-testid="remittance-form"' not in html
    assert remit(staff_client, application, "BANK-7").status_code == 400
    application.refresh_from_db()
    assert application.state == "fee_unpaid" and not application.fee_reference
