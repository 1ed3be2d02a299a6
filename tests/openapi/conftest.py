from __future__ import annotations

import pytest

from miniport.core.actors import Actor
from tests.openapi.wire import Wire


@pytest.fixture(autouse=True)
def _fresh_call_leases():
    """Leases of counted calls live in the process; the database under them is rolled
    back after every test, so the leases go too."""
    from miniport.core import quotas
    from miniport.miniprograms.services import credential_sql

    quotas.forget_leases()
    credential_sql.forget_remembered()
    yield
    quotas.forget_leases()
    credential_sql.forget_remembered()


@pytest.fixture
def wire(client) -> Wire:
    return Wire(client)


@pytest.fixture
def app(provision):
    """An active, personal mini program with its AppSecret (a `Provisioned`)."""
    return provision("personal")


@pytest.fixture
def company_app(provision):
    return provision("enterprise", certified=True)


@pytest.fixture
def override(system_actor):
    """Set an operator override of a policy rule for this test."""
    from miniport.core.services import policy_set_override

    def set_value(key: str, value: int) -> None:
        policy_set_override(actor=Actor.system("tests"), key=key, value=value)

    return set_value
