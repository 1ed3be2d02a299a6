"""PAY-1: the merchant's API key is shown once to the administrator after a QR scan,
never twice; rotation (after another scan) issues a new key, shown once, and the old one
stops signing at once. The key is sealed at rest and in no audit row."""

from __future__ import annotations

import pytest

from miniport.core.errors import PlatformError
from miniport.identities import services as identity_services
from miniport.identities.errors import IdentityError
from miniport.payments.merchants import keys
from miniport.payments.merchants.errors import MerchantError
from miniport.payments.merchants.services import merchant_provision
from miniport.payments.models import Merchant
from miniport.payments.sandbox import signing
from miniport.payments.sandbox.keys import signing_key
from tests.payments.merchants.support import apply, approve, in_audit, owner, raw_column

pytestmark = pytest.mark.django_db
SESSION = "browser-session-1"


@pytest.fixture
def merchant(provision, make_identity):
    app = provision("enterprise", certified=True)
    mp = app.miniprogram
    return approve(apply(owner(mp), mp))


def scanned(mp, *, rotate=False, by=None, session=SESSION):
    ticket = keys.merchant_key_request(
        actor=owner(mp), miniprogram=mp, session_key=session, rotate=rotate
    )
    identity_services.ticket_confirm(identity=by or mp.admin_identity, token=ticket.token)
    return ticket.token


def reveal(mp, token, session=SESSION):
    return keys.merchant_key_reveal(
        actor=owner(mp), miniprogram=mp, ticket_token=token, session_key=session
    )


def rotate(mp, token, session=SESSION):
    return keys.merchant_key_rotate(
        actor=owner(mp), miniprogram=mp, ticket_token=token, session_key=session
    )


def test_pay1_the_key_is_shown_once_after_the_scan(merchant):
    mp = merchant.miniprogram
    key = reveal(mp, scanned(mp))
    merchant.refresh_from_db()
    assert key == merchant.api_key and merchant.key_shown_at is not None
    # A second look is refused, before any scan and after one.
    with pytest.raises(PlatformError) as refused:
        keys.merchant_key_request(actor=owner(mp), miniprogram=mp, session_key=SESSION)
    assert refused.value.code == MerchantError.KEY_ALREADY_SHOWN
    assert not in_audit(key)


def test_pay1_two_tickets_reveal_the_key_once(merchant):
    mp = merchant.miniprogram
    first, second = scanned(mp), scanned(mp)
    reveal(mp, first)
    with pytest.raises(PlatformError) as refused:
        reveal(mp, second)
    assert refused.value.code == MerchantError.KEY_ALREADY_SHOWN


def test_pay1_no_reveal_before_the_scan(merchant):
    mp = merchant.miniprogram
    ticket = keys.merchant_key_request(actor=owner(mp), miniprogram=mp, session_key=SESSION)
    with pytest.raises(PlatformError) as refused:
        reveal(mp, ticket.token)
    assert refused.value.code == IdentityError.TICKET_PENDING
    merchant.refresh_from_db()
    assert merchant.key_shown_at is None


def test_pay1_a_scan_by_someone_else_reveals_nothing(merchant, make_identity):
    mp = merchant.miniprogram
    ticket = keys.merchant_key_request(actor=owner(mp), miniprogram=mp, session_key=SESSION)
    stranger = make_identity()
    with pytest.raises(PlatformError):
        identity_services.ticket_confirm(identity=stranger, token=ticket.token)
    with pytest.raises(PlatformError):
        reveal(mp, ticket.token)
    merchant.refresh_from_db()
    assert merchant.key_shown_at is None


def test_pay1_another_browser_cannot_use_the_ticket(merchant):
    mp = merchant.miniprogram
    token = scanned(mp)
    with pytest.raises(PlatformError):
        reveal(mp, token, session="another-browser")
    merchant.refresh_from_db()
    assert merchant.key_shown_at is None


def test_pay1_a_reveal_ticket_does_not_rotate(merchant):
    mp = merchant.miniprogram
    with pytest.raises(PlatformError):
        rotate(mp, scanned(mp))
    merchant.refresh_from_db()
    assert merchant.key_version == 1


