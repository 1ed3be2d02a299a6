"""The scan page names the request and what confirming does in the words of the domain
that registered the ticket's purpose (REG-10, MEM-4, DEV-2, B-11)."""

import pytest
from django.urls import reverse


def scan_page(phone, ticket) -> str:
    response = phone.get(reverse("mobile:scan", args=[ticket.token]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("purpose", "label", "shows"),
    [
        ("login", "console login", "signs the computer that shows this QR code in"),
        ("member_add", "confirm adding a member", "adds this member to the mini program"),
        ("secret_reset", "generate or reset the AppSecret", "the previous one stops working"),
        ("ip_whitelist", "change the API IP whitelist", "an empty list allows every address"),
    ],
)
def test_the_phone_shows_the_registered_label_and_effect(
    make_identity, phone_of, ticket_of, purpose, label, shows
):
    """REG-10 / MEM-4 / DEV-2: accounts' and miniprograms' purposes, as they registered them."""
    identity = make_identity()
    ticket = ticket_of(purpose=purpose, expected_identity=identity)
    page = scan_page(phone_of(identity, language="en"), ticket)
    assert f'<dd data-testid="ticket-purpose">{label}</dd>' in page
    assert 'data-testid="ticket-purpose-shows"' in page and shows in page


def test_the_phone_shows_them_in_chinese_by_default(make_identity, phone_of, ticket_of):
    """B-11: the registered texts are translated like every other."""
    identity = make_identity()
    ticket = ticket_of(purpose="member_add", expected_identity=identity)
    page = scan_page(phone_of(identity), ticket)
    assert '<dd data-testid="ticket-purpose">确认添加成员</dd>' in page
    assert "确认后，该成员将按所选角色加入小程序。" in page


def test_a_purpose_with_nothing_more_to_say_shows_only_its_label(
    make_identity, phone_of, ticket_of
):
    """REG-10: the plain confirmation of identities has no explanation row."""
    identity = make_identity()
    ticket = ticket_of(purpose="generic", expected_identity=identity)
    page = scan_page(phone_of(identity, language="en"), ticket)
    assert '<dd data-testid="ticket-purpose">confirmation</dd>' in page
    assert 'data-testid="ticket-purpose-shows"' not in page


def test_adding_an_experience_member_is_worded_without_roles(make_identity, phone_of, ticket_of):
    """MEM-4: an experience member has no role; the phone says what confirming gives."""
    identity = make_identity()
    ticket = ticket_of(
        purpose="member_add",
        expected_identity=identity,
        payload={"kind": "experience", "roles": []},
        summary="tester → demo",
    )
    page = scan_page(phone_of(identity), ticket)
    assert "确认后，此人将成为体验成员，可以打开小程序的体验版。" in page
    assert "按所选角色" not in page
    project = ticket_of(
        purpose="member_add", expected_identity=identity, payload={"kind": "project"}
    )
    assert "确认后，该成员将按所选角色加入小程序。" in scan_page(phone_of(identity), project)


def test_a_ticket_without_details_shows_no_details_label(make_identity, phone_of, ticket_of):
    """An empty (or blank) summary leaves out the Details row rather than an empty one."""
    identity = make_identity()
    for summary in ("", "   "):
        ticket = ticket_of(purpose="secret_reset", expected_identity=identity, summary=summary)
        page = scan_page(phone_of(identity), ticket)
        assert 'data-testid="ticket-summary"' not in page and "<dt>详情</dt>" not in page
    ticket = ticket_of(purpose="secret_reset", expected_identity=identity, summary="迷你港演示")
    page = scan_page(phone_of(identity), ticket)
    assert '<dt>详情</dt><dd data-testid="ticket-summary">迷你港演示</dd>' in page
