"""issue 9 item 6: expired login codes, access tokens, QR tickets, sessions and old
sign-in failures are deleted once past their retention policy rows, by the background
worker every `purge.interval_minutes` and by `miniport purge` at once."""

from __future__ import annotations

import json
import secrets
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session

from miniport.accounts.models import PasswordResetRequest, PasswordResetToken
from miniport.cli import main
from miniport.cli.worker import sweep
from miniport.core import clock, policy, purge
from miniport.core.models import PolicyOverride
from miniport.identities import services as identity_services
from miniport.identities.models import IdentitySmsCode, QrTicket, SignInFailure
from miniport.miniprograms.models import AccessToken, LoginCode
from miniport.miniprograms.services.credentials import access_token_fetch, login_code_issue

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("UTC"))
HOUR = timedelta(hours=1)


@pytest.fixture
def app(provision):
    return provision("personal")


def _login_code(app, make_identity, system_actor):
    person = make_identity()
    login_code_issue(actor=system_actor, identity=person, miniprogram=app.miniprogram)


def _access_token(app, make_identity, system_actor):
    access_token_fetch(
        actor=system_actor,
        appid=app.miniprogram.appid,
        secret=app.secret,
        grant_type="client_credential",
        client_ip="127.0.0.1",
    )


def _ticket(app, make_identity, system_actor):
    identity_services.ticket_create(purpose="generic", session_key="purge-browser")


def _session(app, make_identity, system_actor):
    store = SessionStore()
    store["anything"] = 1
    store.create()


def _failure(app, make_identity, system_actor):
    SignInFailure.objects.create(wechat_id="someone", ip="203.0.113.9", at=clock.now())


def _signup_sms_code(app, make_identity, system_actor):
    IdentitySmsCode.objects.create(
        phone_digest="p" * 64,
        code_digest="c" * 64,
        created_at=clock.now(),
        expires_at=clock.now() + timedelta(seconds=300),
    )


def _reset_link(app, make_identity, system_actor):
    PasswordResetToken.objects.create(
        account=app.miniprogram.account,
        digest=secrets.token_hex(32),
        password_digest="x" * 64,
        created_at=clock.now(),
        expires_at=clock.now() + timedelta(minutes=30),
    )


def _reset_request(app, make_identity, system_actor):
    PasswordResetRequest.objects.create(email_digest="e" * 64, ip="203.0.113.9", at=clock.now())


# kind: (maker, model, how long after creation the row is past lifetime + retention)
KINDS = {
    "login_codes": (_login_code, LoginCode, timedelta(seconds=300) + 24 * HOUR),
    "access_tokens": (_access_token, AccessToken, timedelta(seconds=7200) + 24 * HOUR),
    "qr_tickets": (_ticket, QrTicket, timedelta(seconds=180) + 24 * HOUR),
    "sessions": (_session, Session, 12 * HOUR + 1 * HOUR),
    "sign_in_failures": (_failure, SignInFailure, timedelta(days=7)),
    "signup_sms_codes": (_signup_sms_code, IdentitySmsCode, timedelta(seconds=300) + 24 * HOUR),
    "password_reset_links": (_reset_link, PasswordResetToken, timedelta(minutes=30) + 24 * HOUR),
    "password_reset_requests": (_reset_request, PasswordResetRequest, 24 * HOUR),
}


@pytest.mark.parametrize("kind", KINDS)
def test_a_row_is_deleted_once_past_its_retention_and_not_before(
    kind, app, make_identity, system_actor
):
    """issue 9 item 6: each kind of row is kept for its lifetime plus its retention row."""
    make, model, kept_for = KINDS[kind]
    with time_machine.travel(T0, tick=False):
        make(app, make_identity, system_actor)
    assert model.objects.count() == 1
    with time_machine.travel(T0 + kept_for - timedelta(minutes=1), tick=False):
        assert purge.run_once()[kind] == 0
    assert model.objects.count() == 1
    with time_machine.travel(T0 + kept_for + timedelta(minutes=1), tick=False):
        make(app, make_identity, system_actor)  # a fresh one stays
        assert purge.run_once()[kind] == 1
    assert model.objects.count() == 1


