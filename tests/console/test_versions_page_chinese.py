"""VER-1 in the default language: the version management page is Chinese throughout,
the development versions card's help text included (it had no catalog entry and showed
English under Chinese), and the administrator sees the "提交审核" link on each row."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.miniprograms.conftest import console_login
from tests.releases.version_support import app_fixture, upload  # noqa: F401 - the `app` fixture

pytestmark = pytest.mark.django_db


def versions_html(identity) -> str:
    client = Client()  # no Accept-Language: the platform's default, Chinese
    response = console_login(client, identity)
    assert response.status_code == 302, response
    response = client.get(reverse("console:versions"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_development_versions_card_is_chinese_with_the_submit_link(app):
    version = upload(app, "1.0.0")
    html = versions_html(app.admin)
    assert '<html lang="zh-hans">' in html
    assert "每位开发者最近一次上传的版本。每次上传都保留在历史记录中。" in html
    assert "Each developer" not in html and "Every upload is kept" not in html
    submit = f"{reverse('console:versions_submit')}?version={version.pk}"
    assert f'href="{submit}" data-testid="submit-link">提交审核</a>' in html
