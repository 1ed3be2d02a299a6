"""The requesting device is shown in a short form a person recognises."""

from miniport.mobile.agents import describe_agent
from tests.identities.support import CHROME_ON_WINDOWS

IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
)


def test_desktop_browser_is_named_with_its_system():
    assert describe_agent(CHROME_ON_WINDOWS) == "Chrome 120 · Windows 10"


def test_phone_browser_names_the_device():
    assert describe_agent(IPHONE) == "Mobile Safari 17 · iOS 17 · iPhone"


def test_missing_agent_gives_nothing():
    assert describe_agent("") == ""
    assert describe_agent(None) == ""


def test_unrecognised_agent_is_shown_shortened():
    assert describe_agent("x" * 300) == "x" * 60
