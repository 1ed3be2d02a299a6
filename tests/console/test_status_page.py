"""REG-11: the state of a registration is always visible."""

from __future__ import annotations

import pytest

from miniport.accounts.models import Registration
from miniport.accounts.services import registration_fail, registration_verify
from miniport.core.actors import Actor
from tests.console.conftest import en_client

pytestmark = pytest.mark.django_db

STAFF = Actor("staff", "1", "reviewer")


def state_of(client) -> str:
    response = client.get("/register/status/")
    assert response.status_code == 200
    return response.context["state"].status


def test_a_fresh_registration_waits_for_activation(journey):
    trip = journey("fresh@example.com")
    trip.register()
    page = trip.client.get("/register/status/")
    assert page.context["state"].status == "pending_activation"
    assert 'href="/register/sent/"' in page.content.decode()


def test_an_activated_account_is_in_information_registration_with_a_link_to_its_step(journey):
    trip = journey("step@example.com")
    trip.register()
    trip.activate()
    page = trip.client.get("/register/status/")
    assert page.context["state"].status == "pending_information"
    assert 'href="/register/info/"' in page.content.decode()
    trip.save_personal_subject()
    assert 'href="/register/admin/"' in trip.client.get("/register/status/").content.decode()


def test_a_personal_registration_is_active_with_a_link_to_the_console(ready_to_confirm):
    ready_to_confirm.confirm()
    page = ready_to_confirm.client.get("/register/status/")
    assert page.context["state"].status == "active"
    assert 'data-testid="console-link"' in page.content.decode()


@pytest.fixture
def certifying(journey, make_identity):
    from tests.console.conftest import id_number

    admin = make_identity("cert_admin", real_name="李四", id_number=id_number(401))
    trip = journey("wait-cert@example.com")
    trip.register()
    trip.activate()
    trip.save_organization_subject("other", "certification")
    trip.send_sms()
    trip.save_admin(admin_name="李四", admin_id_number=id_number(401))
    trip.confirm_admin(admin)
    trip.confirm()
    return trip


def test_a_failed_registration_shows_its_reason(certifying):
    """REG-11: failed, with the reason."""
    registration = Registration.objects.get(account=certifying.account)
    registration_fail(
        actor=STAFF, registration=registration, reason="certification documents forged"
    )
    page = certifying.client.get("/register/status/")
    assert page.context["state"].status == "failed"
    assert "certification documents forged" in page.content.decode()


def test_a_certified_registration_becomes_active(certifying):
    assert state_of(certifying.client) == "pending_certification"
    registration_verify(
        actor=STAFF, registration=Registration.objects.get(account=certifying.account)
    )
    assert state_of(certifying.client) == "active"


def test_nobody_sees_a_status_without_an_account(db):
    response = en_client().get("/register/status/")
    assert response.status_code == 302 and response.url == "/login/"
