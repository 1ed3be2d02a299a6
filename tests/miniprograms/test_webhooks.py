"""B-6, VER-5: signed webhooks. Endpoints are configured in development settings with a
secret shown once and kept sealed; every event of the mini program (review results and
releases among them) is POSTed by a worker with an HMAC-SHA256 signature of the body, a
timestamp and the event id, retried with backoff, each attempt in the delivery log."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction

from miniport.core import deliveries, events, policy
from miniport.core.errors import CoreError, PlatformError
from miniport.core.models import AuditEntry, Delivery, DeliveryAttempt, DeliveryState
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.models import WebhookEndpoint
from miniport.miniprograms.services import webhooks
from tests.core.deliveries_receivers import dead_url, start_receiver

START = datetime(2024, 6, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def receiver(settings):
    settings.OUTBOUND_ALLOW_PRIVATE = True
    receiver, server = start_receiver()
    yield receiver
    server.shutdown()
    server.server_close()


def add(team, url, events="*"):
    return webhooks.webhook_create(
        actor=team.admin_actor, miniprogram=team.miniprogram, url=url, events=events
    )


def run_due() -> list[bool | None]:
    return [deliveries.run(pk) for pk in deliveries.due_ids()]


@pytest.mark.django_db
def test_a_new_webhook_shows_its_secret_once_and_keeps_it_sealed(team):
    """B-6: the secret is returned once; the row holds only its sealed form and a hint."""
    endpoint, secret = add(team, "https://hooks.example.com/miniport")
    assert secret.startswith("whsec_") and len(secret) > 40
    stored = WebhookEndpoint.objects.get(pk=endpoint.pk)
    assert secret not in stored.secret_sealed
    assert stored.secret_hint == secret[-4:]
    assert AuditEntry.objects.filter(action="webhook.create", appid=team.miniprogram.appid).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://hooks.example.com/", "http"),
        ("https://", "host"),
        ("https://user:pw@hooks.example.com/", "user"),
        ("not a url", "http"),
        ("https://hooks.example.com:99999/", "URL"),
    ],
    ids=["scheme", "no-host", "credentials", "garbage", "bad-port"],
)
def test_a_bad_webhook_url_is_refused_and_nothing_is_stored(team, url, reason):
    with pytest.raises(PlatformError) as refused:
        add(team, url)
    assert refused.value.code == MiniProgramError.WEBHOOK_URL_INVALID
    assert reason in refused.value.wire_message()
    assert not WebhookEndpoint.objects.exists()
    assert not AuditEntry.objects.filter(action="webhook.create").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/ops/",
        "http://169.254.169.254/latest/meta-data/",
        "http://localhost:22/",
        "https://api.localhost/",
        "http://[::1]/",
        "http://10.0.0.7/hook",
    ],
)
def test_a_webhook_to_a_loopback_or_private_address_is_refused_when_saved(team, url, settings):
    settings.OUTBOUND_ALLOW_PRIVATE = False
    with pytest.raises(PlatformError) as refused:
        add(team, url)
    assert refused.value.code == CoreError.OUTBOUND_TARGET_REFUSED
    assert refused.value.message("zh-hans") == "不允许访问内网或本机地址"
    assert not WebhookEndpoint.objects.exists()
    assert not AuditEntry.objects.filter(action="webhook.create").exists()


@pytest.mark.django_db
def test_the_refusal_of_a_webhook_url_names_its_reason_in_the_pages_language(team):
    with pytest.raises(PlatformError) as refused:
        add(team, "ftp://hooks.example.com/")
    assert refused.value.message("zh-hans") == "Webhook 地址不合法：请使用 http:// 或 https://"
    assert refused.value.message("en") == "invalid webhook URL: use http:// or https://"


@pytest.mark.django_db
def test_a_webhook_to_a_private_address_is_saved_when_the_operator_allows_them(team, settings):
    settings.OUTBOUND_ALLOW_PRIVATE = True
    add(team, "http://10.0.0.7/hook")
    assert WebhookEndpoint.objects.count() == 1


@pytest.mark.django_db
def test_a_webhook_beyond_the_policy_limit_is_refused(team):
    limit = policy.value("dev.webhooks_max")
    for n in range(limit):
        add(team, f"https://hooks.example.com/{n}")
    with pytest.raises(PlatformError) as refused:
        add(team, "https://hooks.example.com/one-too-many")
    assert refused.value.code == MiniProgramError.WEBHOOK_LIMIT_REACHED
    assert WebhookEndpoint.objects.filter(miniprogram=team.miniprogram).count() == limit


@pytest.mark.django_db
def test_a_bad_event_selection_is_refused(team):
    with pytest.raises(PlatformError) as refused:
        add(team, "https://hooks.example.com/", events="code.* ; drop table")
    assert refused.value.code == MiniProgramError.WEBHOOK_EVENTS_INVALID
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.django_db
def test_removing_another_mini_programs_webhook_is_refused(team, provision):
    other = provision("personal").miniprogram
    endpoint, _secret = add(team, "https://hooks.example.com/")
    with pytest.raises(PlatformError) as refused:
        webhooks.webhook_remove(actor=team.admin_actor, miniprogram=other, pk=endpoint.pk)
    assert refused.value.code == MiniProgramError.WEBHOOK_NOT_FOUND
    assert WebhookEndpoint.objects.get(pk=endpoint.pk).active


@pytest.mark.django_db(transaction=True)
def test_each_event_is_posted_signed_and_the_signature_verifies(team, receiver):
    """B-6: X-Miniport-Signature is sha256=HMAC-SHA256(body, secret); the timestamp (also
    in the signed body) and the event id ride along; a receiver holding the secret checks
    it, one without it cannot forge it."""
    endpoint, secret = add(team, receiver.url + "/hook")
    appid = team.miniprogram.appid
    with transaction.atomic():
        event = events.emit(
            "code.audit_fail", {"appid": appid, "reason": "blank page"}, appid=appid
        )
    assert receiver.seen == []  # the request that made the change posts nothing
    assert run_due().count(True) >= 1

    (got,) = receiver.at("/hook")
    headers = {key.lower(): value for key, value in got.headers.items()}
    assert webhooks.verify(secret, got.body, headers["x-miniport-signature"])
    assert headers["x-miniport-signature"].startswith("sha256=")
    assert not webhooks.verify("whsec_guessed", got.body, headers["x-miniport-signature"])
    assert not webhooks.verify(secret, got.body + b" ", headers["x-miniport-signature"])
    body = json.loads(got.body)
    assert headers["x-miniport-event-id"] == str(event.pk) == str(body["id"])
    assert headers["x-miniport-timestamp"] == str(body["timestamp"])
    assert headers["x-miniport-event"] == "code.audit_fail" == body["event"]
    assert body["appid"] == appid and body["data"]["reason"] == "blank page"
    delivery = Delivery.objects.get(route=webhooks.ROUTE, recipient=str(endpoint.pk))
    assert delivery.state == DeliveryState.DELIVERED and delivery.last_status == 200


@pytest.mark.django_db(transaction=True)
def test_a_webhook_gets_only_the_events_it_selected_and_only_of_its_mini_program(
    team, provision, receiver
):
    add(team, receiver.url + "/code", events="code.*")
    other = provision("personal").miniprogram
    appid = team.miniprogram.appid
    with transaction.atomic():
        events.emit("member.added", {"appid": appid}, appid=appid)
        events.emit("code.released", {"appid": other.appid}, appid=other.appid)
        events.emit("code.released", {"appid": appid}, appid=appid)
    run_due()
    assert [json.loads(r.body)["event"] for r in receiver.at("/code")] == ["code.released"]
    assert json.loads(receiver.at("/code")[0].body)["appid"] == appid


@pytest.mark.django_db(transaction=True)
def test_a_failing_webhook_is_retried_with_backoff_and_each_attempt_is_logged(team, receiver):
    """B-6: a 500 is retried after the policy's backoff; the log keeps every attempt with
    its status code, duration, error and next retry; the same event id each time."""
    receiver.behaviour["/flaky"] = (0.0, 500, b"oops")
    endpoint, _secret = add(team, receiver.url + "/flaky")
    appid = team.miniprogram.appid
    with time_machine.travel(START, tick=False) as traveller:
        with transaction.atomic():
            events.emit("code.audit_success", {"appid": appid}, appid=appid)
        delivery = Delivery.objects.get(route=webhooks.ROUTE)
        assert deliveries.run(delivery.pk) is False
        assert deliveries.run(delivery.pk) is None  # waits for its backoff
        traveller.shift(timedelta(seconds=deliveries.backoff_seconds(1)))
        assert deliveries.run(delivery.pk) is False
        receiver.behaviour["/flaky"] = (0.0, 204, b"")
        traveller.shift(timedelta(seconds=deliveries.backoff_seconds(2)))
        assert deliveries.run(delivery.pk) is True
    log = webhooks.delivery_log(endpoint)
    assert [a.number for a in log] == [3, 2, 1]
    assert [a.status_code for a in log] == [204, 500, 500]
    assert log[2].error == log[1].error == "the receiver answered HTTP 500"
    assert log[2].next_retry_at == START + timedelta(seconds=deliveries.backoff_seconds(1))
    assert log[0].next_retry_at is None and log[0].error == ""
    ids = {r.headers["X-Miniport-Event-Id"] for r in receiver.at("/flaky")}
    assert len(ids) == 1 and len(receiver.at("/flaky")) == 3
    assert webhooks.delivery_counts(endpoint) == {"pending": 0, "delivered": 1, "failed": 0}


@pytest.mark.django_db(transaction=True)
def test_a_dead_webhook_ends_failed_after_the_policys_attempts(team, receiver):
    endpoint, _secret = add(team, dead_url())
    appid = team.miniprogram.appid
    attempts = policy.value("deliveries.max_attempts")
    with time_machine.travel(START, tick=False) as traveller:
        with transaction.atomic():
            events.emit("code.released", {"appid": appid}, appid=appid)
        delivery = Delivery.objects.get(route=webhooks.ROUTE)
        for number in range(1, attempts + 1):
            assert deliveries.run(delivery.pk) is False
            traveller.shift(timedelta(seconds=deliveries.backoff_seconds(number)))
        assert delivery.pk not in deliveries.due_ids()
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.FAILED and delivery.attempts == attempts
    assert DeliveryAttempt.objects.filter(delivery=delivery).count() == attempts
    assert webhooks.delivery_counts(endpoint)["failed"] == 1


@pytest.mark.django_db(transaction=True)
def test_a_private_webhook_target_is_refused_unless_the_operator_allows_it(team, settings):
    """DESIGN security: outbound calls go through core.outbound's rules; retrying cannot
    make a refused target allowed, so the delivery fails at once. (Saved while the
    operator allowed private targets: a host name resolving to one is met only here.)"""
    settings.OUTBOUND_ALLOW_PRIVATE = True
    add(team, "http://127.0.0.1:9/hook")
    settings.OUTBOUND_ALLOW_PRIVATE = False
    appid = team.miniprogram.appid
    with transaction.atomic():
        events.emit("code.released", {"appid": appid}, appid=appid)
    delivery = Delivery.objects.get(route=webhooks.ROUTE)
    assert deliveries.run(delivery.pk) is False
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.FAILED and delivery.attempts == 1


@pytest.mark.django_db(transaction=True)
def test_a_removed_webhook_gets_no_more_deliveries(team, receiver):
    endpoint, _secret = add(team, receiver.url + "/hook")
    appid = team.miniprogram.appid
    with transaction.atomic():
        events.emit("code.released", {"appid": appid}, appid=appid)
    webhooks.webhook_remove(actor=team.admin_actor, miniprogram=team.miniprogram, pk=endpoint.pk)
    run_due()
    assert receiver.at("/hook") == []
    delivery = Delivery.objects.get(route=webhooks.ROUTE)
    assert delivery.state == DeliveryState.FAILED and "removed" in delivery.last_error
    with transaction.atomic():
        events.emit("code.released", {"appid": appid}, appid=appid)
    assert Delivery.objects.filter(route=webhooks.ROUTE).count() == 1
