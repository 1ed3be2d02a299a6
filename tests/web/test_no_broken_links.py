"""Issue 10: a new user's journey meets no server error and no broken link. Every page a
persona can reach by following links from its surface's home (the administrator's
console, the operator's desk, the visitor's login, help and agreement pages, the phone
pages) answers, and every same-site link on those pages leads somewhere that exists."""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import Resolver404, resolve

from tests.console.console_routes import build_world
from tests.mobile.conftest import PASSWORD as PHONE_PASSWORD
from tests.mobile.conftest import phone_of  # noqa: F401 - the phone pages' fixture
from tests.ops.conftest import PASSWORD as STAFF_PASSWORD
from tests.ops.conftest import staff  # noqa: F401 - the operator's fixture

pytestmark = pytest.mark.django_db

# Links a page offers to follow with GET (forms post; scripts fetch their own JSON).
HREF = re.compile(r'href="([^"#]+)"')
# Following these would end the walk's own session or write something.
LEAVES = ("/logout/", "/ops/logout/", "/m/logout/")
# A walk stops here: enough to cover every menu and its sub-pages.
MAX_PAGES = 250


def _same_site_path(base: str, href: str) -> str | None:
    url = urlsplit(urljoin(base, href.replace("&amp;", "&")))
    if url.scheme not in ("", "http") or url.netloc not in ("", "testserver"):
        return None
    return url.path + (f"?{url.query}" if url.query else "")


def _walk(client: Client, seeds: list[str]) -> tuple[dict[str, int], list[str]]:
    """GET every seed and every same-site link reachable from it; returns each page's status
    and the links that resolve to no route at all."""
    answered: dict[str, int] = {}
    dead: list[str] = []
    queue = deque(seeds)
    while queue and len(answered) < MAX_PAGES:
        path = queue.popleft()
        if path in answered or path.startswith(LEAVES):
            continue
        if path.startswith("/static/"):
            # whitenoise serves these outside the URL table: the file must exist.
            found = finders.find(urlsplit(path).path.removeprefix("/static/"))
            answered[path] = 200 if found else 404
            continue
        try:
            resolve(urlsplit(path).path)
        except Resolver404:
            dead.append(path)
            continue
        response = client.get(path)
        answered[path] = response.status_code
        if response.status_code in (301, 302):
            target = _same_site_path(path, response["Location"])
            if target:
                queue.append(target)
        elif response.status_code == 200 and "html" in response.get("Content-Type", ""):
            for href in HREF.findall(response.content.decode()):
                target = _same_site_path(path, href)
                if target:
                    queue.append(target)
    return answered, dead


def _assert_no_dead_end(answered: dict[str, int], dead: list[str]) -> None:
    assert dead == [], f"links to no page: {dead}"
    errors = {path: status for path, status in answered.items() if status >= 500}
    assert errors == {}, f"server errors: {errors}"
    missing = {path: status for path, status in answered.items() if status == 404}
    assert missing == {}, f"links answering 404: {missing}"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_administrators_console_has_no_broken_link(provision, make_identity, language):
    world = build_world(provision, make_identity)
    admin = world.persona("administrator (email login)").client
    admin.cookies["django_language"] = language
    answered, dead = _walk(admin, ["/"])
    _assert_no_dead_end(answered, dead)
    # The walk went through the menus, not just the home page.
    reached = " ".join(answered)
    for area in ("/members/", "/settings/basic/", "/settings/dev/", "/versions/", "/help/"):
        assert area in reached, f"the walk never reached {area}"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_visitors_pages_have_no_broken_link(db, language):
    visitor = Client()
    visitor.cookies["django_language"] = language
    answered, dead = _walk(visitor, ["/login/", "/register/", "/help/", "/m/login/"])
    _assert_no_dead_end(answered, dead)
    reached = " ".join(answered)
    assert "/agreements/" in reached and "/m/signup/" in reached


def test_the_operators_desk_has_no_broken_link(staff):  # noqa: F811
    operator = Client()
    operator.force_login(staff)
    assert staff.check_password(STAFF_PASSWORD)
    answered, dead = _walk(operator, ["/ops/"])
    _assert_no_dead_end(answered, dead)
    reached = " ".join(answered)
    for area in ("/ops/reviews/", "/ops/policy/", "/ops/audit/"):
        assert area in reached, f"the walk never reached {area}"


def test_the_phone_pages_have_no_broken_link(phone_of, make_identity):  # noqa: F811
    person = make_identity("walker_phone", password=PHONE_PASSWORD)
    answered, dead = _walk(phone_of(person), ["/m/"])
    _assert_no_dead_end(answered, dead)
