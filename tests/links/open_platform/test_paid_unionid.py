"""OPN-2: `GET /wxa/getpaidunionid` (wechat-api 3.3 "Related") gives the unionid of a
user who paid a sandbox order of the mini program's own merchant, found by
transaction_id or by mch_id + out_trade_no, for the open account the app is bound to.
Refusals: 40003 (no openid, or not the payer's in this app), 40097 (no order named),
89300 (no such paid order of this app), 89002 (bound to no open account), the token's codes; each changes nothing.
Last, the same through wechatpy against a live server."""

from __future__ import annotations

import json

import pytest
from wechatpy import WeChatClient
from wechatpy.exceptions import WeChatClientException
from wechatpy.pay import WeChatPay

from miniport.cli import main
from miniport.core import clock
from miniport.core.actors import Actor
from miniport.core.models import AuditEntry
from miniport.identities.selectors import openid_for, unionid_for
from miniport.links.open_platform.models import OpenAccount, OpenBinding
from miniport.miniprograms.services import miniprogram_issue_secret
from miniport.payments.merchants.platform import new_api_key, new_mch_id
from miniport.payments.models import LedgerEntry, Merchant, MerchantKind, Order, TradeState
from miniport.payments.sandbox.orders import order_create, order_pay
from tests.links.open_platform import makers
from tests.openapi.wire import Wire

PATH = "/wxa/getpaidunionid"
NOTIFY = "https://shop.example/pay/notify"


def open_merchant(miniprogram) -> Merchant:
    """An active merchant of the mini program, made as a row (tests.payments.shops)."""
    now = clock.now()
    return Merchant.objects.create(
        mch_id=new_mch_id(),
        kind=MerchantKind.MINIPROGRAM,
        miniprogram=miniprogram,
        name=miniprogram.name,
        api_key=new_api_key(),
        key_set_at=now,
        created_at=now,
    )


def paid_order(merchant: Merchant, payer, *, paid: bool = True) -> Order:
    appid = merchant.miniprogram.appid
    order = order_create(
        merchant=merchant,
        appid=appid,
        openid=openid_for(payer, appid),
        body="测试商品",
        total_fee=100,
        notify_url=NOTIFY,
    )
    if paid:
        assert order_pay(actor=Actor.for_identity(payer), order=order, payer=payer) is True
        order.refresh_from_db()
    return order


def state() -> tuple:
    """What a refused (or any) call must leave as it was."""
    return (
        sorted(Order.objects.values_list("pk", "trade_state", "payer_id", "transaction_id")),
        LedgerEntry.objects.count(),
        sorted(OpenAccount.objects.values_list("open_appid", "bound_count")),
        sorted(OpenBinding.objects.values_list("open_account_id", "miniprogram_id")),
        AuditEntry.objects.count(),
    )


@pytest.fixture
def shop(db, provision, make_identity):
    """A certified mini program bound to an open account, its merchant, a paid order and
    its payer, and the app's access token."""
    app = provision("enterprise", certified=True)
    account = makers.services.open_create(
        actor=makers.SYSTEM, miniprogram=app.miniprogram, via_api=True
    )
    open_appid = account.open_appid
    merchant = open_merchant(app.miniprogram)
    payer = make_identity("paid_payer")
    return {
        "app": app,
        "open_appid": open_appid,
        "merchant": merchant,
        "payer": payer,
        "openid": openid_for(payer, app.miniprogram.appid),
        "order": paid_order(merchant, payer),
    }


@pytest.fixture
def ask(client, shop):
    wire = Wire(client)
    token = wire.token(shop["app"])

    def call(**params) -> dict:
        params.setdefault("access_token", token)
        return wire.get(PATH, **params)

    return call


def refused(ask, errcode: int, **params) -> None:
    before = state()
    result = ask(**params)
    assert result["errcode"] == errcode, result
    assert "unionid" not in result
    assert state() == before


def test_opn2_a_payer_gets_the_unionid_of_the_apps_open_account_by_transaction_id(ask, shop):
    before = state()
    result = ask(openid=shop["openid"], transaction_id=shop["order"].transaction_id)
    assert result == {
        "errcode": 0,
        "errmsg": "ok",
        "unionid": unionid_for(shop["payer"], shop["open_appid"]),
    }
    assert state() == before


