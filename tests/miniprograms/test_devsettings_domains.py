"""DEV-3: server domains and business (web-view) domains from the console: every list
with its scheme, no IPs, localhost, paths or user information, capped per list, 50
changes a month shared with the API; business domains not for personal mini programs."""

from __future__ import annotations

import pytest

from miniport.core.errors import PlatformError
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.models.devsettings import DOMAIN_FIELDS
from miniport.miniprograms.services import devsettings
from tests.miniprograms.devsettings_support import dev_state, set_policy

EMPTY = {name: "" for name in DOMAIN_FIELDS}


@pytest.mark.parametrize(
    ("raw", "scheme", "expected"),
    [
        ("https://API.example.com", "https", "https://api.example.com"),
        ("https://api.example.com/", "https", "https://api.example.com"),
        ("https://api.example.com:8443", "https", "https://api.example.com:8443"),
        ("wss://ws.example.com", "wss", "wss://ws.example.com"),
        ("udp://u.example.com:9000", "udp", "udp://u.example.com:9000"),
        ("https://xn--fiqs8s.example.cn", "https", "https://xn--fiqs8s.example.cn"),
        ("https://中国.example.cn", "https", "https://xn--fiqs8s.example.cn"),
        ("http://api.example.com", "https", None),
        ("https://192.168.1.10", "https", None),
        ("https://[::1]", "https", None),
        ("https://localhost", "https", None),
        ("https://app.localhost", "https", None),
        ("https://user@api.example.com", "https", None),
        ("https://api.example.com/v1", "https", None),
        ("https://api.example.com?x=1", "https", None),
        ("https://api.example.com#top", "https", None),
        ("https://api.example.com:0", "https", None),
        ("https://api.example.com:70000", "https", None),
        ("https://example", "https", None),
        ("https://-bad-.example.com", "https", None),
        ("api.example.com", "https", None),
        ("https://example\n.com", "https", None),
        ("https://api.weixin.qq.com", "https", None),
        ("https://API.weixin.qq.com:443", "https", None),
    ],
)
def test_domain_rules(raw, scheme, expected):
    """DEV-3: the shape of a server domain."""
    assert devsettings.normalize_domain(raw, scheme) == expected


def test_the_platforms_own_api_host_is_no_server_domain(settings):
    """DEV-3: a mini program may not call the server API directly (WeChat forbids
    api.weixin.qq.com for the same reason): its AppSecret would ship in the package."""
    settings.SITE_URL = "https://mp.example.com"
    assert devsettings.normalize_domain("https://mp.example.com", "https") is None
    assert devsettings.normalize_domain("wss://mp.example.com", "wss") is None
    assert devsettings.normalize_domain("https://cdn.example.com", "https") == (
        "https://cdn.example.com"
    )


def test_the_console_saves_all_six_lists(team, console_as):
    client = console_as(team.admin)
    data = {
        **EMPTY,
        "requestdomain": "https://a.example.com\nhttps://b.example.com",
        "wsrequestdomain": "wss://ws.example.com",
        "tcpdomain": "tcp://t.example.com:7000",
    }
    assert client.post("/settings/dev/domains/", data).status_code == 302
    stored = devsettings.current_domains(devsettings.settings_for(team.miniprogram))
    assert stored["requestdomain"] == ["https://a.example.com", "https://b.example.com"]
    assert stored["wsrequestdomain"] == ["wss://ws.example.com"]
    assert stored["tcpdomain"] == ["tcp://t.example.com:7000"]
    overview = client.get("/settings/dev/").content.decode()
    assert "https://b.example.com" in overview
    assert "Changes left this month: 49 of 50" in overview


