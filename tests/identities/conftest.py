import pytest

from miniport.core import ids


@pytest.fixture
def session_key(db) -> str:
    """The key of the browser session that asks for a ticket."""
    return ids.new_token(16)


@pytest.fixture
def other_session_key(db) -> str:
    return ids.new_token(16)
