"""Demo data of payments (PAY-1): a certified enterprise mini program whose application
for payment the desk approved, and a few orders of its merchant: one waiting for payment,
one paid, one paid and refunded.

Everything goes through the services (the application with its documents, the review's
approval, the sandbox's order_create / order_pay / refund_apply), so the console shows
what a real merchant sees. The API key is not shown here: the administrator reveals it
once in the console, after a scan.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from miniport.core import audit
from miniport.core.actors import Actor

SHOP_EMAIL = "shop@miniport.local"
SHOP_APP_NAME = "迷你港商城"
SHOP_ADMIN_WECHAT_ID = "demo_shop_admin"
SHOP_BUYER_WECHAT_ID = "demo_guest"
# (item, fen, what happens to the order)
ORDERS = (
    ("迷你港马克杯", 3900, "paid"),
    ("迷你港帆布袋", 5900, "refunded"),
    ("迷你港会员月卡", 1500, "unpaid"),
)


def shop_app():
    from miniport.miniprograms.models import MiniProgram

    return MiniProgram.objects.filter(account__email=SHOP_EMAIL).first()


def payments_present() -> bool:
    """The shop, its merchant and its orders are there."""
    from miniport.payments.models import Order

    app = shop_app()
    merchant = getattr(app, "merchant", None) if app is not None else None
    return merchant is not None and Order.objects.filter(merchant=merchant).exists()


def summary() -> str:
    """One line for the demo's logins: the shop's merchant number and orders."""
    from miniport.payments.models import Merchant, Order

    app = shop_app()
    merchant = Merchant.objects.filter(miniprogram=app).first() if app is not None else None
    if merchant is None:
        return ""
    count = Order.objects.filter(merchant=merchant).count()
    return f"merchant mch_id {merchant.mch_id}, {count} orders (API key: shown once in the console)"


def _png(color: tuple[int, int, int]) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (240, 160), color).save(out, format="PNG")
    return out.getvalue()


def ensure_payments(*, actor: Actor, password: str, say: Callable[[str], None]) -> bool:
    """Create whatever of the shop is missing; return whether anything was created."""
    created = _ensure_shop(actor, password, say)
    app = shop_app()
    if app is None:
        return created
    created |= _ensure_merchant(actor, app, say)
    created |= _ensure_orders(actor, app, say)
    return created


def _ensure_shop(actor: Actor, password: str, say) -> bool:
    from miniport.miniprograms.services.provisioning import provision_miniprogram

    if shop_app() is not None:
        return False
    provisioned = provision_miniprogram(
        actor=actor,
        name=SHOP_APP_NAME,
        subject_type="enterprise",
        email=SHOP_EMAIL,
        admin_wechat_id=SHOP_ADMIN_WECHAT_ID,
        certified=True,
    )
    account = provisioned.miniprogram.account
    account.set_password(password)
    account.save(update_fields=["password"])
    audit.record(actor, "account.password_set", target=account, after={"email": account.email})
    say(
        f"mini program {SHOP_APP_NAME}: certified enterprise, AppID {provisioned.miniprogram.appid}"
    )
    return True


def _ensure_merchant(actor: Actor, app, say) -> bool:
    """The administrator applies in the console's way; the platform approves."""
    from miniport.payments.merchants import selectors, services
    from miniport.review import services as review_services

    if selectors.merchant_of(app) is not None:
        return False
    application = selectors.open_application(app)
    if application is None:
        application = services.merchant_apply(
            actor=Actor.for_identity(app.admin_identity),
            miniprogram=app,
            business_name="迷你港商城",
            business_category="文创周边",
            service_phone="0755-86000000",
            contact_name="钱商户",
            contact_email="shop-pay@miniport.local",
            settlement_account_name="深圳迷你港商城有限公司",
            settlement_bank="招商银行深圳分行",
            settlement_account_number="6225880100001234",
            documents={"licence": _png((30, 120, 200)), "id_card": _png((200, 120, 30))},
        )
    review = selectors.application_review(application)
    assert review is not None, "a payment application is under review once submitted"
    review_services.review_approve(actor=actor, review=review, note="demo data")
    merchant = selectors.merchant_of(app)
    assert merchant is not None, "approving the application opens the merchant"
    say(f"merchant {merchant.mch_id} of {SHOP_APP_NAME}: approved")
    return True


def _ensure_orders(actor: Actor, app, say) -> bool:
    from miniport.identities.models import Identity
    from miniport.identities.selectors import openid_for
    from miniport.payments.merchants.selectors import merchant_of
    from miniport.payments.models import Order
    from miniport.payments.sandbox.orders import order_create, order_pay
    from miniport.payments.sandbox.refunds import refund_apply

    merchant = merchant_of(app)
    if merchant is None or Order.objects.filter(merchant=merchant).exists():
        return False
    buyer = Identity.objects.filter(wechat_id=SHOP_BUYER_WECHAT_ID).first()
    if buyer is None:
        return False
    for n, (body, fen, fate) in enumerate(ORDERS, start=1):
        order = order_create(
            merchant=merchant,
            appid=app.appid,
            openid=openid_for(buyer, app.appid),
            body=body,
            total_fee=fen,
            notify_url="",
            out_trade_no=f"DEMO{merchant.mch_id}{n:04d}",
        )
        if fate in ("paid", "refunded"):
            order_pay(actor=Actor.for_identity(buyer), order=order, payer=buyer)
        if fate == "refunded":
            order.refresh_from_db()
            refund_apply(
                merchant=merchant,
                order=order,
                out_refund_no=f"DEMOR{merchant.mch_id}{n:04d}",
                total_fee=fen,
                refund_fee=fen,
                refund_desc="演示退款",
            )
        say(f"order {order.out_trade_no}: {body}, {fen / 100:.2f} CNY, {fate}")
    return True
