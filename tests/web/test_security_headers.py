"""Issue 9 item 9: the content security policy of the pages forbids <base> (a planted
one would redirect relative links and form actions) and plugins, explicitly."""

from __future__ import annotations

import pytest


def _policy(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    directives = (part.strip().split(None, 1) for part in header.split(";") if part.strip())
    return {parts[0]: parts[1] if len(parts) > 1 else "" for parts in directives}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/login/", "/m/login/", "/ops/login/"])
def test_pages_forbid_base_and_object(client, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = _policy(response)
    assert policy["base-uri"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"


@pytest.mark.django_db
def test_a_signed_in_console_page_carries_the_same_policy(provision):
    from tests.console.versions_support import browser

    app = provision("personal")
    page = browser(app.miniprogram.admin_identity).get("/settings/dev/")
    assert page.status_code == 200
    policy = _policy(page)
    assert policy["base-uri"] == "'none'" and policy["object-src"] == "'none'"
