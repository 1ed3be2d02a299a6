"""A staff browser for the ops desk pages of the scale tests."""

from __future__ import annotations

import pytest

STAFF_PASSWORD = "Secret-pass-1"


@pytest.fixture
def staff_client(db, client):
    from miniport.accounts.models import Account, AccountKind

    staff = Account.objects.create_user(
        "scale-operator@miniport.example",
        STAFF_PASSWORD,
        is_staff=True,
        is_active=True,
        kind=AccountKind.STAFF,
    )
    client.force_login(staff)
    return client
