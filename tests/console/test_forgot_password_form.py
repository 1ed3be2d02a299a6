"""Issue 10 item 2: the forgot-password form asks for an email address. Empty or
malformed, it is refused on the email field, in the page's language, and nothing is
recorded or mailed; an empty form without the captcha names both fields."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from miniport.accounts.errors import AccountError
from miniport.accounts.models import PasswordResetRequest, PasswordResetToken
from miniport.console.views.recovery import FORGOT_EMAIL
from miniport.core import deliveries, events
from miniport.core.errors import CoreError
from miniport.web.sentences import sentence
from tests.console.conftest import captcha_of, en_client, zh_client

pytestmark = pytest.mark.django_db


def forgot(client: Client, email: str, **overrides):
    key, answer = captcha_of(client.get("/login/forgot/").content.decode())
    data = {"email": email, "captcha_0": key, "captcha_1": answer, **overrides}
    return client.post("/login/forgot/", data)


def nothing_was_asked(client: Client) -> bool:
    events.deliver_pending()
    for pk in deliveries.due_ids():
        deliveries.run(pk)
    return (
        not PasswordResetRequest.objects.exists()
        and not PasswordResetToken.objects.exists()
        and not mail.outbox
        and FORGOT_EMAIL not in client.session
    )


@pytest.mark.parametrize(
    ("client", "lang"), [(zh_client, "zh-hans"), (en_client, "en")], ids=["zh", "en"]
)
@pytest.mark.parametrize(
    ("email", "code"),
    [
        ("", CoreError.FIELD_REQUIRED),
        ("   ", CoreError.FIELD_REQUIRED),
        ("not-an-email", AccountError.EMAIL_INVALID),
        ("a@b", AccountError.EMAIL_INVALID),
    ],
)
def test_an_empty_or_malformed_email_is_refused_on_its_field(client, lang, email, code):
    browser = client()
    response = forgot(browser, email)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["email"] == [code.message(lang)]
    assert "captcha" not in form.errors
    html = response.content.decode()
    assert sentence(code.message(lang)) in html
    assert nothing_was_asked(browser)


def test_an_empty_form_without_the_captcha_names_both_fields():
    browser = zh_client()
    browser.get("/login/forgot/")
    response = browser.post("/login/forgot/", {"email": "", "captcha_0": "", "captcha_1": ""})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["email"] == [CoreError.FIELD_REQUIRED.message("zh-hans")]
    assert errors["captcha"] == [CoreError.FIELD_REQUIRED.message("zh-hans")]
    assert nothing_was_asked(browser)


def test_a_well_formed_unknown_email_is_still_answered_as_sent():
    """No enumeration: the form refuses only what is no email address."""
    browser = zh_client()
    response = forgot(browser, "  nobody@example.com ")
    assert response.status_code == 302 and response.url == "/login/forgot/sent/"
    assert "nobody@example.com" in browser.get(response.url).content.decode()
