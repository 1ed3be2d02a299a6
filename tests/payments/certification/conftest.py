import pytest

from tests.ops.journeys import confirmed_registration


@pytest.fixture
def enterprise(provision):
    """An active enterprise mini program verified by remittance, not certified."""
    return provision("enterprise").miniprogram


@pytest.fixture
def personal(provision):
    return provision("personal").miniprogram


@pytest.fixture
def waiting_government(db):
    """REG-7: a government registration waiting for certification."""
    registration = confirmed_registration(subject_type="government", method="certification")
    assert registration.status == "pending_certification"
    return registration.account.miniprogram
