"""B-6, VER-5: review results and releases reach the console's message centre (with the
unread count) and the administrator's email, delivered by a worker after the decision;
webhooks are managed from development settings with their delivery log."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client
from django.utils import timezone

from miniport.core import deliveries, events
from miniport.core.models import Delivery, DeliveryAttempt
from miniport.miniprograms.models import Message, WebhookEndpoint
from miniport.miniprograms.services import notifications, webhooks
from miniport.releases import notifications as release_notices
from tests.miniprograms.conftest import console_login


def browser(identity, appid=None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = console_login(client, identity, appid)
    assert response.status_code == 302
    return client


def emit_and_deliver(miniprogram, kind, **payload):
    with transaction.atomic():
        event = events.emit(kind, {"appid": miniprogram.appid, **payload}, appid=miniprogram.appid)
    for pk in deliveries.due_ids():
        deliveries.run(pk)
    return event


@pytest.fixture
def app(provision):
    return provision("personal").miniprogram


@pytest.mark.django_db(transaction=True)
def test_a_rejected_review_reaches_the_inbox_with_its_reason_and_the_unread_count(app):
    """VER-5: the message names the result and the reason; the page counts it unread."""
    assert Message.objects.count() == 0
    emit_and_deliver(
        app, "code.audit_fail", reason="首页白屏", screenshots=["s1"], user_version="1.0.1"
    )
    client = browser(app.admin_identity)
    page = client.get("/inbox/").content.decode()
    message = Message.objects.get(miniprogram=app)
    assert message.kind == "code.audit_fail" and message.read_at is None
    assert "首页白屏" in message.body and "1.0.1" in message.body
    # Issue 10 item 5: stored in the default language, shown in the page's (English here).
    assert message.title == "代码审核未通过"
    assert "Code review rejected" in page and "首页白屏" in page
    assert re.search(r'data-testid="unread-count">\s*1 unread message<', page)


@pytest.mark.django_db(transaction=True)
def test_a_catalog_rejection_reason_is_shown_in_the_readers_language(app):
    """VER-5: the stored message keeps the default language; a catalog reason is worded
    again from its key on an English page, free text stays as written."""
    emit_and_deliver(
        app,
        "code.audit_fail",
        reason="功能不完整或仍在测试中\n首页白屏",
        reasons=["incomplete_features", "首页白屏"],
        reason_keys=["incomplete_features"],
        user_version="1.0.0",
    )
    assert "功能不完整或仍在测试中" in Message.objects.get(miniprogram=app).body
    english = browser(app.admin_identity).get("/inbox/").content.decode()
    assert "Features incomplete or still in testing" in english and "首页白屏" in english
    assert "功能不完整或仍在测试中" not in english
    chinese = Client()
    console_login(chinese, app.admin_identity)
    assert "功能不完整或仍在测试中" in chinese.get("/inbox/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_marking_messages_read_clears_the_unread_count(app):
    emit_and_deliver(app, "code.audit_success")
    emit_and_deliver(app, "code.released")
    client = browser(app.admin_identity)
    assert "2 unread messages" in client.get("/inbox/").content.decode()
    first = Message.objects.filter(miniprogram=app).last()
    client.post("/inbox/read/", {"id": first.pk})
    assert notifications.unread_count(app) == 1
    client.post("/inbox/read/")
    page = client.get("/inbox/").content.decode()
    assert "0 unread messages" in page and notifications.unread_count(app) == 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("raw", ["²", "9" * 5000])
def test_a_message_id_that_is_no_number_python_reads_is_no_error(app, raw):
    """ "²" is a digit to str.isdigit() and no number to int(); thousands of digits are
    past what Python reads: both were a 500."""
    emit_and_deliver(app, "code.audit_success")
    response = browser(app.admin_identity).post("/inbox/read/", {"id": raw})
    assert response.status_code == 302


@pytest.mark.django_db(transaction=True)
def test_a_repeated_delivery_posts_no_second_message(app):
    event = emit_and_deliver(app, "code.audit_delay", reason="排队")
    job = deliveries.Job(delivery_id=0, event=event, recipient="", attempt=2, max_attempts=8)
    [route] = [r for r in deliveries.routes() if r.name == release_notices.ROUTE_INBOX]
    route.handler(job)
    assert Message.objects.filter(miniprogram=app).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_administrator_is_mailed_each_result_at_the_account_email(app):
    """B-6: Django's mail backend (locmem in tests, files under var/mail by default)."""
    mail.outbox.clear()
    emit_and_deliver(app, "code.audit_fail", reason="缺少隐私协议")
    emit_and_deliver(app, "code.released")
    assert [m.to for m in mail.outbox] == [[app.account.email], [app.account.email]]
    assert "缺少隐私协议" in mail.outbox[0].body
    assert app.appid in mail.outbox[0].subject or (app.name or "") in mail.outbox[0].subject
    sent = Delivery.objects.filter(route=release_notices.ROUTE_EMAIL)
    assert {d.state for d in sent} == {"delivered"}


