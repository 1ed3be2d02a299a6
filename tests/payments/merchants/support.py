"""Helpers of the merchant tests (PAY-1): a certified enterprise mini program, an
application's fields and documents, a reviewer, an opened merchant."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from miniport.core.actors import Actor

REVIEWER = Actor("staff", "4401", "reviewer@miniport.example")
ACCOUNT_NUMBER = "6222020200112233445"


def png(color=(20, 160, 60), size=(120, 80)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


def upload(name: str = "doc.png", data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png() if data is None else data, content_type="image/png")


def fields(**overrides) -> dict:
    data = {
        "business_name": "深圳迷你港科技有限公司",
        "business_category": "零售",
        "service_phone": "0755-12345678",
        "contact_name": "李企业",
        "contact_email": "pay@example.com",
        "settlement_account_name": "深圳迷你港科技有限公司",
        "settlement_bank": "招商银行深圳分行",
        "settlement_account_number": ACCOUNT_NUMBER,
    }
    data.update(overrides)
    return data


def documents(**overrides) -> dict:
    data = {"licence": png(), "id_card": png((200, 10, 10))}
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def apply(actor, mp, *, docs=None, **overrides):
    from miniport.payments.merchants.services import merchant_apply

    return merchant_apply(
        actor=actor,
        miniprogram=mp,
        documents=documents() if docs is None else docs,
        **fields(**overrides),
    )


def review_of(application):
    from miniport.payments.merchants.selectors import application_review

    return application_review(application)


def approve(application):
    from miniport.review import services as review_services

    review_services.review_approve(actor=REVIEWER, review=review_of(application))
    application.refresh_from_db()
    return application.merchant


def owner(mp) -> Actor:
    return Actor.for_identity(mp.admin_identity)


def in_audit(text: str) -> bool:
    """Whether any audit row carries `text` anywhere (before, after, labels)."""
    import json

    from miniport.core.models import AuditEntry

    for row in AuditEntry.objects.all():
        blob = json.dumps([row.before, row.after, row.actor_label, row.target_id])
        if text in blob:
            return True
    return False


def raw_column(model, column: str, pk) -> str:
    """A column as the database holds it, read past the model (a sealed column's envelope)."""
    from django.db import connection

    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {connection.ops.quote_name(column)} FROM {table} WHERE id = %s", [pk]
        )
        return cursor.fetchone()[0]


# --- console browsers -----------------------------------------------------------------


def admin_browser(app):
    """The administrator's console session (email login confirmed by scan), in English."""
    from tests.console.conftest import en_client, two_step_login

    client = en_client()
    two_step_login(client, app)
    assert client.post("/login/scan/complete/").status_code == 302
    return client


def member_browser(mp, identity, role: str | None):
    """A member's console session (scan login); `role` None: an experience member,
    "outsider": a session naming a mini program the identity has no role in."""
    from tests.console.conftest import en_client
    from tests.console.console_routes import add_confirmed, forge_session
    from tests.miniprograms.conftest import console_login

    client = en_client()
    if role == "outsider":
        forge_session(client, identity, mp.appid)
        return client
    add_confirmed(mp, identity, "project", (role,))
    console_login(client, identity, mp.appid)
    return client


def make_orders(merchant, count: int, *, body: str = "测试商品", total_fee: int = 100):
    from miniport.payments.sandbox.orders import order_create

    return [
        order_create(
            merchant=merchant,
            appid=merchant.miniprogram.appid,
            openid="",
            body=f"{body}{n}",
            total_fee=total_fee + n,
            notify_url="",
        )
        for n in range(count)
    ]
