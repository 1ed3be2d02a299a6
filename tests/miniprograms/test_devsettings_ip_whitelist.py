"""DEV-2: the API IP whitelist holds at most 10 IPv4 addresses or CIDR ranges; bad
entries and too many are refused with nothing stored and no confirmation asked
(enforcement: see tests/openapi/test_token_endpoint.py; the administrator's confirmation
by scan: tests/console/test_whitelist_confirmation.py)."""

from __future__ import annotations

import pytest

from miniport.console.views.devsettings import WHITELIST_TICKET
from miniport.core.errors import PlatformError
from miniport.identities import services as identity_services
from miniport.identities.models import QrTicket
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.services import devsettings
from tests.miniprograms.devsettings_support import dev_state, set_ip_whitelist

SESSION = "whitelist-form-browser-session"


def request(team, entries):
    return devsettings.ip_whitelist_request(
        actor=team.admin_actor, miniprogram=team.miniprogram, entries=entries, session_key=SESSION
    )


def test_addresses_and_ranges_are_stored_normalised(team):
    saved = set_ip_whitelist(
        team.miniprogram, [" 10.0.0.9/24 ", "192.0.2.7", "192.0.2.7", "198.51.100.0/32", ""]
    )
    assert saved == ["10.0.0.0/24", "192.0.2.7", "198.51.100.0"]
    assert devsettings.settings_for(team.miniprogram).ip_whitelist == saved


@pytest.mark.parametrize(
    "entry", ["10.0.0.256", "not-an-ip", "2001:db8::1", "2001:db8::/32", "10.0.0.0/33"]
)
def test_an_invalid_entry_is_refused_and_nothing_changes(team, entry):
    """DEV-2: IPv4 addresses or CIDR ranges only (IP_WHITELIST_INVALID)."""
    set_ip_whitelist(team.miniprogram, ["192.0.2.1"])
    before = dev_state(team.miniprogram)
    with pytest.raises(PlatformError) as refused:
        request(team, ["192.0.2.2", entry])
    assert (
        refused.value.code == MiniProgramError.IP_WHITELIST_INVALID
        and refused.value.field == "ip_whitelist"
    )
    assert dev_state(team.miniprogram) == before
    assert not QrTicket.objects.filter(purpose="ip_whitelist", status="pending").exists()


def test_more_than_ten_entries_are_refused_and_nothing_changes(team):
    """DEV-2: at most 10 entries (IP_WHITELIST_LIMIT)."""
    before = dev_state(team.miniprogram)
    with pytest.raises(PlatformError) as refused:
        request(team, [f"192.0.2.{i}" for i in range(11)])
    assert refused.value.code == MiniProgramError.IP_WHITELIST_LIMIT
    assert dev_state(team.miniprogram) == before
    assert not QrTicket.objects.filter(purpose="ip_whitelist").exists()
    saved = set_ip_whitelist(team.miniprogram, [f"192.0.2.{i}" for i in range(10)])
    assert len(saved) == 10


def test_the_console_form_names_the_field_of_a_refused_entry(team, console_as):
    client = console_as(team.admin)
    before = dev_state(team.miniprogram)
    page = client.post("/settings/dev/ip-whitelist/", {"ip_whitelist": "192.0.2.1\nnonsense"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-field="ip_whitelist"' in html and "nonsense" in html and "errorlist" in html
    assert dev_state(team.miniprogram) == before
    asked = client.post(
        "/settings/dev/ip-whitelist/", {"ip_whitelist": "192.0.2.1\n203.0.113.0/24"}
    )
    assert asked.status_code == 302 and asked.url == "/settings/dev/ip-whitelist/confirm/"
    assert devsettings.settings_for(team.miniprogram).ip_whitelist == []  # waits for the scan
    identity_services.ticket_confirm(identity=team.admin, token=client.session[WHITELIST_TICKET])
    assert client.post(asked.url).status_code == 302
    assert devsettings.settings_for(team.miniprogram).ip_whitelist == [
        "192.0.2.1",
        "203.0.113.0/24",
    ]