def test_the_retention_is_a_policy_row(app, make_identity, system_actor):
    """issue 9 item 6: operators shorten (or lengthen) how long expired codes stay."""
    PolicyOverride.objects.create(key="purge.login_codes_after_hours", value=1)
    policy.forget_cached()
    with time_machine.travel(T0, tick=False):
        _login_code(app, make_identity, system_actor)
    with time_machine.travel(T0 + timedelta(seconds=300) + 2 * HOUR, tick=False):
        assert purge.run_once()["login_codes"] == 1
    assert not LoginCode.objects.exists()


def test_the_worker_purges_every_interval_of_the_policy_row(
    app, make_identity, system_actor, capsys
):
    """issue 9 item 6: the worker's sweep runs a purge when `purge.interval_minutes`
    have passed since the last one, not on every sweep."""
    PolicyOverride.objects.create(key="purge.interval_minutes", value=30)
    policy.forget_cached()
    purge.reset_schedule()
    with time_machine.travel(T0, tick=False):
        _login_code(app, make_identity, system_actor)
        sweep()  # the first sweep purges (nothing is old yet)
    late = T0 + timedelta(seconds=300) + 24 * HOUR + timedelta(minutes=1)
    with time_machine.travel(late, tick=False):
        assert purge.run_due() is not None  # a pass is due long after
    with time_machine.travel(late + timedelta(minutes=5), tick=False):
        _login_code(app, make_identity, system_actor)
    with time_machine.travel(late + 2 * 24 * HOUR, tick=False):
        # 30 minutes of the schedule have passed: the next sweep purges the second code.
        sweep()
        assert "login_codes 1" in capsys.readouterr().out
    assert not LoginCode.objects.exists()
    with time_machine.travel(late + 2 * 24 * HOUR + timedelta(minutes=10), tick=False):
        assert purge.run_due() is None  # within the interval: no pass


def test_miniport_purge_runs_one_pass_and_prints_the_counts(
    app, make_identity, system_actor, capsys
):
    """issue 9 item 6: `miniport purge` deletes what is past retention at once."""
    with time_machine.travel(T0, tick=False):
        _login_code(app, make_identity, system_actor)
        _ticket(app, make_identity, system_actor)
    with time_machine.travel(T0 + 2 * 24 * HOUR, tick=False):
        assert main(["purge", "--json"]) == 0
        counts = json.loads(capsys.readouterr().out)["deleted"]
        assert counts["login_codes"] == 1 and counts["qr_tickets"] == 1
        assert main(["purge"]) == 0
        assert "login_codes: 0 deleted" in capsys.readouterr().out
    assert not LoginCode.objects.exists() and not QrTicket.objects.exists()


def test_every_purge_target_has_its_retention_row():
    """issue 9 item 6: the registry is filled by the owning domains."""
    assert set(purge.TARGETS) == {*KINDS, "login_code_session_keys", "used_once_marks"}


def test_a_code_that_expired_unredeemed_loses_its_session_key_at_the_next_pass(
    app, make_identity, system_actor
):
    """issue 9 item 6: a session_key is kept no longer than its code can be redeemed."""
    with time_machine.travel(T0, tick=False):
        _login_code(app, make_identity, system_actor)
        purge.run_once()
        assert LoginCode.objects.get().session_key  # still redeemable: kept (sealed)
    with time_machine.travel(T0 + timedelta(seconds=301), tick=False):
        _login_code(app, make_identity, system_actor)
        counts = purge.run_once()
    assert (counts["login_code_session_keys"], counts["login_codes"]) == (1, 0)
    old, fresh = LoginCode.objects.order_by("id")
    assert old.session_key == "" and fresh.session_key
    with time_machine.travel(T0 + timedelta(seconds=302), tick=False):
        assert purge.run_once()["login_code_session_keys"] == 0
