"""VER-5, B-6 (wechat-api.md §4.14): review results reach the mini program's message-push
URL in WeChat's event format — weapp_audit_success (SuccTime), weapp_audit_fail (Reason,
FailTime, ScreenShot), weapp_audit_delay (Reason, DelayTime) — as XML or JSON per the
push configuration, signed like the URL handshake, and encrypted with the
EncodingAESKey in safe and compatible modes (opened here with wechatpy's WeChatCrypto)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from django.db import transaction
from wechatpy.crypto import WeChatCrypto

from miniport.core import deliveries, events
from miniport.core.models import Delivery, DeliveryState
from miniport.miniprograms.models import DevSettings
from miniport.miniprograms.services.push import push_signature
from miniport.releases import notifications
from tests.core.deliveries_receivers import start_receiver

TOKEN = "pushToken42"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"


@pytest.fixture
def receiver(settings):
    settings.OUTBOUND_ALLOW_PRIVATE = True
    receiver, server = start_receiver()
    yield receiver
    server.shutdown()
    server.server_close()


def enable_push(team, receiver, *, mode="plain", data_format="xml"):
    DevSettings.objects.update_or_create(
        miniprogram=team.miniprogram,
        defaults={
            "push_url": receiver.url + "/wechat",
            "push_token": TOKEN,
            "push_aes_key": AES_KEY,
            "push_mode": mode,
            "push_format": data_format,
            "push_enabled": True,
        },
    )


def push_of(team, kind, payload):
    """Emit the releases event and run the deliveries a worker would; the push it made."""
    appid = team.miniprogram.appid
    with transaction.atomic():
        event = events.emit(kind, {"appid": appid, **payload}, appid=appid)
    for pk in deliveries.due_ids():
        deliveries.run(pk)
    return event


def fields_of(body: bytes, data_format: str) -> dict:
    if data_format == "json":
        return json.loads(body)
    return {child.tag: child.text for child in ET.fromstring(body)}


def assert_signed(received):
    query = received.query
    assert query["signature"] == push_signature(TOKEN, query["timestamp"], query["nonce"])


CASES = [
    ("code.audit_success", {}, "weapp_audit_success", {"SuccTime"}),
    (
        "code.audit_fail",
        {"reason": "页面空白", "screenshots": ["media1", "media2"]},
        "weapp_audit_fail",
        {"Reason", "FailTime", "ScreenShot"},
    ),
    ("code.audit_delay", {"reason": "需要人工复核"}, "weapp_audit_delay", {"Reason", "DelayTime"}),
]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("data_format", ["xml", "json"])
@pytest.mark.parametrize(("kind", "payload", "wechat_event", "own_fields"), CASES)
def test_each_audit_result_is_pushed_in_wechats_event_format(
    team, receiver, data_format, kind, payload, wechat_event, own_fields
):
    """VER-5: the fields of §4.14, nothing missing, the time fields the event's time."""
    enable_push(team, receiver, data_format=data_format)
    event = push_of(team, kind, payload)
    (got,) = receiver.at("/wechat")
    assert_signed(got)
    assert "encrypt_type" not in got.query
    content_type = got.headers["Content-Type"]
    assert content_type.startswith("application/json" if data_format == "json" else "text/xml")
    fields = fields_of(got.body, data_format)
    assert (
        set(fields) == {"ToUserName", "FromUserName", "CreateTime", "MsgType", "Event"} | own_fields
    )
    assert fields["ToUserName"] == team.miniprogram.appid
    assert fields["MsgType"] == "event" and fields["Event"] == wechat_event
    at = int(event.created_at.timestamp())
    assert int(fields["CreateTime"]) == at
    for name in own_fields - {"Reason", "ScreenShot"}:
        assert int(fields[name]) == at
    if "Reason" in own_fields:
        assert fields["Reason"] == payload["reason"]
    if "ScreenShot" in own_fields:
        assert fields["ScreenShot"] == "media1|media2"
    delivery = Delivery.objects.get(route=notifications.ROUTE_PUSH)
    assert delivery.state == DeliveryState.DELIVERED and delivery.last_status == 200


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("data_format", ["xml", "json"])
def test_safe_mode_sends_only_the_encrypted_message_which_wechatpy_opens(
    team, receiver, data_format
):
    enable_push(team, receiver, mode="safe", data_format=data_format)
    push_of(team, "code.audit_fail", {"reason": "违规内容", "screenshots": ["m1"]})
    (got,) = receiver.at("/wechat")
    assert_signed(got)
    assert got.query["encrypt_type"] == "aes"
    outer = fields_of(got.body, data_format)
    assert set(outer) == {"ToUserName", "Encrypt"}
    crypto = WeChatCrypto(TOKEN, AES_KEY, team.miniprogram.appid)
    opened = crypto.decrypt_message(
        outer if data_format == "json" else got.body,
        got.query["msg_signature"],
        got.query["timestamp"],
        got.query["nonce"],
    )
    inner = fields_of(opened.encode() if isinstance(opened, str) else opened, data_format)
    assert inner["Event"] == "weapp_audit_fail"
    assert inner["Reason"] == "违规内容" and inner["ScreenShot"] == "m1"


@pytest.mark.django_db(transaction=True)
def test_compatible_mode_sends_the_plain_fields_and_the_encrypted_copy(team, receiver):
    enable_push(team, receiver, mode="compatible")
    push_of(team, "code.audit_delay", {"reason": "排队中"})
    (got,) = receiver.at("/wechat")
    outer = fields_of(got.body, "xml")
    assert outer["Event"] == "weapp_audit_delay" and outer["Reason"] == "排队中"
    crypto = WeChatCrypto(TOKEN, AES_KEY, team.miniprogram.appid)
    inner = crypto.decrypt_message(
        got.body, got.query["msg_signature"], got.query["timestamp"], got.query["nonce"]
    )
    assert fields_of(inner.encode(), "xml")["DelayTime"] == outer["DelayTime"]


@pytest.mark.django_db(transaction=True)
def test_a_release_and_a_mini_program_without_push_get_no_push(team, receiver):
    """WeChat pushes review results only; with push off nothing is queued for it."""
    enable_push(team, receiver)
    push_of(team, "code.released", {})
    assert receiver.at("/wechat") == []
    DevSettings.objects.filter(miniprogram=team.miniprogram).update(push_enabled=False)
    push_of(team, "code.audit_success", {})
    assert receiver.at("/wechat") == []
    assert not Delivery.objects.filter(route=notifications.ROUTE_PUSH).exists()


@pytest.mark.django_db(transaction=True)
def test_a_push_receiver_answering_an_error_is_retried(team, receiver):
    receiver.behaviour["/wechat"] = (0.0, 502, b"bad gateway")
    enable_push(team, receiver)
    push_of(team, "code.audit_success", {})
    delivery = Delivery.objects.get(route=notifications.ROUTE_PUSH)
    assert delivery.state == DeliveryState.PENDING and delivery.last_status == 502
    assert delivery.next_attempt_at is not None
