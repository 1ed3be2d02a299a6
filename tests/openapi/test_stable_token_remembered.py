"""On SQLite each web process remembers the stable-token lookup of an app while the
database is unchanged (DEV-1, DEV-2, wechat-api 2.2): every committed change, from this
connection or any other, is seen by the very next call."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections, transaction

from miniport.core import clock, hotpath, ids
from miniport.miniprograms.models import DevSettings, MiniProgram
from miniport.miniprograms.services import credential_sql

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's change counters"),
]


@pytest.fixture(autouse=True)
def _forget():
    credential_sql.forget_remembered()
    yield
    credential_sql.forget_remembered()


@pytest.fixture
def statements(monkeypatch):
    """How many statements the credential lookups sent to the database."""
    sent = {"n": 0}
    real_first_row, real_rowcount = hotpath.first_row, hotpath.rowcount

    def first_row(sql, params):
        sent["n"] += 1
        return real_first_row(sql, params)

    def rowcount(sql, params):
        sent["n"] += 1
        return real_rowcount(sql, params)

    monkeypatch.setattr(hotpath, "first_row", first_row)
    monkeypatch.setattr(hotpath, "rowcount", rowcount)
    return sent


def stable(wire, app, secret=None) -> dict:
    return wire.post(
        "/cgi-bin/stable_token",
        {
            "grant_type": "client_credential",
            "appid": app.miniprogram.appid,
            "secret": secret or app.secret,
        },
    )


def remembered(wire, app, statements) -> dict:
    """Poll until the lookup is answered from memory (the first two calls write after
    their lookup: the token is minted, then the call quota leased); the last answer."""
    for _ in range(3):
        stable(wire, app)
    sent_before = statements["n"]
    answer = stable(wire, app)
    assert statements["n"] == sent_before
    return answer


def in_another_thread(work) -> None:
    """Run `work` on another thread's own database connection and commit it there."""
    failures: list[BaseException] = []

    def run():
        try:
            with transaction.atomic():
                work()
        except BaseException as error:  # reported on the test's thread
            failures.append(error)
        finally:
            connections.close_all()

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(timeout=30)
    assert not failures, failures


def test_a_repeated_poll_is_answered_without_a_statement(wire, app, statements):
    first = remembered(wire, app, statements)
    sent_before = statements["n"]
    answers = [stable(wire, app) for _ in range(5)]
    assert {answer["access_token"] for answer in answers} == {first["access_token"]}
    assert statements["n"] == sent_before


def test_a_secret_reset_committed_on_another_connection_is_seen_by_the_next_call(
    wire, app, statements
):
    remembered(wire, app, statements)
    new_secret = ids.new_secret()
    in_another_thread(
        lambda: MiniProgram.objects.filter(pk=app.miniprogram.pk).update(
            secret_digest=ids.digest(new_secret)
        )
    )
    assert stable(wire, app)["errcode"] == 40001
    assert "access_token" in stable(wire, app, secret=new_secret)


def test_a_whitelist_written_on_this_connection_is_seen_by_the_next_call(wire, app, statements):
    remembered(wire, app, statements)
    DevSettings.objects.update_or_create(
        miniprogram=app.miniprogram, defaults={"ip_whitelist": ["10.1.2.3"]}
    )
    assert stable(wire, app)["errcode"] == 40164


def test_nothing_is_remembered_inside_a_transaction(app, statements):
    with transaction.atomic():
        credential_sql.app_by_appid(app.miniprogram.appid, stable_at=clock.now())
        credential_sql.app_by_appid(app.miniprogram.appid, stable_at=clock.now())
    assert statements["n"] == 2
    assert len(credential_sql._remembered) == 0


def test_a_remembered_token_past_its_valid_until_is_no_token(wire, app, statements):
    remembered(wire, app, statements)
    known = credential_sql.app_by_appid(app.miniprogram.appid, stable_at=clock.now())
    assert known.stable is not None
    later = known.stable.valid_until + timedelta(seconds=1)
    from_memory = credential_sql.app_by_appid(app.miniprogram.appid, stable_at=later)
    credential_sql.forget_remembered()
    from_database = credential_sql.app_by_appid(app.miniprogram.appid, stable_at=later)
    assert from_memory.stable is None
    assert from_memory == from_database
