"""Personas and registrations for the ops desk tests."""

from __future__ import annotations

import pytest

from tests.ops.journeys import PASSWORD, confirmed_registration

# The merchants of the payment tests, for the merchants desk.
from tests.payments.shops import make_merchant, shop  # noqa: F401


@pytest.fixture
def staff(db):
    from miniport.accounts.models import Account, AccountKind

    return Account.objects.create_user(
        "operator@miniport.example", PASSWORD, is_staff=True, is_active=True, kind=AccountKind.STAFF
    )


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def console_account(db):
    """A signed-up, active mini program account: not staff."""
    from miniport.accounts.models import Account

    return Account.objects.create_user("developer@example.com", PASSWORD, is_active=True)


@pytest.fixture
def registration_factory(db):
    """Drive a registration through the real services; see tests/ops/journeys.py."""
    return confirmed_registration


@pytest.fixture
def remittance_registration(registration_factory):
    return registration_factory(subject_type="enterprise", method="remittance")


@pytest.fixture
def certification_registration(registration_factory):
    return registration_factory(subject_type="government", method="certification")