def test_the_console_names_the_list_of_an_invalid_domain_and_saves_nothing(team, console_as):
    """DEV-3: the console is strict: the first invalid entry is named on its list."""
    client = console_as(team.admin)
    before = dev_state(team.miniprogram)
    page = client.post(
        "/settings/dev/domains/",
        {**EMPTY, "requestdomain": "https://a.example.com", "uploaddomain": "https://10.1.1.1"},
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "10.1.1.1" in html and "errorlist" in html
    assert dev_state(team.miniprogram) == before


def test_saving_the_same_lists_again_is_refused_and_uses_no_change(team):
    devsettings.domains_modify(
        actor=team.admin_actor,
        miniprogram=team.miniprogram,
        action="set",
        requested={"requestdomain": ["https://a.example.com"]},
        strict=True,
    )
    before = dev_state(team.miniprogram)
    with pytest.raises(PlatformError) as refused:
        devsettings.domains_modify(
            actor=team.admin_actor,
            miniprogram=team.miniprogram,
            action="set",
            requested={"requestdomain": ["https://a.example.com"]},
            strict=True,
        )
    assert refused.value.code == MiniProgramError.DOMAIN_NOTHING_TO_MODIFY
    assert dev_state(team.miniprogram) == before


def test_the_monthly_change_quota_refuses_with_nothing_changed(team):
    """DEV-3: 50 modifications a month (here 1)."""
    set_policy("dev.domain_modifications_per_month", 1)
    devsettings.domains_modify(
        actor=team.admin_actor,
        miniprogram=team.miniprogram,
        action="add",
        requested={"requestdomain": ["https://a.example.com"]},
    )
    assert devsettings.domain_modifications_left(team.miniprogram) == 0
    before = dev_state(team.miniprogram)
    with pytest.raises(PlatformError) as refused:
        devsettings.domains_modify(
            actor=team.admin_actor,
            miniprogram=team.miniprogram,
            action="add",
            requested={"requestdomain": ["https://b.example.com"]},
        )
    assert refused.value.code == MiniProgramError.DOMAIN_MONTHLY_QUOTA
    assert dev_state(team.miniprogram) == before


def test_the_monthly_quota_starts_again_next_month(team):
    import time_machine

    set_policy("dev.domain_modifications_per_month", 1)
    with time_machine.travel("2025-04-30 12:00 +0800", tick=False) as traveller:
        devsettings.domains_modify(
            actor=team.admin_actor,
            miniprogram=team.miniprogram,
            action="add",
            requested={"requestdomain": ["https://a.example.com"]},
        )
        traveller.move_to("2025-05-01 00:01 +0800")
        devsettings.domains_modify(
            actor=team.admin_actor,
            miniprogram=team.miniprogram,
            action="add",
            requested={"requestdomain": ["https://b.example.com"]},
        )
    assert devsettings.current_domains(devsettings.settings_for(team.miniprogram))[
        "requestdomain"
    ] == ["https://a.example.com", "https://b.example.com"]


def test_business_domains_from_the_console(provision, console_as):
    """DEV-3: business domains for an organization; saved as a set."""
    mp = provision("enterprise", certified=True).miniprogram
    client = console_as(mp.admin_identity)
    assert (
        client.post(
            "/settings/dev/webview-domains/", {"webviewdomain": "https://web.example.com"}
        ).status_code
        == 302
    )
    assert devsettings.settings_for(mp).webview_domains == ["https://web.example.com"]
    page = client.post(
        "/settings/dev/webview-domains/", {"webviewdomain": "https://web.example.com:444"}
    )
    assert page.status_code == 200 and "errorlist" in page.content.decode()
    assert devsettings.settings_for(mp).webview_domains == ["https://web.example.com"]


def test_personal_mini_programs_have_no_business_domains(team, console_as):
    """DEV-3: 89231 for personal subjects, in the console too."""
    client = console_as(team.admin)
    assert 'data-testid="webview-personal"' in client.get("/settings/dev/").content.decode()
    before = dev_state(team.miniprogram)
    page = client.post(
        "/settings/dev/webview-domains/", {"webviewdomain": "https://web.example.com"}
    )
    assert page.status_code == 200 and "errorlist" in page.content.decode()
    assert dev_state(team.miniprogram) == before
