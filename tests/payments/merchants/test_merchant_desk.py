"""PAY-1: the merchant application on the ops desk: its facts (the account number masked)
and documents, approved from the desk like any review; the merchant opens."""

from __future__ import annotations

import pytest
from django.test import Client

from miniport.accounts.models import Account, AccountKind
from miniport.payments.merchants.selectors import merchant_of
from tests.payments.merchants.support import ACCOUNT_NUMBER, apply, owner, review_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk():
    staff = Account.objects.create_user(
        "payments-desk@miniport.example",
        "Desk-pass-1",
        is_staff=True,
        is_active=True,
        kind=AccountKind.STAFF,
    )
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(staff)
    return client


def test_pay1_the_desk_shows_the_application_and_approves_it(provision, desk):
    mp = provision("enterprise", certified=True).miniprogram
    application = apply(owner(mp), mp)
    review = review_of(application)
    page = desk.get(f"/ops/reviews/{review.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert application.business_name in html and "Merchant application" in html
    assert ACCOUNT_NUMBER not in html and ACCOUNT_NUMBER[-4:] in html
    document = desk.get(f"/ops/reviews/{review.pk}/documents/licence/")
    assert document.status_code == 200 and document["Content-Type"].startswith("image/")
    assert desk.get(f"/ops/reviews/{review.pk}/documents/nothing/").status_code == 404

    assert desk.post(f"/ops/reviews/{review.pk}/claim/").status_code in (200, 302)
    done = desk.post(f"/ops/reviews/{review.pk}/approve/", {"note": ""})
    assert done.status_code in (200, 302)
    merchant = merchant_of(mp)
    assert merchant is not None and merchant.name == mp.name
