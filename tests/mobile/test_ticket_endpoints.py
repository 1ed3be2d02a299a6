"""The QR image and status endpoints the requesting console page uses (REG-8, REG-10).
Both answer only the browser session that asked for the ticket."""

import io
from datetime import timedelta

import pytest
import time_machine
import zxingcpp
from django.test import Client
from django.urls import reverse
from PIL import Image

from miniport.core import policy
from miniport.identities import services
from miniport.identities.models import TicketStatus
from tests.identities.support import state


def qr_path(ticket) -> str:
    return reverse("mobile:ticket_qr", args=[ticket.token])


def status_path(ticket) -> str:
    return reverse("mobile:ticket_status", args=[ticket.token])


def test_endpoint_paths_are_the_agreed_ones(ticket_of):
    ticket = ticket_of()
    assert qr_path(ticket) == f"/m/tickets/{ticket.token}/qr.png"
    assert status_path(ticket) == f"/m/tickets/{ticket.token}/status"


def test_qr_image_is_a_png_that_decodes_to_the_scan_url(computer, ticket_of):
    """REG-10: the QR code shown on the computer opens the ticket's scan page."""
    ticket = ticket_of(purpose="login")
    response = computer.get(qr_path(ticket))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "no-store"
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG"
    decoded = zxingcpp.read_barcodes(image.convert("L"))
    assert [code.text for code in decoded] == [services.scan_url(ticket)]
    assert decoded[0].format == zxingcpp.BarcodeFormat.QRCode


def test_another_browser_gets_no_qr_image(ticket_of):
    ticket = ticket_of()
    stranger = Client()
    stranger.session  # noqa: B018 - a session of its own
    assert stranger.get(qr_path(ticket)).status_code == 404
    assert Client().get(qr_path(ticket)).status_code == 404


def test_another_browser_gets_no_status(ticket_of):
    """A foreign session learns nothing: not even that the ticket exists."""
    ticket = ticket_of()
    stranger = Client()
    stranger.session  # noqa: B018
    before = state(ticket)
    assert stranger.get(status_path(ticket)).status_code == 404
    assert Client().get(status_path(ticket)).status_code == 404
    assert state(ticket) == before


@pytest.mark.parametrize("token", ["nope", "x" * 500, "%00"])
def test_unknown_tickets_are_not_found(computer, token):
    assert computer.get(f"/m/tickets/{token}/qr.png").status_code == 404
    assert computer.get(f"/m/tickets/{token}/status").status_code == 404


def test_endpoints_only_answer_get(computer, ticket_of):
    ticket = ticket_of()
    assert computer.post(qr_path(ticket)).status_code == 405
    assert computer.post(status_path(ticket)).status_code == 405


def test_status_follows_the_ticket_through_its_life(make_identity, computer, phone_of, ticket_of):
    """REG-10: pending, scanned, confirmed, then consumed once the console used it."""
    identity = make_identity()
    ticket = ticket_of(purpose="login", expected_identity=identity)
    phone = phone_of(identity)

    def status():
        response = computer.get(status_path(ticket))
        assert response.status_code == 200
        assert response["Cache-Control"] == "no-store"
        return response.json()

    assert status() == {"status": "pending"}
    phone.get(reverse("mobile:scan", args=[ticket.token]))
    assert status() == {"status": "scanned"}
    phone.post(reverse("mobile:scan", args=[ticket.token]), {"decision": "confirm"})
    assert status() == {"status": "confirmed"}
    services.ticket_consume(
        token=ticket.token, session_key=computer.session.session_key, purpose="login"
    )
    assert status() == {"status": "consumed"}


def test_status_reports_denial(make_identity, computer, phone_of, ticket_of):
    identity = make_identity()
    ticket = ticket_of(expected_identity=identity)
    phone_of(identity).post(reverse("mobile:scan", args=[ticket.token]), {"decision": "deny"})
    assert computer.get(status_path(ticket)).json() == {"status": "denied"}


def test_status_reports_expiry(computer, ticket_of):
    ticket = ticket_of()
    later = ticket.created_at + timedelta(seconds=policy.value("qr.ticket_ttl_seconds"))
    with time_machine.travel(later, tick=False):
        assert computer.get(status_path(ticket)).json() == {"status": "expired"}
    assert state(ticket)["status"] == TicketStatus.PENDING


def test_the_same_browser_keeps_its_ticket_after_signing_in_on_the_phone_pages(
    settings, make_identity, computer, ticket_of
):
    """Demo on one computer: the console tab shows the QR code, another tab signs in as the
    identity (which renews the session key) and confirms; the console tab still sees it."""
    settings.DEMO_MODE = True
    identity = make_identity("demo_admin", is_demo=True)
    ticket = ticket_of(purpose="login", expected_identity=identity)
    old_key = computer.session.session_key
    computer.post(reverse("mobile:demo_login"), {"identity": identity.pk})
    assert computer.session.session_key != old_key
    computer.post(reverse("mobile:scan", args=[ticket.token]), {"decision": "confirm"})
    assert computer.get(status_path(ticket)).json() == {"status": "confirmed"}
    assert computer.get(qr_path(ticket)).status_code == 200
    used = services.ticket_consume(
        token=ticket.token, session_key=computer.session.session_key, purpose="login"
    )
    assert used.status == TicketStatus.CONSUMED
