"""HEAD is answered wherever GET is (RFC 9110: a server answering GET answers HEAD), so
link checkers and uptime probes (`curl -I`) see the page's status, not 405."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

PAGES = ["/", "/login/", "/register/", "/m/", "/m/signup/", "/ops/", "/help/cli/"]


@pytest.mark.parametrize("path", PAGES)
def test_head_gets_the_status_and_headers_of_get_without_a_body(client, path):
    got = client.get(path)
    head = client.head(path)
    assert head.status_code == got.status_code != 405
    assert head["Content-Type"] == got["Content-Type"]


def test_a_page_that_only_takes_post_still_refuses_head(client):
    assert client.head("/logout/").status_code == 405
