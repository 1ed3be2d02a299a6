"""jscode2session's per-user minute limit holds while two web processes redeem one user's
codes at the same moment (wechat-api 1.3; issue 14 item 3, where two nodes on PostgreSQL
let one redemption more through than the limit): the count in the redeeming UPDATE reads
that statement's snapshot, so a redemption still in its transaction must make the next
one wait until it has committed, and that one then counts it."""

from __future__ import annotations

import threading

import pytest
from django.db import connections, transaction

from miniport.core.errors import CoreError, PlatformError
from miniport.miniprograms.services import credentials
from tests.core.concurrency import assert_shared_database
from tests.openapi.wire import issue_code

pytestmark = pytest.mark.django_db(transaction=True)


def redeem(app, code: str):
    return credentials.code_to_session(
        appid=app.miniprogram.appid,
        secret=app.secret,
        js_code=code,
        grant_type="authorization_code",
        client_ip="127.0.0.1",
    )


def test_a_redemption_waits_for_one_not_yet_committed_and_then_counts_it(
    app, make_identity, override
):
    """The limit is 1: the first redemption is made and its transaction held open; the
    second, on another connection, may not answer before the first commits, and is then
    refused with 45011."""
    assert_shared_database()
    override("api.jscode2session_per_user_minute", 1)
    user = make_identity()
    first, second = issue_code(app.miniprogram, user), issue_code(app.miniprogram, user)
    redeemed, release = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def hold_first_open() -> None:
        try:
            with transaction.atomic():
                redeem(app, first)
                redeemed.set()
                release.wait(timeout=30)
        finally:
            connections.close_all()

    def redeem_second() -> None:
        try:
            outcome["second"] = redeem(app, second)
        except PlatformError as refused:
            outcome["second"] = refused
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_first_open, daemon=True)
    holder.start()
    assert redeemed.wait(timeout=30)
    rival = threading.Thread(target=redeem_second, daemon=True)
    rival.start()
    rival.join(timeout=0.5)
    release.set()
    holder.join(timeout=30)
    rival.join(timeout=30)
    refused = outcome.get("second")
    assert isinstance(refused, PlatformError), refused
    assert refused.code == CoreError.MINUTE_QUOTA
