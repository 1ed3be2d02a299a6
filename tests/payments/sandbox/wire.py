"""Speaking the XML API in tests: signed requests through Django's test client."""

from __future__ import annotations

from django.test import Client

from miniport.payments.sandbox import keys, signing


def signed_body(fields: dict, key: str, sign_type: str = "MD5") -> bytes:
    fields = {k: v for k, v in fields.items() if v is not None}
    if sign_type != "MD5":
        fields["sign_type"] = sign_type
    fields["sign"] = signing.sign(fields, key, sign_type)
    return signing.to_xml(fields).encode()


def call(path: str, fields: dict, key: str, *, sign_type: str = "MD5") -> dict[str, str]:
    response = Client().post(path, signed_body(fields, key, sign_type), content_type="")
    assert response.status_code == 200, response.content
    return signing.parse_xml(response.content)


def raw(path: str, body: bytes, **extra) -> dict[str, str]:
    response = Client().post(path, body, content_type="", **extra)
    assert response.status_code == 200, response.content
    return signing.parse_xml(response.content)


def base_fields(shop, **overrides) -> dict:
    fields = {"appid": shop.appid, "mch_id": shop.merchant.mch_id, "nonce_str": signing.nonce()}
    fields.update(overrides)
    return fields


def order_fields(shop, **overrides) -> dict:
    fields = base_fields(
        shop,
        body="测试商品",
        out_trade_no="T" + signing.nonce()[:20],
        total_fee=100,
        spbill_create_ip="127.0.0.1",
        notify_url="https://merchant.example.com/notify",
        trade_type="JSAPI",
        openid="o" + signing.nonce()[:27],
    )
    fields.update(overrides)
    return fields


def key_of(shop, sandbox: bool = False) -> str:
    return keys.signing_key(shop.merchant, sandbox=sandbox)


def reply_signed(reply: dict[str, str], key: str, sign_type: str = "MD5") -> bool:
    return signing.sign(reply, key, sign_type) == reply.get("sign")


def set_policy(key: str, value: int) -> None:
    from miniport.core import policy
    from miniport.core.models import PolicyOverride

    PolicyOverride.objects.update_or_create(key=key, defaults={"value": value})
    policy.forget_cached()


def books() -> tuple:
    """Everything the sandbox stores, to assert that a refusal changed nothing."""
    from miniport.payments.models import LedgerEntry, Order, Refund

    return (
        list(Order.objects.order_by("id").values_list("id", "trade_state", "refunded_fee")),
        list(Refund.objects.order_by("id").values_list("id", "status")),
        LedgerEntry.objects.count(),
    )


def paid_order(shop, payer, **overrides):
    """An order placed through the API and paid by `payer`."""
    from miniport.core.actors import Actor
    from miniport.identities.selectors import openid_for
    from miniport.payments.models import Order
    from miniport.payments.sandbox.orders import order_pay

    fields = order_fields(shop, openid=openid_for(payer, shop.appid), **overrides)
    reply = call("/pay/unifiedorder", fields, shop.key)
    assert reply["result_code"] == "SUCCESS", reply
    order = Order.objects.get(prepay_id=reply["prepay_id"])
    assert order_pay(actor=Actor.for_identity(payer), order=order, payer=payer)
    order.refresh_from_db()
    return order
