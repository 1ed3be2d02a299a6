"""REG-6 / REG-7 / REG-11: organizations verify by remittance or by certification."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from miniport.accounts.errors import AccountError
from miniport.accounts.models import (
    CertificationOrder,
    Registration,
    RegistrationStatus,
    Remittance,
)
from miniport.accounts.selectors import yuan
from miniport.core import clock, policy
from tests.console.conftest import ORG_NAME, id_number

pytestmark = pytest.mark.django_db

ADMIN_NAME = "李四"


@pytest.fixture
def org_admin(make_identity):
    return make_identity("lisi_admin", real_name=ADMIN_NAME, id_number=id_number(401))


def register_organization(journey, org_admin, subject_type: str, method: str, email: str):
    trip = journey(email)
    trip.register()
    trip.activate()
    assert trip.save_organization_subject(subject_type, method).status_code == 302
    trip.send_sms()
    response = trip.save_admin(admin_name=ADMIN_NAME, admin_id_number=id_number(401))
    assert response.status_code == 302
    assert trip.confirm_admin(org_admin).status_code == 302
    response = trip.confirm()
    assert response.status_code == 302 and response.url == "/register/status/"
    return trip


def test_enterprise_remittance_shows_amount_account_reference_and_deadline(journey, org_admin):
    """REG-6a / REG-11: after the subject is submitted, what to remit, where, and by when."""
    trip = register_organization(journey, org_admin, "enterprise", "remittance", "corp@example.com")
    remittance = Remittance.objects.get(registration__account=trip.account)
    page = trip.client.get("/register/status/")
    html = page.content.decode()
    assert 'data-status="pending_remittance"' in html
    assert yuan(remittance.amount_fen) in html
    assert remittance.receiving_account_name in html
    assert remittance.receiving_account_number in html
    assert remittance.receiving_bank in html
    assert remittance.reference in html
    assert ORG_NAME in html
    assert page.context["state"].days_left == policy.value("registration.remittance_window_days")
    assert (
        clock.local_now().date() + timedelta(days=10)
        == page.context["state"].deadline.astimezone(clock.local_now().tzinfo).date()
    )


def test_a_remittance_not_received_in_time_reads_as_failed(journey, org_admin):
    """REG-6a / REG-11: ten days without the money, the registration fails."""
    trip = register_organization(journey, org_admin, "enterprise", "remittance", "late@example.com")
    with time_machine.travel(clock.now() + timedelta(days=10, seconds=1), tick=False):
        trip.client.force_login(trip.account)  # sessions end after 12 hours: signs in again
        page = trip.client.get("/register/status/")
    html = page.content.decode()
    assert 'data-status="failed"' in html
    assert AccountError.REMITTANCE_EXPIRED.message("zh-hans") in html


def test_enterprise_certification_shows_the_fee_order(journey, org_admin):
    """REG-6b: certification with the 300 CNY fee; the order and its status are shown."""
    trip = register_organization(
        journey, org_admin, "enterprise", "certification", "cert@example.com"
    )
    order = CertificationOrder.objects.get(registration__account=trip.account)
    assert order.amount_fen == policy.value("registration.certification_fee_fen")
    html = trip.client.get("/register/status/").content.decode()
    assert 'data-status="pending_certification"' in html
    assert "300.00" in html
    assert 'data-testid="certification-status"' in html


def test_a_government_registers_through_certification(journey, org_admin):
    """REG-7: government subjects are verified by certification."""
    trip = register_organization(
        journey, org_admin, "government", "certification", "gov@example.com"
    )
    registration = Registration.objects.get(account=trip.account)
    assert registration.status == RegistrationStatus.PENDING_CERTIFICATION
    assert registration.subject.verification_method == "certification"
    assert not Remittance.objects.filter(registration=registration).exists()


def test_a_waiting_organization_still_enters_its_console(journey, org_admin):
    """REG-11: the console home shows the registration state badge."""
    trip = register_organization(journey, org_admin, "media", "certification", "media@example.com")
    home = trip.client.get("/")
    assert home.status_code == 200
    assert 'data-status="pending_certification"' in home.content.decode()
