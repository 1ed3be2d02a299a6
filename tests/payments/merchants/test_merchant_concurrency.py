"""PAY-1 under contention, with real threads on a shared database (a file SQLite
database or PostgreSQL): one open application per mini program, one merchant per mini
program, and a key shown once even when several confirmed reveals arrive at once."""

from __future__ import annotations

import pytest

from miniport.core.actors import Actor
from miniport.core.errors import PlatformError
from miniport.identities import services as identity_services
from miniport.payments.merchants import keys
from miniport.payments.merchants.errors import MerchantError
from miniport.payments.merchants.services import merchant_provision
from miniport.payments.models import Merchant, MerchantApplication
from tests.core.concurrency import assert_shared_database, run_concurrently
from tests.payments.merchants.support import apply, approve, owner

pytestmark = pytest.mark.django_db(transaction=True)
SESSION = "racing-browser"


def _split(outcomes, kind):
    made = [o for o in outcomes if isinstance(o, kind)]
    refused = [o for o in outcomes if isinstance(o, PlatformError)]
    assert len(made) + len(refused) == len(outcomes), outcomes
    return made, refused


def test_pay1_parallel_applications_open_one(provision):
    assert_shared_database()
    mp = provision("enterprise", certified=True).miniprogram
    outcomes = run_concurrently(5, lambda i: apply(owner(mp), mp))
    made, refused = _split(outcomes, MerchantApplication)
    assert len(made) == 1, outcomes
    assert {r.code for r in refused} == {MerchantError.APPLICATION_OPEN}
    assert MerchantApplication.objects.filter(miniprogram=mp).count() == 1


def test_pay1_parallel_provisions_make_one_merchant(provision):
    assert_shared_database()
    mp = provision("enterprise", certified=True).miniprogram
    outcomes = run_concurrently(
        5, lambda i: merchant_provision(actor=Actor.system("race"), miniprogram=mp)
    )
    made, refused = _split(outcomes, tuple)
    assert len(made) == 1, outcomes
    assert {r.code for r in refused} == {MerchantError.ALREADY_MERCHANT}
    assert Merchant.objects.filter(miniprogram=mp).count() == 1


def test_pay1_parallel_reveals_show_the_key_once(provision):
    assert_shared_database()
    mp = provision("enterprise", certified=True).miniprogram
    merchant = approve(apply(owner(mp), mp))
    tokens = []
    for _ in range(5):
        ticket = keys.merchant_key_request(actor=owner(mp), miniprogram=mp, session_key=SESSION)
        identity_services.ticket_confirm(identity=mp.admin_identity, token=ticket.token)
        tokens.append(ticket.token)
    outcomes = run_concurrently(
        5,
        lambda i: keys.merchant_key_reveal(
            actor=owner(mp), miniprogram=mp, ticket_token=tokens[i], session_key=SESSION
        ),
    )
    shown, refused = _split(outcomes, str)
    assert shown == [merchant.api_key], outcomes
    assert {r.code for r in refused} == {MerchantError.KEY_ALREADY_SHOWN}


def test_pay1_parallel_rotations_move_one_version_at_a_time(provision):
    assert_shared_database()
    mp = provision("enterprise", certified=True).miniprogram
    approve(apply(owner(mp), mp))
    tokens = []
    for _ in range(4):
        ticket = keys.merchant_key_request(
            actor=owner(mp), miniprogram=mp, session_key=SESSION, rotate=True
        )
        identity_services.ticket_confirm(identity=mp.admin_identity, token=ticket.token)
        tokens.append(ticket.token)
    outcomes = run_concurrently(
        4,
        lambda i: keys.merchant_key_rotate(
            actor=owner(mp), miniprogram=mp, ticket_token=tokens[i], session_key=SESSION
        ),
    )
    rotated, refused = _split(outcomes, str)
    # Every ticket named key version 1: the first rotation wins, the rest find it changed.
    assert len(rotated) == 1, outcomes
    assert {r.code for r in refused} == {MerchantError.KEY_CHANGED}
    stored = Merchant.objects.get(miniprogram=mp)
    assert stored.key_version == 2 and stored.api_key == rotated[0]
