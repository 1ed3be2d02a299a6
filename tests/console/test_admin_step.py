"""REG-5 / REG-8: the administrator's phone with an SMS code, and the QR identity check."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client

from miniport.accounts.errors import AccountError
from miniport.accounts.models import SmsCode
from miniport.core import clock, sms
from miniport.core.errors import CoreError, PlatformError
from miniport.identities import services as identity_services
from miniport.identities.errors import IdentityError
from miniport.identities.models import Identity, QrTicket
from tests.console.conftest import PHONE, draft_of, id_number, sms_code

pytestmark = pytest.mark.django_db


def form_errors(response, field: str) -> list[str]:
    return list(response.context["form"].errors.get(field, []))


@pytest.fixture
def phone_saved(at_admin_step):
    at_admin_step.send_sms()
    assert at_admin_step.save_admin().status_code == 302
    return at_admin_step


def test_get_code_sends_a_six_digit_sms_through_the_backend(at_admin_step):
    """REG-5: a 6-digit SMS code to the administrator's phone."""
    response = at_admin_step.send_sms()
    assert response.status_code == 200
    assert response.context["sms_sent"] == PHONE
    assert len(sms_code(PHONE)) == 6
    assert 'value="13800138000"' in response.content.decode()


def test_asking_again_at_once_is_refused_on_the_phone_field(at_admin_step):
    at_admin_step.send_sms()
    response = at_admin_step.send_sms()
    assert form_errors(response, "phone")
    assert form_errors(response, "phone")[0].startswith(
        AccountError.SMS_TOO_FREQUENT.value[1].split("{")[0]
    )
    assert len(sms.messages_to(PHONE)) == 1


def test_an_invalid_phone_is_refused(at_admin_step):
    response = at_admin_step.send_sms("12345")
    assert form_errors(response, "phone") == [CoreError.PHONE_INVALID.message("zh-hans")]
    assert not SmsCode.objects.exists()


def test_a_wrong_code_is_refused_and_the_phone_stays_unverified(at_admin_step):
    """REG-5: the phone is verified only by the right code."""
    at_admin_step.send_sms()
    right = sms_code(PHONE)
    wrong = "000000" if right != "000000" else "111111"
    response = at_admin_step.save_admin(code=wrong)
    assert response.status_code == 200
    assert form_errors(response, "sms_code") == [AccountError.SMS_CODE_INVALID.message("zh-hans")]
    assert draft_of(at_admin_step.account).phone_verified == ""


def test_personal_administrator_is_the_registered_person(at_admin_step):
    """REG-5: no separate administrator fields for a personal subject."""
    html = at_admin_step.client.get("/register/admin/").content.decode()
    assert 'name="admin_name"' not in html and 'name="admin_id_number"' not in html
    assert 'name="phone"' in html and 'name="sms_code"' in html
    assert 'formaction="/register/sms/"' in html
    assert id_number() not in html


def test_organizations_name_their_administrator(journey):
    """REG-8: administrator name and ID number, phone and SMS code."""
    trip = journey("org-admin@example.com")
    trip.register()
    trip.activate()
    trip.save_organization_subject("enterprise", "certification")
    html = trip.client.get("/register/admin/").content.decode()
    assert 'name="admin_name"' in html and 'name="admin_id_number"' in html
    trip.send_sms()
    response = trip.save_admin(admin_name="", admin_id_number=id_number(401))
    assert form_errors(response, "admin_name") == [CoreError.FIELD_REQUIRED.message("zh-hans")]
    assert draft_of(trip.account).phone_verified == ""
    response = trip.save_admin(admin_name="李四", admin_id_number=id_number(401))
    assert response.status_code == 302
    assert draft_of(trip.account).data["admin_name"] == "李四"


def test_after_the_phone_the_page_shows_the_qr_ticket_of_this_session(phone_saved):
    """REG-5: the administrator identity is checked by a QR scan."""
    html = phone_saved.client.get("/register/admin/").content.decode()
    token = draft_of(phone_saved.account).admin_check_ticket
    assert token
    assert f'src="/m/tickets/{token}/qr.png"' in html
    assert f'data-status-url="/m/tickets/{token}/status"' in html
    assert 'data-confirm-url="/register/admin/check/"' in html
    assert f"/m/scan/{token}/" in html
    assert "miniport/ticket-poll" in html
    image = phone_saved.client.get(f"/m/tickets/{token}/qr.png")
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")
    assert Client().get(f"/m/tickets/{token}/qr.png").status_code == 404


def test_reloading_the_page_keeps_the_live_ticket(phone_saved):
    phone_saved.client.get("/register/admin/")
    token = draft_of(phone_saved.account).admin_check_ticket
    phone_saved.client.get("/register/admin/")
    assert draft_of(phone_saved.account).admin_check_ticket == token
    assert QrTicket.objects.filter(purpose="admin_check").count() == 1


