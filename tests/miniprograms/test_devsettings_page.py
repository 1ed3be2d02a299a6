"""DEV-1: Settings › Development settings shows the AppID; who may open the page and
make changes comes from the permission table."""

from __future__ import annotations

import pytest
from django.test import Client


def test_the_page_shows_the_appid(team, console_as):
    """DEV-1: the AppID is shown under Settings, Development settings."""
    page = console_as(team.admin).get("/settings/dev/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'data-testid="appid">{team.miniprogram.appid}<' in html
    assert 'data-testid="secret-reset"' in html


def test_a_developer_sees_the_page_but_cannot_reset_the_secret(
    team, console_as, make_identity, add_member
):
    """DEV-1/MEM-5: developers hold the development module; the AppSecret is the
    administrator's."""
    dev = make_identity("dev_wx")
    add_member(team, dev, roles=("developer",))
    client = console_as(dev, team.miniprogram.appid)
    page = client.get("/settings/dev/")
    assert page.status_code == 200 and team.miniprogram.appid in page.content.decode()
    assert 'data-testid="secret-reset"' not in page.content.decode()
    assert client.post("/settings/dev/secret/").status_code == 403


@pytest.mark.parametrize("role", ["operator", "data_analyst"])
def test_roles_without_the_development_module_get_404(
    team, console_as, make_identity, add_member, role
):
    member = make_identity(f"{role[:4]}_member_wx")
    add_member(team, member, roles=(role,))
    client = console_as(member, team.miniprogram.appid)
    for path in ("/settings/dev/", "/settings/dev/domains/", "/settings/dev/push/"):
        assert client.get(path).status_code == 404, path


def test_without_a_console_session_the_page_sends_to_login(db):
    response = Client().get("/settings/dev/")
    assert response.status_code == 302 and "/login/" in response.url
