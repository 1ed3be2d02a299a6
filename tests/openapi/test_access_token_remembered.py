"""On SQLite each web process remembers an access_token's lookup, and the latest
submission of get_latest_auditstatus, while the database is unchanged (wechat-api 1.2,
4.7; VER-3..VER-5): every committed change, from this connection or any other, is seen
by the very next call, and the token's times are checked on every call."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import connection, connections, transaction

from miniport.core import clock, hotpath, ids
from miniport.miniprograms.models import AccessToken, MiniProgram
from miniport.miniprograms.services import credential_sql, credentials
from miniport.releases import selectors
from miniport.releases.models import Submission, SubmissionState
from tests.openapi.code_api_support import approve, make_code_app, reject, submitted

pytestmark = pytest.mark.django_db(transaction=True)
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's change counters")


@pytest.fixture(autouse=True)
def _forget():
    credential_sql.forget_remembered()
    selectors._latest.clear()
    yield
    credential_sql.forget_remembered()
    selectors._latest.clear()


@pytest.fixture
def statements(monkeypatch):
    """How many statements the hot path sent to the database."""
    sent = {"n": 0}
    real = hotpath.first_values

    def first_values(sql, params):
        sent["n"] += 1
        return real(sql, params)

    monkeypatch.setattr(hotpath, "first_values", first_values)
    return sent


@pytest.fixture
def code(provision, wire):
    return make_code_app(provision, wire)


def categories(code) -> dict:
    return code.get("/wxa/get_category")


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


@sqlite_only
def test_a_repeated_call_authenticates_without_a_statement(code, statements):
    assert categories(code)["errcode"] == 0
    sent_before = statements["n"]
    answers = [categories(code) for _ in range(5)]
    assert {answer["errcode"] for answer in answers} == {0}
    assert statements["n"] == sent_before


def test_a_token_ended_on_another_connection_is_refused_by_the_next_call(code):
    assert categories(code)["errcode"] == 0
    in_another_thread(
        lambda: AccessToken.objects.filter(digest=ids.digest(code.token)).update(
            valid_until=clock.now()
        )
    )
    assert categories(code)["errcode"] == 40001


def test_a_token_deleted_on_this_connection_is_unknown_to_the_next_call(code):
    assert categories(code)["errcode"] == 0
    AccessToken.objects.filter(digest=ids.digest(code.token)).delete()
    assert categories(code)["errcode"] == 40014


@sqlite_only
def test_a_remembered_token_is_refused_once_its_time_is_up(code, wire, statements):
    wire.token(code.provisioned)  # a newer token: this one ends after the grace window
    assert categories(code)["errcode"] == 0
    row = AccessToken.objects.get(digest=ids.digest(code.token))
    assert row.valid_until < row.expires_at
    sent_before = statements["n"]
    with time_machine.travel(row.valid_until - timedelta(microseconds=1), tick=False):
        assert categories(code)["errcode"] == 0
    with time_machine.travel(row.valid_until, tick=False):
        assert categories(code)["errcode"] == 40001
    with time_machine.travel(row.expires_at, tick=False):
        assert categories(code)["errcode"] == 42001
    assert statements["n"] == sent_before  # all from memory
    assert categories(code)["errcode"] == 0


def test_every_call_gets_its_own_mini_program(code):
    first = credentials.app_for_access_token(code.token)
    first.short_name = "changed in memory only"
    second = credentials.app_for_access_token(code.token)
    assert second is not first
    assert second.short_name == MiniProgram.objects.get(pk=code.miniprogram.pk).short_name


def test_nothing_is_remembered_inside_a_transaction_nor_on_postgresql(code, statements):
    with transaction.atomic():
        credentials.app_for_access_token(code.token)
        credentials.app_for_access_token(code.token)
        selectors.latest_audit_status(code.miniprogram)
        selectors.latest_audit_status(code.miniprogram)
    assert statements["n"] == 4
    credentials.app_for_access_token(code.token)
    selectors.latest_audit_status(code.miniprogram)
    remembered = 2 if connection.vendor == "sqlite" else 0
    assert len(credential_sql._remembered_tokens) + len(selectors._latest) == remembered


@sqlite_only
def test_the_latest_audit_status_follows_every_decision_at_once(code, statements):
    assert code.get("/wxa/get_latest_auditstatus")["errcode"] == 85012
    submission = submitted(code, "2.0.0")
    assert code.get("/wxa/get_latest_auditstatus")["status"] == 2
    sent_before = statements["n"]
    assert code.get("/wxa/get_latest_auditstatus")["status"] == 2
    assert statements["n"] == sent_before  # remembered
    reject(submission, ["页面内容不完整"])
    rejected = code.get("/wxa/get_latest_auditstatus")
    assert rejected["status"] == 1 and "页面内容不完整" in rejected["reason"]
    second = submitted(code, "2.0.1")
    assert code.get("/wxa/get_latest_auditstatus")["auditid"] == second.auditid
    in_another_thread(lambda: approve(Submission.objects.get(pk=second.pk)))
    assert code.get("/wxa/get_latest_auditstatus")["status"] == 0


def test_every_call_gets_its_own_submission(code):
    submitted(code, "2.0.0")
    first = selectors.latest_audit_status(code.miniprogram)
    first.state = SubmissionState.WITHDRAWN
    first.items.append({"changed": "in memory only"})
    first.dev_version.user_version = "9.9.9"
    second = selectors.latest_audit_status(code.miniprogram)
    assert second is not first and second.dev_version is not first.dev_version
    stored = Submission.objects.select_related("dev_version").get(pk=first.pk)
    assert (second.state, second.items) == (stored.state, stored.items)
    assert second.dev_version.user_version == stored.dev_version.user_version


def test_a_remembered_submission_is_the_one_the_orm_reads(code):
    submission = submitted(code, "2.0.0")
    selectors.latest_audit_status(code.miniprogram)
    remembered = selectors.latest_audit_status(code.miniprogram)
    stored = selectors.submissions(code.miniprogram).first()
    assert remembered == stored == submission
    for name in ("state", "items", "diff", "prechecks", "submitted_at", "auditid"):
        assert getattr(remembered, name) == getattr(stored, name)
    assert remembered.dev_version.package.sha256 == stored.dev_version.package.sha256
    assert remembered.review.pk == stored.review.pk
    assert clock.now() - remembered.submitted_at < timedelta(minutes=1)