def test_the_matching_identity_confirms_and_the_wizard_continues(phone_saved, personal_admin):
    """REG-5: a real-name identity that matches the subject confirms."""
    response = phone_saved.confirm_admin(personal_admin)
    assert response.status_code == 302 and response.url == "/register/confirm/"
    assert draft_of(phone_saved.account).admin_identity == personal_admin
    html = phone_saved.client.get("/register/admin/").content.decode()
    assert 'data-testid="admin-checked"' in html


def test_continuing_before_the_scan_is_refused(phone_saved):
    phone_saved.admin_ticket()
    response = phone_saved.client.post("/register/admin/check/")
    assert response.status_code == 200
    assert response.context["ticket_error"] == IdentityError.TICKET_PENDING.message("zh-hans")
    assert draft_of(phone_saved.account).admin_identity is None


def test_a_denied_scan_is_shown_and_a_new_ticket_is_offered(phone_saved, personal_admin):
    token = phone_saved.admin_ticket()
    identity_services.ticket_deny(identity=personal_admin, token=token)
    response = phone_saved.client.post("/register/admin/check/")
    assert response.context["ticket_error"] == IdentityError.TICKET_DENIED.message("zh-hans")
    assert draft_of(phone_saved.account).admin_identity is None
    assert response.context["ticket"].token != token


def test_an_expired_ticket_is_refused_and_replaced(phone_saved, personal_admin):
    token = phone_saved.admin_ticket()
    identity_services.ticket_confirm(identity=personal_admin, token=token)
    with time_machine.travel(clock.now() + timedelta(seconds=181), tick=False):
        response = phone_saved.client.post("/register/admin/check/")
        assert response.context["ticket_error"] == IdentityError.TICKET_EXPIRED.message("zh-hans")
        assert response.context["ticket"].token != token
    assert draft_of(phone_saved.account).admin_identity is None


def test_another_browser_cannot_use_this_sessions_ticket(phone_saved, personal_admin):
    """QR tickets are bound to the browser session that asked for them."""
    token = phone_saved.admin_ticket()
    identity_services.ticket_confirm(identity=personal_admin, token=token)
    other = Client()
    other.force_login(phone_saved.account)
    response = other.post("/register/admin/check/")
    assert response.context["ticket_error"] == IdentityError.TICKET_FOREIGN_SESSION.message(
        "zh-hans"
    )
    assert draft_of(phone_saved.account).admin_identity is None
    assert QrTicket.objects.get(token=token).status == "confirmed"


def test_another_person_cannot_confirm(phone_saved, make_identity):
    """REG-5: the scanning identity must match the given name and ID number."""
    token = phone_saved.admin_ticket()
    stranger = make_identity("stranger", real_name="李四", id_number=id_number(555))
    with pytest.raises(PlatformError) as refused:
        identity_services.ticket_confirm(identity=stranger, token=token)
    assert refused.value.code == IdentityError.IDENTITY_MISMATCH
    response = phone_saved.client.post("/register/admin/check/")
    assert response.context["ticket_error"] == IdentityError.TICKET_PENDING.message("zh-hans")
    assert draft_of(phone_saved.account).admin_identity is None


def test_an_identity_that_no_longer_matches_is_refused_at_use(phone_saved, personal_admin):
    """REG-5: the match is checked again when the confirmed scan is used."""
    token = phone_saved.admin_ticket()
    identity_services.ticket_confirm(identity=personal_admin, token=token)
    Identity.objects.filter(pk=personal_admin.pk).update(real_name="王五")
    response = phone_saved.client.post("/register/admin/check/")
    assert response.context["ticket_error"] == IdentityError.IDENTITY_MISMATCH.message("zh-hans")
    assert draft_of(phone_saved.account).admin_identity is None


def test_the_confirmation_step_waits_for_the_identity_check(phone_saved):
    response = phone_saved.client.get("/register/confirm/")
    assert response.status_code == 302 and response.url == "/register/admin/"
    response = phone_saved.client.post("/register/confirm/", {"understood": "on"})
    assert response.status_code == 302
    assert not hasattr(phone_saved.account, "miniprogram")


@pytest.mark.parametrize(
    "data",
    [{}, {"phone": "x" * 500, "sms_code": "y" * 500}, {"phone": ["1", "2"], "admin_name": "\x00"}],
)
def test_garbage_never_breaks_the_administrator_pages(at_admin_step, data):
    for path in ("/register/admin/", "/register/sms/", "/register/admin/check/"):
        response = at_admin_step.client.post(path, data)
        assert response.status_code in (200, 302), path
    assert draft_of(at_admin_step.account).phone_verified == ""
