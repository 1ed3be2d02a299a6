"""MEM-5: a data analyst has statistics and the experience version, nothing more
sensitive. Walking every console page the analyst can open (each page the permission
table opens to the role, and every console link found on them), none shows the
AppSecret, an ID number of the subject or of the administrator, or anything of the
development settings."""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import Resolver404, resolve, reverse

from miniport.core.masking import mask
from miniport.miniprograms import permissions
from miniport.miniprograms.models import DevSettings
from tests.console.console_routes import build_world, gated_routes, path_of

HREF = re.compile(r'(?:href|action|src|hx-get|data-url)="([^"#]+)"')
DOMAIN = "https://analyst-never-sees.example.com"
DEV_CONTENT = {
    "ip_whitelist": ["203.0.113.77"],
    "domains": {
        "requestdomain": [DOMAIN],
        "wsrequestdomain": ["wss://socket-hidden.example.com"],
        "uploaddomain": ["https://upload-hidden.example.com"],
        "downloaddomain": ["https://download-hidden.example.com"],
        "udpdomain": ["udp://udp-hidden.example.com"],
        "tcpdomain": ["tcp://tcp-hidden.example.com"],
    },
    "webview_domains": ["https://webview-hidden.example.com"],
    "push_url": "https://push-hidden.example.com/wechat",
    "push_token": "PushTokenHidden2024",
    "push_aes_key": "HiddenAesKey" + "x" * 31,
    "push_enabled": True,
}


def _id_number_forms(number: str) -> set[str]:
    """An ID number as any page would print it: whole, or masked either way."""
    if not number:
        return set()
    return {number, mask(number), number[0] + "*" * (len(number) - 2) + number[-1]}


def _secrets(world) -> set[str]:
    mp = world.miniprogram
    subject = mp.subject
    found = {world.app.secret}
    for number in (subject.id_number, subject.admin_id_number, mp.admin_identity.id_number):
        found |= _id_number_forms(number)
    dev = DEV_CONTENT
    found |= set(dev["ip_whitelist"]) | set(dev["webview_domains"])
    found |= {
        domain.split("://", 1)[1] for domains in dev["domains"].values() for domain in domains
    }
    found |= {dev["push_url"], dev["push_token"], dev["push_aes_key"]}
    return {text for text in found if text}


def _console_link(base: str, href: str) -> str | None:
    """The path of a same-site link into the console, or None."""
    url = urlsplit(urljoin(base, href))
    if url.scheme not in ("", "http") or url.netloc not in ("", "testserver"):
        return None
    try:
        match = resolve(url.path)
    except Resolver404:
        return None
    if match.namespace != "console":
        return None
    return url.path + (f"?{url.query}" if url.query else "")


def _walk(client, seeds: list[str]) -> dict[str, object]:
    """GET every seed and every console link reachable from the pages it answers."""
    answered: dict[str, object] = {}
    queue = deque(seeds)
    while queue:
        path = queue.popleft()
        if path in answered:
            continue
        response = client.get(path)
        answered[path] = response
        if response.status_code in (301, 302):
            target = _console_link(path, response["Location"])
            if target:
                queue.append(target)
        elif response.status_code == 200 and "html" in response.get("Content-Type", ""):
            for href in HREF.findall(response.content.decode()):
                target = _console_link(path, href.replace("&amp;", "&"))
                if target:
                    queue.append(target)
    return answered


def _analyst_pages(world) -> list[str]:
    roles = {permissions.DATA_ANALYST}
    return [
        path_of(route, world.objects)
        for route in gated_routes()
        if permissions.allowed(roles, route.visible_with)
        and permissions.allowed(roles, route.action)
    ]


@pytest.mark.parametrize(
    "subject", [("personal", {}), ("enterprise", {"certified": True})], ids=lambda s: s[0]
)
def test_no_page_a_data_analyst_opens_shows_the_secret_id_numbers_or_development_settings(
    provision, make_identity, subject
):
    """MEM-5: data analyst = statistics + experience version; never the AppSecret, the ID
    numbers of the subject and the administrator, or the development settings."""
    subject_type, options = subject
    world = build_world(provision, make_identity, subject_type=subject_type, **options)
    DevSettings.objects.filter(miniprogram=world.miniprogram).update(**DEV_CONTENT)
    secrets = _secrets(world)
    analyst = world.persona("data_analyst").client

    seeds = _analyst_pages(world)
    assert reverse("console:home") in seeds and reverse("console:members") in seeds
    answered = _walk(analyst, seeds)
    opened = [path for path, response in answered.items() if response.status_code == 200]
    assert {reverse("console:home"), reverse("console:members")} <= set(opened)
    for path, response in answered.items():
        body = response.content.decode(errors="replace")
        shown = sorted(secret for secret in secrets if secret in body)
        assert shown == [], f"{path} shows {shown}"
    assert analyst.get(reverse("console:dev_settings")).status_code == 404


def test_the_walk_would_see_them_where_they_are_shown(provision, make_identity):
    """The same check finds the development settings on the developer's own page, so the
    walk above is no empty pass."""
    world = build_world(provision, make_identity)
    DevSettings.objects.filter(miniprogram=world.miniprogram).update(**DEV_CONTENT)
    page = world.persona("developer").client.get(reverse("console:dev_settings"))
    assert page.status_code == 200
    assert DOMAIN.split("://", 1)[1] in page.content.decode()
