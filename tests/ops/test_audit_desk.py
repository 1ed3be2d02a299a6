"""B-7: the platform-wide, hash-chained audit log, with the chain checked on view."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from miniport.core import audit
from miniport.core.actors import Actor
from miniport.core.models import AuditEntry
from miniport.core.services import policy_set_override

pytestmark = pytest.mark.django_db


def entries(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'<tr data-entry="(\d+)"', response.content.decode())]


@pytest.fixture
def some_history(db):
    actor = Actor.system("tests")
    audit.record(actor, "miniprogram.create", appid="wx0000000000000001", after={"n": 1})
    audit.record(actor, "registration.transition", appid="wx0000000000000002", after={"n": 2})
    audit.record(actor, "registration.confirm", appid="wx0000000000000001", after={"n": 3})
    return list(AuditEntry.objects.order_by("id"))


def test_the_log_shows_the_chain_intact_and_the_newest_entry_first(staff_client, some_history):
    response = staff_client.get(reverse("ops:audit"))
    html = response.content.decode()
    assert 'data-chain="intact"' in html
    shown = entries(response)
    assert shown == sorted(shown, reverse=True)
    assert {e.pk for e in some_history} <= set(shown)


def test_a_row_changed_behind_the_platforms_back_breaks_the_chain_on_the_page(
    staff_client, some_history
):
    """B-7: tampering shows, and names the first broken entry."""
    tampered = some_history[1]
    AuditEntry.objects.filter(pk=tampered.pk).update(after={"n": 999})
    html = staff_client.get(reverse("ops:audit")).content.decode()
    assert 'data-chain="broken"' in html
    assert 'data-chain="intact"' not in html
    assert f'<tr data-entry="{tampered.pk}" class="broken">' in html


def test_a_deleted_row_shows_on_its_chain_and_after_the_scheduled_verification(
    staff_client, some_history
):
    """Issue 9 item 7: the page verifies the chain it shows (the filtered mini program's)
    from its latest checkpoint; other chains show the stored result of `audit.verify`."""
    removed = some_history[1]
    AuditEntry.objects.filter(pk=removed.pk)._raw_delete(AuditEntry.objects.db)
    url = reverse("ops:audit")
    html = staff_client.get(url, {"appid": removed.appid}).content.decode()
    assert 'data-chain="broken"' in html
    assert audit.verify() is not None  # the scheduled `miniport audit verify --recent`
    html = staff_client.get(url).content.decode()
    assert 'data-chain="broken"' in html
    assert 'data-chain="intact"' not in html


def test_the_log_filters_by_action_and_appid(staff_client, some_history):
    create, transition, confirm = some_history
    url = reverse("ops:audit")
    assert entries(staff_client.get(url, {"action": "registration."})) == [
        confirm.pk,
        transition.pk,
    ]
    assert entries(staff_client.get(url, {"action": "registration.confirm"})) == [confirm.pk]
    assert entries(staff_client.get(url, {"appid": "wx0000000000000001"})) == [
        confirm.pk,
        create.pk,
    ]
    assert (
        entries(staff_client.get(url, {"action": "miniprogram.", "appid": "wx0000000000000002"}))
        == []
    )


def test_the_log_is_paginated_by_the_policy_page_size(staff_client, some_history):
    """Keyset pages: older than the last entry shown, and back to the newer ones."""
    policy_set_override(actor=Actor.system("tests"), key="ops.page_size", value=2)
    url = reverse("ops:audit")
    first_page = staff_client.get(url)
    first = entries(first_page)
    assert len(first) == 2
    assert 'data-testid="newer"' not in first_page.content.decode()
    second_page = staff_client.get(url, {"before": first[-1]})
    second = entries(second_page)
    assert second and first[-1] > second[0]
    assert not set(first) & set(second)
    back = entries(staff_client.get(url, {"after": second[0]}))
    assert back == first[-2:] or back == first
    assert 'data-testid="newer"' in second_page.content.decode()


def test_a_position_past_the_newest_entry_offers_no_newer_page(staff_client, some_history):
    """?before= beyond every entry shows the newest ones, with no link to newer ones that
    do not exist; ?after= before every entry shows no link to older ones."""
    url = reverse("ops:audit")
    html = staff_client.get(url, {"before": "99999999"}).content.decode()
    assert 'data-entry="' in html and 'data-testid="newer"' not in html
    oldest = min(e.pk for e in AuditEntry.objects.all())
    policy_set_override(actor=Actor.system("tests"), key="ops.page_size", value=2)
    html = staff_client.get(url, {"after": oldest - 1}).content.decode()
    assert 'data-testid="older"' not in html and 'data-testid="newer"' in html


def test_bad_page_positions_answer_the_newest_page(staff_client, some_history):
    url = reverse("ops:audit")
    newest = entries(staff_client.get(url))
    for position in ({"before": "x"}, {"before": "-3"}, {"after": "1e9"}):
        response = staff_client.get(url, position)
        assert response.status_code == 200
        assert entries(response) == newest


def test_staff_actions_from_the_desk_appear_in_the_log(staff_client, staff):
    staff_client.post(reverse("ops:policy_set"), {"key": "ops.page_size", "value": "30"})
    html = staff_client.get(reverse("ops:audit"), {"action": "policy."}).content.decode()
    assert "policy.override_set" in html
    assert staff.email in html


def test_personal_numbers_never_reach_the_page(staff_client):
    audit.record(Actor.system("tests"), "registration.sms_sent", after={"phone": "13912345678"})
    html = staff_client.get(reverse("ops:audit")).content.decode()
    assert "13912345678" not in html


def test_filtering_by_an_unknown_appid_answers_an_empty_intact_page_and_stores_nothing(
    staff_client, some_history
):
    from miniport.core.models import AuditChainCheck

    response = staff_client.get(reverse("ops:audit"), {"appid": "wx0000000000000404"})
    assert response.status_code == 200
    assert entries(response) == []
    assert 'data-chain="intact"' in response.content.decode()
    assert not AuditChainCheck.objects.filter(chain="wx0000000000000404").exists()
