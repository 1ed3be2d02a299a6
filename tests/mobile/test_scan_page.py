"""The scan page a QR code opens on the phone: what is asked, from where, confirm or deny
(REG-5, REG-8, REG-10, seed 004 "身份验证 请使用微信扫码")."""

from contextlib import nullcontext
from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from miniport.core import clock, policy
from miniport.core.validators import make_id_number
from miniport.identities import services
from miniport.identities.models import TicketStatus
from tests.identities.support import admin_requirements, state


def scan_path(ticket) -> str:
    return reverse("mobile:scan", args=[ticket.token])


def test_scan_url_is_the_scan_page_of_the_ticket(ticket_of):
    ticket = ticket_of()
    assert services.scan_url(ticket).endswith(scan_path(ticket))
    assert scan_path(ticket) == f"/m/scan/{ticket.token}/"


def test_a_visitor_is_sent_to_sign_in_and_back(client, ticket_of):
    ticket = ticket_of()
    response = client.get(scan_path(ticket))
    assert response.status_code == 302
    assert (
        response["Location"] == reverse("mobile:login") + f"?next=%2Fm%2Fscan%2F{ticket.token}%2F"
    )
    assert state(ticket)["status"] == TicketStatus.PENDING


def test_scan_page_shows_what_is_asked_and_the_requesting_address_and_device(
    make_identity, phone_of, ticket_of
):
    """REG-10: the phone shows where the request comes from, so a stranger's request is seen."""
    identity = make_identity()
    ticket = ticket_of(purpose="login", expected_identity=identity, summary="login of a@b.c")
    response = phone_of(identity, language="en").get(scan_path(ticket))
    page = response.content.decode()
    assert response.status_code == 200
    assert "console login" in page
    assert "login of a@b.c" in page
    assert '<dd data-testid="ticket-ip">203.0.113.7</dd>' in page
    assert '<dd data-testid="ticket-device">Chrome 120 · Windows 10</dd>' in page
    ttl = policy.value("qr.ticket_ttl_seconds")
    assert f'data-seconds-left="{ttl}"' in page or f'data-seconds-left="{ttl - 1}"' in page
    assert 'value="confirm"' in page and 'value="deny"' in page
    assert "miniport/mobile-scan.js" in page


def test_time_left_counts_down(make_identity, phone_of, ticket_of):
    identity = make_identity()
    ticket = ticket_of(expected_identity=identity)
    phone = phone_of(identity)
    with time_machine.travel(ticket.created_at + timedelta(seconds=100), tick=False):
        page = phone.get(scan_path(ticket)).content.decode()
    left = policy.value("qr.ticket_ttl_seconds") - 100
    assert f'data-seconds-left="{left}">{left // 60}:{left % 60:02d}</strong>' in page


def test_opening_the_scan_page_marks_the_ticket_scanned(make_identity, phone_of, ticket_of):
    identity = make_identity()
    ticket = ticket_of(expected_identity=identity)
    phone_of(identity).get(scan_path(ticket))
    assert state(ticket)["status"] == TicketStatus.SCANNED


def test_confirming_on_the_phone_confirms_the_ticket(make_identity, phone_of, ticket_of):
    """REG-10: the bound identity confirms the second login step by scan."""
    identity = make_identity()
    ticket = ticket_of(purpose="login", expected_identity=identity)
    phone = phone_of(identity)
    phone.get(scan_path(ticket))
    response = phone.post(scan_path(ticket), {"decision": "confirm"})
    assert response.status_code == 200
    assert 'data-status="confirmed"' in response.content.decode()
    after = state(ticket)
    assert after["status"] == TicketStatus.CONFIRMED
    assert after["confirmed_by"] == identity.pk


def test_denying_on_the_phone_denies_the_ticket(make_identity, phone_of, ticket_of):
    identity = make_identity()
    ticket = ticket_of(purpose="login", expected_identity=identity)
    response = phone_of(identity).post(scan_path(ticket), {"decision": "deny"})
    assert 'data-status="denied"' in response.content.decode()
    assert state(ticket)["status"] == TicketStatus.DENIED


@pytest.mark.parametrize("decision", [None, "", "maybe", "CONFIRM"])
def test_an_unknown_decision_changes_nothing(make_identity, phone_of, ticket_of, decision):
    identity = make_identity()
    ticket = ticket_of(expected_identity=identity)
    phone = phone_of(identity)
    before = state(ticket)
    data = {} if decision is None else {"decision": decision}
    response = phone.post(scan_path(ticket), data)
    assert response.status_code == 400
    assert 'data-code="INVALID_ARGS"' in response.content.decode()
    assert state(ticket) == before


@pytest.mark.parametrize("token", ["not-a-real-token", "%00", "x" * 400, "%E4%BD%A0"])
def test_an_unknown_code_is_not_found_with_a_message(make_identity, phone_of, token):
    phone = phone_of(make_identity())
    for response in (
        phone.get(f"/m/scan/{token}/"),
        phone.post(f"/m/scan/{token}/", {"decision": "confirm"}),
    ):
        assert response.status_code == 404
        assert "二维码无效" in response.content.decode()


def _expired(ticket):
    later = ticket.created_at + timedelta(seconds=policy.value("qr.ticket_ttl_seconds") + 1)
    return time_machine.travel(later, tick=False)


def _years_ago(years: int) -> date:
    today = clock.today()
    return today.replace(year=today.year - years)


def _case_expired(make_identity, ticket_of, computer):
    identity = make_identity()
    return identity, ticket_of(expected_identity=identity), _expired


