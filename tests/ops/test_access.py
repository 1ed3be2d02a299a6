"""The ops desk is for staff only: anonymous visitors sign in first, console accounts
are told nothing exists (404)."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

# (url name, kwargs, method): every page and action of the desk.
OPS_URLS = [
    ("ops:home", {}, "get"),
    ("ops:registrations", {}, "get"),
    ("ops:registration_detail", {"pk": 1}, "get"),
    ("ops:registration_verify", {"pk": 1}, "post"),
    ("ops:registration_fail", {"pk": 1}, "post"),
    ("ops:remittance_import", {}, "get"),
    ("ops:remittance_import", {}, "post"),
    ("ops:remittance_statement", {"pk": 1}, "get"),
    ("ops:remittance_line_assign", {"pk": 1}, "post"),
    ("ops:remittance_line_dismiss", {"pk": 1}, "post"),
    ("ops:policy", {}, "get"),
    ("ops:policy_set", {}, "post"),
    ("ops:policy_clear", {}, "post"),
    ("ops:audit", {}, "get"),
]
IDS = [f"{method}-{name.split(':')[1]}" for name, _kwargs, method in OPS_URLS]


@pytest.mark.parametrize(("name", "kwargs", "method"), OPS_URLS, ids=IDS)
def test_an_anonymous_visitor_is_sent_to_the_staff_sign_in(client, name, kwargs, method):
    url = reverse(name, kwargs=kwargs)
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("ops:login"))


@pytest.mark.parametrize(("name", "kwargs", "method"), OPS_URLS[1:], ids=IDS[1:])
def test_a_signed_in_console_account_gets_not_found(client, console_account, name, kwargs, method):
    client.force_login(console_account)
    response = getattr(client, method)(
        reverse(name, kwargs=kwargs), {"key": "ops.page_size", "value": "1"}
    )
    assert response.status_code == 404


def test_a_console_account_changes_nothing_through_the_desk(client, console_account):
    from miniport.core import policy
    from miniport.core.models import AuditEntry, PolicyOverride

    client.force_login(console_account)
    client.post(reverse("ops:policy_set"), {"key": "ops.page_size", "value": "1"})
    assert PolicyOverride.objects.count() == 0
    assert policy.value("ops.page_size") == 50
    assert not AuditEntry.objects.filter(action__startswith="policy.").exists()


def test_a_staff_account_sees_every_desk_page(staff_client):
    for name in ("ops:registrations", "ops:remittance_import", "ops:policy", "ops:audit"):
        response = staff_client.get(reverse(name))
        assert response.status_code == 200, name


def test_the_desk_navigation_lists_every_desk_and_marks_the_current_one(staff_client):
    from miniport.ops.nav import NAV

    response = staff_client.get(reverse("ops:policy"))
    html = response.content.decode()
    for item in NAV:
        assert f'href="{reverse(item.url_name)}"' in html
    assert f'<a href="{reverse("ops:policy")}" class="active"' in html
    assert f'<a href="{reverse("ops:audit")}" class="active"' not in html
