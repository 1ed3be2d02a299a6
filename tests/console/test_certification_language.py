"""Issue 10 item 5 for the certification pages (CER-1, CER-2): each state of the console
page, the apply form with its refusals, the basic settings row and the ops fee desk
speak one language, Chinese or English."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client

from miniport.review import services as review
from tests.console.conftest import two_step_login
from tests.i18n.test_one_language_per_page import offending
from tests.payments.certification.support import STAFF, apply, pay, review_of

pytestmark = pytest.mark.django_db
LANGUAGES = ("zh-hans", "en")
PAGE = "/settings/basic/certification/"


def browser(app, language: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    two_step_login(client, app)
    assert client.post("/login/scan/complete/").status_code == 302
    return client


def user_values(app, *more: str) -> set[str]:
    mp = app.miniprogram
    return {mp.name, mp.appid, mp.subject.name, mp.account.email, "王五", *more}


def check(client, url, language, values, status=200, method="get", data=None):
    response = getattr(client, method)(url, data or {})
    assert response.status_code == status, url
    assert offending(response.content.decode(), language, values) == [], url


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_state_of_the_certification_page_speaks_one_language(provision, language):
    app = provision("enterprise")
    values = user_values(app, "请补充公函", "执照过期")
    client = browser(app, language)
    check(client, PAGE, language, values)
    check(client, PAGE + "apply/", language, values)
    check(client, PAGE + "apply/", language, values, 400, "post", {"contact_phone": "1"})
    application = apply(app.miniprogram)
    check(client, PAGE, language, values)  # fee unpaid, no order yet
    assert client.post(PAGE + "pay/").status_code == 302
    check(client, PAGE, language, values)  # with the pay QR
    pay(application)
    check(client, PAGE, language, values)
    review.review_delay(actor=STAFF, review=review_of(application), reasons="请补充公函")
    check(client, PAGE, language, values)
    review.review_reject(actor=STAFF, review=review_of(application), reasons="执照过期")
    check(client, PAGE, language, values)
    check(client, "/settings/basic/", language, values)


@pytest.mark.parametrize("language", LANGUAGES)
def test_certified_expired_and_personal_pages_speak_one_language(provision, language):
    certified = provision("enterprise", certified=True)
    check(browser(certified, language), PAGE, language, user_values(certified))
    check(browser(certified, language), "/settings/basic/", language, user_values(certified))
    with time_machine.travel(
        certified.miniprogram.subject.certified_until + timedelta(days=1), tick=False
    ):
        client = browser(certified, language)
        check(client, PAGE, language, user_values(certified))
        check(client, "/settings/basic/", language, user_values(certified))
    personal = provision("personal")
    check(browser(personal, language), PAGE, language, user_values(personal))


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_ops_fee_desk_speaks_one_language(provision, language):
    from miniport.accounts.models import Account, AccountKind

    staff = Account.objects.create_user(
        "operator@miniport.example",
        "Passw0rd!",
        is_staff=True,
        is_active=True,
        kind=AccountKind.STAFF,
    )
    app = provision("enterprise")
    application = apply(app.miniprogram)
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(staff)
    values = user_values(app, staff.email, "REF-1", "tests")
    check(client, "/ops/certification/fees/", language, values)
    check(
        client,
        f"/ops/certification/fees/{application.pk}/remittance/",
        language,
        values,
        400,
        "post",
        {f"a{application.pk}-reference": "<x>"},
    )
    pay(application)
    check(client, f"/ops/reviews/{review_of(application).pk}/", language, values)