def _case_used(make_identity, ticket_of, computer):
    identity = make_identity()
    ticket = ticket_of(purpose="login", expected_identity=identity)
    services.ticket_confirm(identity=identity, token=ticket.token)
    services.ticket_consume(
        token=ticket.token, session_key=computer.session.session_key, purpose="login"
    )
    return identity, ticket, None


def _case_denied(make_identity, ticket_of, computer):
    identity = make_identity()
    ticket = ticket_of(expected_identity=identity)
    services.ticket_deny(identity=identity, token=ticket.token)
    return identity, ticket, None


def _case_wrong_identity(make_identity, ticket_of, computer):
    return make_identity(), ticket_of(purpose="login", expected_identity=make_identity()), None


def _admin_check(ticket_of, real_name, id_number):
    return ticket_of(purpose="admin_check", requirements=admin_requirements(real_name, id_number))


def _case_not_real_name(make_identity, ticket_of, computer):
    identity = make_identity(real_name="", id_number="")
    return identity, _admin_check(ticket_of, "李雷", make_id_number(date(1990, 1, 1))), None


def _case_underage(make_identity, ticket_of, computer):
    minor = make_identity(real_name="韩梅梅", born=_years_ago(17))
    return minor, _admin_check(ticket_of, "韩梅梅", minor.id_number), None


def _case_name_mismatch(make_identity, ticket_of, computer):
    identity = make_identity(real_name="李雷")
    return identity, _admin_check(ticket_of, "王五", identity.id_number), None


def _case_id_mismatch(make_identity, ticket_of, computer):
    identity = make_identity(real_name="李雷", born=date(1985, 3, 2))
    return (
        identity,
        _admin_check(ticket_of, "李雷", make_id_number(date(1985, 3, 2), sequence=999)),
        None,
    )


REFUSALS = [
    (_case_expired, "TICKET_EXPIRED", "二维码已过期", "the QR code has expired"),
    (_case_used, "TICKET_USED", "二维码已使用", "already been used"),
    (_case_denied, "TICKET_DENIED", "扫码方已拒绝", "the scan was denied"),
    (
        _case_wrong_identity,
        "TICKET_WRONG_IDENTITY",
        "请使用绑定的管理员超级应用号扫码",
        "bound administrator",
    ),
    (_case_not_real_name, "IDENTITY_NOT_REAL_NAME", "未完成实名认证", "not real-name verified"),
    (_case_underage, "IDENTITY_UNDERAGE", "管理员须年满 18 周岁", "at least 18 years old"),
    (_case_name_mismatch, "IDENTITY_MISMATCH", "实名信息与填写的身份信息不一致", "does not match"),
    (_case_id_mismatch, "IDENTITY_MISMATCH", "实名信息与填写的身份信息不一致", "does not match"),
]


# Denying needs no qualification (see the test below), so qualification cases leave it out.
REFUSED_ATTEMPTS = [
    pytest.param(*refusal, method, id=f"{refusal[0].__name__[6:]}-{method}")
    for refusal in REFUSALS
    for method in ("get", "confirm", "deny")
    if not (method == "deny" and refusal[1].startswith("IDENTITY_"))
]


@pytest.mark.parametrize(("case", "code", "chinese", "english", "method"), REFUSED_ATTEMPTS)
def test_refusals_are_shown_clearly_and_change_nothing(
    make_identity, ticket_of, computer, phone_of, case, code, chinese, english, method
):
    """REG-5 / REG-8 / REG-10: each refused scan says why, in the page language, and the
    ticket stays exactly as it was."""
    identity, ticket, travel = case(make_identity, ticket_of, computer)
    for language, message in (("zh-hans", chinese), ("en", english)):
        phone = phone_of(identity, language=language)
        before = state(ticket)
        with travel(ticket) if travel else nullcontext():
            if method == "get":
                response = phone.get(scan_path(ticket))
            else:
                response = phone.post(scan_path(ticket), {"decision": method})
        page = response.content.decode()
        assert response.status_code == 200
        assert f'data-code="{code}"' in page
        assert message in page
        assert f'lang="{language}"' in page
        assert state(ticket) == before


def test_an_unqualified_identity_may_still_deny_a_request_it_did_not_start(
    make_identity, ticket_of, phone_of
):
    """Someone shown an administrator check they did not expect can say no."""
    identity = make_identity(real_name="", id_number="")
    ticket = _admin_check(ticket_of, "李雷", make_id_number(date(1990, 1, 1)))
    response = phone_of(identity).post(scan_path(ticket), {"decision": "deny"})
    assert 'data-status="denied"' in response.content.decode()
    assert state(ticket)["status"] == TicketStatus.DENIED


def test_a_wrong_identity_is_offered_to_switch(make_identity, ticket_of, phone_of):
    stranger = make_identity()
    ticket = ticket_of(purpose="login", expected_identity=make_identity())
    page = phone_of(stranger).get(scan_path(ticket)).content.decode()
    assert 'data-testid="switch-identity"' in page
    assert f'name="next" value="{scan_path(ticket)}"' in page


def test_switching_identity_leads_back_to_the_scan_page(make_identity, ticket_of, phone_of):
    stranger = make_identity()
    ticket = ticket_of(purpose="login", expected_identity=make_identity())
    response = phone_of(stranger).post(reverse("mobile:logout"), {"next": scan_path(ticket)})
    assert response["Location"] == (
        reverse("mobile:login") + f"?next=%2Fm%2Fscan%2F{ticket.token}%2F"
    )
