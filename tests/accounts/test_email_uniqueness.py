"""REG-2: one email registers one mini program; an email any account kind uses, or that a
personal identity bound, is refused (case-insensitively)."""

import pytest
from django.core import mail

from miniport.accounts import services
from miniport.accounts.errors import AccountError
from miniport.accounts.models import Account, AccountKind
from miniport.core.errors import PlatformError
from miniport.identities.models import Identity


def register(email):
    return services.account_register(
        email=email, password="Abcdefg1", password_confirm="Abcdefg1", agreed=True
    )


def assert_taken(email):
    with pytest.raises(PlatformError) as caught:
        register(email)
    assert caught.value.code == AccountError.EMAIL_TAKEN
    assert caught.value.field == "email"


@pytest.mark.parametrize("kind", AccountKind.values)
def test_an_email_used_by_any_account_kind_is_refused(db, snapshot, kind):
    """REG-2: official account, open platform, enterprise account, mini program or staff."""
    Account.objects.create_user("taken@example.com", "whatever-1", kind=kind)
    before = snapshot()
    assert_taken("taken@example.com")
    assert snapshot() == before


@pytest.mark.parametrize("typed", ["Taken@Example.com", "TAKEN@EXAMPLE.COM", " taken@example.com "])
def test_an_email_used_by_another_account_kind_is_refused_in_any_case(db, snapshot, typed):
    """REG-2: the comparison ignores case and surrounding spaces."""
    Account.objects.create_user(
        "taken@example.com", "whatever-1", kind=AccountKind.OFFICIAL_ACCOUNT
    )
    before = snapshot()
    assert_taken(typed)
    assert snapshot() == before


def test_an_account_stored_with_capitals_still_blocks_the_email(db, snapshot):
    """REG-2: a row written with capitals (imported from another system) still counts."""
    Account.objects.create_user("x@example.com", "whatever-1", kind=AccountKind.OPEN_PLATFORM)
    Account.objects.filter(email="x@example.com").update(email="Mixed.Case@Example.com")
    before = snapshot()
    assert_taken("mixed.case@example.com")
    assert snapshot() == before


def test_an_email_bound_to_a_personal_identity_is_refused(db, snapshot, make_identity):
    """REG-2: an email bound to a personal identity cannot become a login name."""
    identity = make_identity()
    Identity.objects.filter(pk=identity.pk).update(email="Bound@Example.COM")
    before = snapshot()
    assert_taken("bound@example.com")
    assert snapshot() == before


def test_one_email_registers_only_one_mini_program(drive, snapshot):
    """REG-2: the email of a registered mini program cannot register a second one."""
    walk = drive("confirmed")
    before = snapshot()
    assert_taken(walk.email.upper())
    assert snapshot() == before
    assert walk.account.miniprogram is not None


def test_a_refused_email_sends_no_mail(db):
    """REG-2: nothing is sent for a refused address."""
    Account.objects.create_user("taken@example.com", "whatever-1", kind=AccountKind.ENTERPRISE)
    assert_taken("taken@example.com")
    assert mail.outbox == []


def test_a_free_email_is_accepted_next_to_used_ones(db, make_identity):
    """REG-2: only the used addresses are blocked."""
    Account.objects.create_user(
        "taken@example.com", "whatever-1", kind=AccountKind.OFFICIAL_ACCOUNT
    )
    identity = make_identity()
    Identity.objects.filter(pk=identity.pk).update(email="bound@example.com")
    assert register("free@example.com").email == "free@example.com"
