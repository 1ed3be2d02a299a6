"""The caller's address used by the API IP whitelist (DEV-2, 40164) and audit rows:
REMOTE_ADDR, or behind trusted reverse proxies the address the outermost one saw, never
an X-Forwarded-For entry the client wrote itself."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from miniport.core import origin


def request(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXY_HOPS = 0
    assert origin.client_ip(request("203.0.113.9", "10.1.2.3")) == "203.0.113.9"


@pytest.mark.parametrize(
    ("hops", "forwarded", "expected"),
    [
        (1, "198.51.100.7", "198.51.100.7"),
        # The client wrote the first entry itself; the proxy appended the real one.
        (1, "10.1.2.3, 198.51.100.7", "198.51.100.7"),
        (2, "10.1.2.3, 198.51.100.7, 192.0.2.1", "198.51.100.7"),
        (2, "198.51.100.7", "127.0.0.1"),  # shorter than the proxy chain
        (1, "not-an-address", "127.0.0.1"),
        (1, "", "127.0.0.1"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_behind_trusted_proxies_the_entry_the_outermost_proxy_wrote_counts(
    settings, hops, forwarded, expected
):
    settings.TRUSTED_PROXY_HOPS = hops
    assert origin.client_ip(request("127.0.0.1", forwarded)) == expected


@pytest.mark.django_db
def test_a_forged_forwarded_entry_does_not_pass_the_ip_whitelist(settings, client, provision):
    """DEV-2: behind one proxy, a client claiming a whitelisted address is refused 40164."""
    import json

    from miniport.miniprograms.models import DevSettings

    settings.TRUSTED_PROXY_HOPS = 1
    app = provision("enterprise", certified=True)
    DevSettings.objects.update_or_create(
        miniprogram=app.miniprogram, defaults={"ip_whitelist": ["192.0.2.10"]}
    )
    query = (
        f"/cgi-bin/token?grant_type=client_credential&appid={app.miniprogram.appid}"
        f"&secret={app.secret}"
    )
    forged = client.get(
        query, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.10, 203.0.113.5"
    )
    assert json.loads(forged.content)["errcode"] == 40164
    allowed = client.get(query, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.10")
    assert "access_token" in json.loads(allowed.content)