def test_opn2_a_payer_gets_the_same_unionid_by_mch_id_and_out_trade_no(ask, shop):
    result = ask(
        openid=shop["openid"],
        mch_id=shop["merchant"].mch_id,
        out_trade_no=shop["order"].out_trade_no,
    )
    assert result["errcode"] == 0
    assert result["unionid"] == unionid_for(shop["payer"], shop["open_appid"])


def test_opn2_a_refunded_order_was_paid_and_still_names_its_payer(ask, shop):
    Order.objects.filter(pk=shop["order"].pk).update(trade_state=TradeState.REFUND)
    result = ask(openid=shop["openid"], transaction_id=shop["order"].transaction_id)
    assert result["unionid"] == unionid_for(shop["payer"], shop["open_appid"])


def test_opn2_transaction_id_wins_over_mch_id_and_out_trade_no(ask, shop):
    result = ask(
        openid=shop["openid"],
        transaction_id="4200" + "0" * 24,
        mch_id=shop["merchant"].mch_id,
        out_trade_no=shop["order"].out_trade_no,
    )
    assert result["errcode"] == 89300


# --- 40003: the openid ---------------------------------------------------------------------


def test_opn2_no_openid_answers_40003_and_changes_nothing(ask, shop):
    refused(ask, 40003, transaction_id=shop["order"].transaction_id)
    refused(ask, 40003, openid="  ", transaction_id=shop["order"].transaction_id)


def test_opn2_another_users_openid_answers_40003_and_changes_nothing(ask, shop, make_identity):
    other = openid_for(make_identity("not_the_payer"), shop["app"].miniprogram.appid)
    refused(ask, 40003, openid=other, transaction_id=shop["order"].transaction_id)


def test_opn2_the_payers_openid_of_another_app_answers_40003(ask, shop, provision):
    elsewhere = openid_for(shop["payer"], provision("personal").miniprogram.appid)
    refused(ask, 40003, openid=elsewhere, transaction_id=shop["order"].transaction_id)


# --- 89300: the order ----------------------------------------------------------------------


def test_opn2_neither_transaction_id_nor_mch_id_and_out_trade_no_answers_40097(ask, shop):
    refused(ask, 40097, openid=shop["openid"])
    refused(ask, 40097, openid=shop["openid"], mch_id=shop["merchant"].mch_id)
    refused(ask, 40097, openid=shop["openid"], out_trade_no=shop["order"].out_trade_no)


def test_opn2_an_unknown_or_malformed_order_answers_89300(ask, shop):
    for transaction_id in ("4200" + "0" * 24, "x" * 300, "长" * 10):
        refused(ask, 89300, openid=shop["openid"], transaction_id=transaction_id)
    refused(
        ask, 89300, openid=shop["openid"], mch_id="9" * 40, out_trade_no=shop["order"].out_trade_no
    )


def test_opn2_an_unpaid_order_answers_89300(ask, shop):
    unpaid = paid_order(shop["merchant"], shop["payer"], paid=False)
    refused(
        ask,
        89300,
        openid=shop["openid"],
        mch_id=shop["merchant"].mch_id,
        out_trade_no=unpaid.out_trade_no,
    )


def test_opn2_an_order_of_another_apps_merchant_answers_89300(ask, shop, provision):
    """The other app's order is no order here, even paid by the same user."""
    other = provision("enterprise", certified=True).miniprogram
    merchant = open_merchant(other)
    theirs = paid_order(merchant, shop["payer"])
    refused(ask, 89300, openid=shop["openid"], transaction_id=theirs.transaction_id)
    refused(
        ask, 89300, openid=shop["openid"], mch_id=merchant.mch_id, out_trade_no=theirs.out_trade_no
    )
    # This app's mch_id with the other merchant's out_trade_no names nothing either.
    refused(
        ask,
        89300,
        openid=shop["openid"],
        mch_id=shop["merchant"].mch_id,
        out_trade_no=theirs.out_trade_no,
    )


def test_opn2_an_app_without_a_merchant_answers_89300(client, shop, provision):
    bare = provision("personal")
    wire = Wire(client)
    before = state()
    result = wire.get(
        PATH,
        access_token=wire.token(bare),
        openid=openid_for(shop["payer"], bare.miniprogram.appid),
        transaction_id=shop["order"].transaction_id,
    )
    assert result["errcode"] == 89300
    assert state() == before