@pytest.mark.django_db(transaction=True)
def test_nothing_is_delivered_before_a_worker_runs(app):
    """DESIGN: the request (here: the emitting transaction) only writes rows."""
    mail.outbox.clear()
    with transaction.atomic():
        events.emit("code.audit_success", {"appid": app.appid}, appid=app.appid)
    assert mail.outbox == [] and Message.objects.count() == 0
    assert Delivery.objects.filter(appid=app.appid, state="pending").count() == 2


@pytest.mark.django_db
def test_the_menu_leads_every_project_role_to_the_message_centre(app):
    client = browser(app.admin_identity)
    home = client.get("/").content.decode()
    assert 'href="/inbox/"' in home


@pytest.mark.django_db
def test_the_webhook_pages_add_show_the_secret_once_and_list_the_endpoint(app):
    """B-6: added in development settings; the secret appears in that answer only."""
    client = browser(app.admin_identity)
    assert 'href="/settings/dev/webhooks/"' in client.get("/settings/dev/").content.decode()
    answer = client.post(
        "/settings/dev/webhooks/add/", {"url": "https://hooks.example.com/a", "events": "code.*"}
    )
    assert answer.status_code == 200
    secret = re.search(r'data-testid="webhook-secret">([^<]+)<', answer.content.decode()).group(1)
    endpoint = WebhookEndpoint.objects.get(miniprogram=app)
    assert endpoint.events == "code.*"
    listing = client.get("/settings/dev/webhooks/").content.decode()
    assert "https://hooks.example.com/a" in listing and secret not in listing
    detail = client.get(f"/settings/dev/webhooks/{endpoint.pk}/").content.decode()
    assert secret not in detail and endpoint.secret_hint in detail


@pytest.mark.django_db
def test_a_bad_webhook_url_is_shown_on_the_form_and_nothing_is_added(app):
    client = browser(app.admin_identity)
    answer = client.post("/settings/dev/webhooks/add/", {"url": "ftp://x.example/", "events": "*"})
    assert answer.status_code == 200
    assert "Invalid webhook URL" in answer.content.decode()
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_webhook_page_shows_each_attempt_of_the_delivery_log(app, settings):
    settings.OUTBOUND_ALLOW_PRIVATE = True
    endpoint, _secret = webhooks.webhook_create(
        actor=_admin(app), miniprogram=app, url="http://127.0.0.1:9/none"
    )
    emit_and_deliver(app, "code.released")
    attempt = DeliveryAttempt.objects.get(delivery__route=webhooks.ROUTE)
    client = browser(app.admin_identity)
    page = client.get(f"/settings/dev/webhooks/{endpoint.pk}/").content.decode()
    assert f'data-attempt="{attempt.pk}"' in page
    assert "code.released" in page and attempt.error in page
    assert timezone.localtime(attempt.next_retry_at).strftime("%Y-%m-%d %H:%M:%S") in page
    assert "0 delivered, 1 pending, 0 failed" in page


@pytest.mark.django_db
def test_removing_a_webhook_from_the_console_stops_it(app):
    endpoint, _secret = webhooks.webhook_create(
        actor=_admin(app), miniprogram=app, url="https://hooks.example.com/b"
    )
    client = browser(app.admin_identity)
    assert client.post(f"/settings/dev/webhooks/{endpoint.pk}/remove/").status_code == 302
    assert not WebhookEndpoint.objects.get(pk=endpoint.pk).active
    assert client.get(f"/settings/dev/webhooks/{endpoint.pk}/").status_code == 404


def _admin(app):
    from miniport.core.actors import Actor

    return Actor.for_identity(app.admin_identity)
