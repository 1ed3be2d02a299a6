"""An empty AppID or enterprise ID on the association forms is asked for on its field,
not answered with the services' "no such mini program: " naming nothing (WW-2)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from miniport.links.enterprise.models import Association
from tests.links.enterprise.test_console_pages import console
from tests.links.linked_console import linked

pytestmark = pytest.mark.django_db


def test_an_empty_appid_in_the_enterprise_console_asks_for_one_on_its_field(corp):
    client = linked(corp.admin)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = client.post(reverse("console:enterprise_apps", args=[corp.corp_id]), {"appid": ""})
    html = page.content.decode()
    assert "Enter the AppID of the mini program." in html
    assert "No such mini program" not in html
    assert Association.objects.count() == 0


def test_an_empty_enterprise_id_on_the_mini_programs_page_asks_for_one_on_its_field(live_app):
    client = console(live_app.admin, live_app.miniprogram.appid)
    page = client.post(reverse("console:links_enterprise_act"), {"op": "start", "corp_id": " "})
    html = page.content.decode()
    assert page.status_code == 400
    assert "Enter the ID of the enterprise." in html
    assert "No such enterprise" not in html
    assert Association.objects.count() == 0