def test_pay1_rotation_gives_a_new_key_and_the_old_one_stops_signing(merchant):
    mp = merchant.miniprogram
    old = reveal(mp, scanned(mp))
    fields = {"appid": mp.appid, "mch_id": merchant.mch_id, "nonce_str": signing.nonce()}
    fields["sign"] = signing.sign(fields, old)
    assert signing.verify(fields, signing_key(Merchant.objects.get(pk=merchant.pk), sandbox=False))

    new = rotate(mp, scanned(mp, rotate=True))
    merchant.refresh_from_db()
    assert new != old and len(new) == 32
    assert merchant.key_version == 2 and merchant.key_shown_at is not None
    current = signing_key(merchant, sandbox=False)
    assert not signing.verify(fields, current)
    fields["sign"] = signing.sign({k: v for k, v in fields.items() if k != "sign"}, new)
    assert signing.verify(fields, current)
    # Shown with the rotation: no second look.
    with pytest.raises(PlatformError) as refused:
        keys.merchant_key_request(actor=owner(mp), miniprogram=mp, session_key=SESSION)
    assert refused.value.code == MerchantError.KEY_ALREADY_SHOWN
    assert not in_audit(old) and not in_audit(new)


def test_pay1_a_rotation_ticket_of_an_older_key_is_refused(merchant):
    mp = merchant.miniprogram
    stale = scanned(mp, rotate=True)
    rotate(mp, scanned(mp, rotate=True))
    with pytest.raises(PlatformError) as refused:
        rotate(mp, stale)
    assert refused.value.code == MerchantError.KEY_CHANGED
    merchant.refresh_from_db()
    assert merchant.key_version == 2


def test_pay1_the_key_column_is_encrypted_at_rest(merchant):
    stored = raw_column(Merchant, "api_key", merchant.pk)
    assert stored and merchant.api_key not in stored


def test_pay1_no_merchant_no_key(provision):
    mp = provision("enterprise", certified=True).miniprogram
    with pytest.raises(PlatformError) as refused:
        keys.merchant_key_request(actor=owner(mp), miniprogram=mp, session_key=SESSION)
    assert refused.value.code == MerchantError.NOT_MERCHANT


def test_pay1_provision_makes_an_approved_merchant_with_its_key(provision, system_actor):
    mp = provision("enterprise", certified=True).miniprogram
    merchant, key = merchant_provision(actor=system_actor, miniprogram=mp)
    assert merchant.api_key == key and merchant.key_shown_at is not None
    assert merchant.miniprogram == mp and merchant.name == mp.name
    assert not in_audit(key)
    with pytest.raises(PlatformError) as refused:
        merchant_provision(actor=system_actor, miniprogram=mp)
    assert refused.value.code == MerchantError.ALREADY_MERCHANT
    assert Merchant.objects.filter(miniprogram=mp).count() == 1


@pytest.mark.parametrize(
    ("subject_type", "certified", "code"),
    [
        ("personal", False, MerchantError.PERSONAL_SUBJECT),
        ("enterprise", False, MerchantError.NOT_CERTIFIED),
    ],
)
def test_pay1_provision_refuses_personal_and_uncertified(
    provision, system_actor, subject_type, certified, code
):
    mp = provision(subject_type, certified=certified).miniprogram
    with pytest.raises(PlatformError) as refused:
        merchant_provision(actor=system_actor, miniprogram=mp)
    assert refused.value.code == code
    assert not Merchant.objects.filter(miniprogram=mp).exists()


def test_pay1_provision_refuses_while_an_application_is_open(provision, system_actor):
    mp = provision("enterprise", certified=True).miniprogram
    apply(owner(mp), mp)
    with pytest.raises(PlatformError) as refused:
        merchant_provision(actor=system_actor, miniprogram=mp)
    assert refused.value.code == MerchantError.APPLICATION_OPEN
    assert not Merchant.objects.filter(miniprogram=mp).exists()


def test_pay1_staff_suspend_and_resume(merchant, system_actor):
    from miniport.core.actors import Actor
    from miniport.payments.merchants.services import merchant_resume, merchant_suspend
    from miniport.payments.models import MerchantState

    mp = merchant.miniprogram
    with pytest.raises(PlatformError) as refused:
        merchant_suspend(actor=owner(mp), merchant=merchant, reason="x")
    assert refused.value.code == MerchantError.STAFF_ONLY
    staff = Actor("staff", "7", "ops@example.com")
    merchant_suspend(actor=staff, merchant=merchant, reason="风险排查")
    assert merchant.state == MerchantState.SUSPENDED
    with pytest.raises(PlatformError) as again:
        merchant_suspend(actor=staff, merchant=merchant, reason="again")
    assert again.value.code == MerchantError.MERCHANT_SUSPENDED
    merchant_resume(actor=staff, merchant=merchant)
    assert merchant.state == MerchantState.ACTIVE
