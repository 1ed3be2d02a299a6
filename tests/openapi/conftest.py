from __future__ import annotations

import pytest

from tests.openapi.wire import Wire


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
