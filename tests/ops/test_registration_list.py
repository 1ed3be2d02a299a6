"""REG-11: staff see every registration with its state, deadline and days left;
opening the list writes down the 10-day failures (REG-6)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from miniport.accounts.models import RegistrationStatus
from miniport.accounts.services import account_register
from tests.ops.journeys import PASSWORD

pytestmark = pytest.mark.django_db
START = datetime(2025, 3, 3, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def row_of(html: str, registration) -> str:
    found = re.search(rf'<tr data-registration="{registration.pk}">(.*?)</tr>', html, re.S)
    assert found, f"registration {registration.pk} is not listed"
    return found.group(1)


def listed(response) -> set[int]:
    return {int(pk) for pk in re.findall(r'data-registration="(\d+)"', response.content.decode())}


def test_the_list_shows_email_subject_status_deadline_and_days_left(
    staff_client, registration_factory
):
    """REG-11: waiting for remittance, with the deadline and the days left."""
    with time_machine.travel(START, tick=False) as traveller:
        registration = registration_factory(
            subject_type="enterprise", method="remittance", name="深圳列表科技有限公司"
        )
        traveller.shift(timedelta(days=2, hours=3))
        html = staff_client.get(reverse("ops:registrations")).content.decode()
    row = row_of(html, registration)
    assert registration.account.email in row
    assert "深圳列表科技有限公司" in row
    assert 'data-status="pending_remittance"' in row
    assert "2025-03-13 10:00" in row  # the deadline, in the platform's time zone
    assert "8 days" in row or "8 天" in row


def test_every_state_of_a_registration_is_visible(staff_client, registration_factory):
    """REG-11: waiting for activation, remittance, certification; active; failed."""
    account_register(
        email="fresh@example.com", password=PASSWORD, password_confirm=PASSWORD, agreed=True
    )
    remittance = registration_factory(subject_type="enterprise", method="remittance")
    certification = registration_factory(subject_type="government", method="certification")
    personal = registration_factory(subject_type="personal")
    html = staff_client.get(reverse("ops:registrations")).content.decode()
    from miniport.accounts.models import Registration

    fresh = Registration.objects.get(account__email="fresh@example.com")
    assert 'data-status="pending_activation"' in row_of(html, fresh)
    assert 'data-status="pending_remittance"' in row_of(html, remittance)
    assert 'data-status="pending_certification"' in row_of(html, certification)
    assert 'data-status="active"' in row_of(html, personal)


def test_opening_the_list_writes_down_overdue_remittances_as_failed(
    staff_client, registration_factory
):
    """REG-6: after day 10 the list shows the registration failed, and it is stored so."""
    with time_machine.travel(START, tick=False) as traveller:
        registration = registration_factory(subject_type="enterprise", method="remittance")
        traveller.shift(timedelta(days=10, minutes=1))
        html = staff_client.get(reverse("ops:registrations")).content.decode()
    assert 'data-status="failed"' in row_of(html, registration)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.FAILED


def test_the_filters_narrow_the_list(staff_client, registration_factory):
    remittance = registration_factory(subject_type="enterprise", method="remittance", name="甲公司")
    certification = registration_factory(
        subject_type="enterprise", method="certification", name="乙公司"
    )
    media = registration_factory(subject_type="media", method="certification", name="丙日报社")
    url = reverse("ops:registrations")

    assert listed(staff_client.get(url, {"status": "pending_remittance"})) == {remittance.pk}
    assert listed(staff_client.get(url, {"subject_type": "media"})) == {media.pk}
    assert listed(staff_client.get(url, {"method": "certification"})) == {
        certification.pk,
        media.pk,
    }
    assert listed(staff_client.get(url, {"q": "乙公司"})) == {certification.pk}
    assert listed(staff_client.get(url, {"q": remittance.account.email.upper()})) == {remittance.pk}
    assert listed(staff_client.get(url, {"q": remittance.remittance.reference})) == {remittance.pk}
    assert listed(staff_client.get(url, {"subject_type": "media", "method": "remittance"})) == set()


def test_an_unknown_filter_value_is_ignored_without_an_error(staff_client, registration_factory):
    registration = registration_factory()
    response = staff_client.get(reverse("ops:registrations"), {"status": "bogus", "page": "x"})
    assert response.status_code == 200
    assert registration.pk in listed(response)


def test_the_list_is_paginated_by_the_policy_page_size(staff_client, registration_factory):
    """B-8: the page size is a policy row."""
    from miniport.core.actors import Actor
    from miniport.core.services import policy_set_override

    created = [registration_factory() for _ in range(3)]
    policy_set_override(actor=Actor.system("tests"), key="ops.page_size", value=2)
    first_page = staff_client.get(reverse("ops:registrations"))
    following = re.search(r'href="\?after=(\w+)"', first_page.content.decode()).group(1)
    second = listed(staff_client.get(reverse("ops:registrations"), {"after": following}))
    first = listed(first_page)
    assert len(first) == 2 and len(second) == 1
    assert first | second == {r.pk for r in created}