# --- 89002: the binding --------------------------------------------------------------------


def test_opn2_an_app_bound_to_no_open_account_answers_89002_and_changes_nothing(ask, shop):
    makers.services.open_unbind(
        actor=makers.SYSTEM,
        account=OpenAccount.objects.get(open_appid=shop["open_appid"]),
        miniprogram=shop["app"].miniprogram,
    )
    refused(ask, 89002, openid=shop["openid"], transaction_id=shop["order"].transaction_id)


# --- the token and the wire ----------------------------------------------------------------


def test_opn2_no_token_or_a_wrong_one_answers_the_token_codes(ask, shop):
    args = {"openid": shop["openid"], "transaction_id": shop["order"].transaction_id}
    refused(ask, 41001, access_token="", **args)
    refused(ask, 40014, access_token="not a token", **args)
    refused(ask, 40014, access_token="A" * 43, **args)


def test_opn2_a_nul_in_an_argument_is_invalid_args_and_changes_nothing(ask, shop):
    """The query parser of every GET endpoint refuses a NUL before the handler (40097)."""
    refused(ask, 40097, openid=shop["openid"], transaction_id="4200\x00")
    refused(ask, 40097, openid="o\x00", transaction_id=shop["order"].transaction_id)


def test_opn2_post_answers_43001(client, ask, shop):
    wire = Wire(client)
    token = wire.token(shop["app"])
    before = state()
    assert wire.post(PATH, {}, access_token=token)["errcode"] == 43001
    assert state() == before


# --- wechatpy against a live server --------------------------------------------------------


class MiniportClient(WeChatClient):
    def fetch_access_token(self):
        return self._fetch_access_token(
            url=self.API_BASE_URL + "token",
            params={"grant_type": "client_credential", "appid": self.appid, "secret": self.secret},
        )


@pytest.mark.django_db(transaction=True)
def test_opn2_wechatpy_pays_through_the_sandbox_then_gets_the_paid_unionid(
    live_server, provision, make_identity, capsys
):
    app = provision("enterprise", certified=True).miniprogram
    merchant = open_merchant(app)
    payer = make_identity("live_paid_payer")
    openid = openid_for(payer, app.appid)
    pay = WeChatPay(app.appid, merchant.api_key, merchant.mch_id)
    pay.API_BASE_URL = live_server.url + "/"
    prepay_id = pay.order.create(
        trade_type="JSAPI",
        body="测试商品",
        total_fee=88,
        notify_url=NOTIFY,
        user_id=openid,
        client_ip="127.0.0.1",
    )["prepay_id"]
    capsys.readouterr()
    status = main(
        ["pay", "confirm", "--prepay-id", prepay_id, "--wechat-id", payer.wechat_id, "--json"]
    )
    out, err = capsys.readouterr()
    assert (status, err) == (0, ""), err
    paid = json.loads(out)

    client = MiniportClient(
        app.appid, miniprogram_issue_secret(actor=Actor.system("tests"), miniprogram=app)
    )
    client.API_BASE_URL = live_server.url + "/cgi-bin/"
    client.wxa.API_BASE_URL = live_server.url + "/"
    # Not bound yet: 89002.
    with pytest.raises(WeChatClientException) as caught:
        client.wxa.get_paid_unionid(openid, transaction_id=paid["transaction_id"])
    assert caught.value.errcode == 89002

    open_appid = client.wxa.create_open(app.appid)
    expected = unionid_for(payer, open_appid)
    assert client.wxa.get_paid_unionid(openid, transaction_id=paid["transaction_id"]) == expected
    assert (
        client.wxa.get_paid_unionid(
            openid, mch_id=merchant.mch_id, out_trade_no=paid["out_trade_no"]
        )
        == expected
    )
    with pytest.raises(WeChatClientException) as caught:
        client.wxa.get_paid_unionid(openid, transaction_id="4200" + "1" * 24)
    assert caught.value.errcode == 89300
    with pytest.raises(WeChatClientException) as caught:
        client.wxa.get_paid_unionid("o" + "x" * 27, transaction_id=paid["transaction_id"])
    assert caught.value.errcode == 40003
