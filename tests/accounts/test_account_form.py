"""REG-1: the account form: email as login name, password rule, confirmation, consent."""

import pytest

from miniport.accounts import services
from miniport.accounts.errors import AccountError
from miniport.accounts.models import Account, Registration, RegistrationStatus
from miniport.core import policy
from miniport.core.errors import PlatformError
from miniport.core.models import PolicyOverride


def register(email="new@example.com", password="Abcdefg1", confirm=None, agreed=True):
    return services.account_register(
        email=email,
        password=password,
        password_confirm=password if confirm is None else confirm,
        agreed=agreed,
    )


def refused(code, field, **form):
    with pytest.raises(PlatformError) as caught:
        register(**form)
    assert caught.value.code == code
    assert caught.value.field == field
    return caught.value


def test_an_email_and_a_valid_password_create_an_account_waiting_for_activation(db):
    """REG-1: the email is the login name; the new account is inactive until activated."""
    account = register(email="owner@example.com", password="abcdefgh")
    assert account.email == "owner@example.com"
    assert account.check_password("abcdefgh")
    assert account.is_active is False
    registration = Registration.objects.get(account=account)
    assert registration.status == RegistrationStatus.PENDING_ACTIVATION
    assert registration.agreed_at is not None


@pytest.mark.parametrize("password", ["abcdefgh", "1234567a", "!@#$%^&*", "Ab1~`{}|", "A" * 64])
def test_passwords_of_eight_or_more_letters_digits_or_symbols_are_accepted(db, password):
    """REG-1: letters, digits or ASCII symbols, at least 8 characters."""
    account = register(password=password)
    assert account.check_password(password)


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("", AccountError.PASSWORD_TOO_SHORT),
        ("Abcde12", AccountError.PASSWORD_TOO_SHORT),
        ("abcd 1234", AccountError.PASSWORD_CHARSET),
        ("abcd\t1234", AccountError.PASSWORD_CHARSET),
        ("密码密码密码密码", AccountError.PASSWORD_CHARSET),
        ("abcdefgé1", AccountError.PASSWORD_CHARSET),
        ("ａｂｃｄｅｆｇｈ", AccountError.PASSWORD_CHARSET),
        ("12345678", AccountError.PASSWORD_DIGITS_ONLY),
        ("2026120712345", AccountError.PASSWORD_DIGITS_ONLY),
    ],
)
def test_a_password_outside_the_rule_is_refused_and_nothing_is_created(
    db, snapshot, password, code
):
    """REG-1: too short, spaces or non-ASCII characters are refused on the password field,
    and so are digits alone (the phone sign-up's rule too)."""
    before = snapshot()
    refused(code, "password", password=password)
    assert snapshot() == before


def test_the_too_short_message_names_the_minimum(db):
    """REG-1: the refusal tells the minimum length."""
    error = refused(AccountError.PASSWORD_TOO_SHORT, "password", password="short1")
    assert error.params["min"] == 8
    assert "8" in error.message("en")


def test_the_minimum_length_follows_the_policy_row(db, snapshot):
    """REG-1: the 8-character minimum is an operator-tunable policy row."""
    PolicyOverride.objects.create(key="registration.password_min_length", value=10)
    policy.forget_cached()
    before = snapshot()
    refused(AccountError.PASSWORD_TOO_SHORT, "password", password="abcdefgh1")
    assert snapshot() == before
    assert register(password="abcdefgh12").check_password("abcdefgh12")


def test_a_confirmation_that_differs_is_refused(db, snapshot):
    """REG-1: the password is typed twice."""
    before = snapshot()
    refused(
        AccountError.PASSWORD_MISMATCH, "password_confirm", password="Abcdefg1", confirm="Abcdefg2"
    )
    assert snapshot() == before


def test_a_confirmation_that_differs_only_in_case_is_refused(db, snapshot):
    """REG-1: passwords are case-sensitive, the confirmation too."""
    before = snapshot()
    refused(
        AccountError.PASSWORD_MISMATCH, "password_confirm", password="Abcdefg1", confirm="abcdefg1"
    )
    assert snapshot() == before


def test_passwords_are_case_sensitive_at_login(drive):
    """REG-1: a password typed in another case does not log in."""
    walk = drive("activated")
    with pytest.raises(PlatformError) as caught:
        services.login_check_password(email=walk.email, password="sECRET-pASS1", ip="203.0.113.5")
    assert caught.value.code == AccountError.LOGIN_FAILED
    assert services.login_check_password(
        email=walk.email, password="Secret-Pass1", ip="203.0.113.5"
    )


def test_the_agreements_must_be_accepted(db, snapshot):
    """REG-1: consent to the platform agreements."""
    before = snapshot()
    refused(AccountError.AGREEMENT_REQUIRED, "agree", agreed=False)
    assert snapshot() == before


@pytest.mark.parametrize(
    "email", ["", "   ", "not-an-email", "owner@localhost.", "a@b", "x" * 250 + "@example.com"]
)
def test_an_invalid_email_is_refused(db, snapshot, email):
    """REG-1: the login name is an email address that fits the column."""
    before = snapshot()
    refused(AccountError.EMAIL_INVALID, "email", email=email)
    assert snapshot() == before


def test_the_email_is_stored_in_lower_case(db):
    """REG-1: the login name does not depend on the case it was typed in."""
    account = register(email="  Owner@Example.COM ")
    assert account.email == "owner@example.com"
    assert Account.objects.filter(email="owner@example.com").count() == 1
