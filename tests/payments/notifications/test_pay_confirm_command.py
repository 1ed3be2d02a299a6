"""PAY-1: `miniport pay confirm --prepay-id ID --wechat-id WID [--json]` pays a sandbox
order as its payer, for automation: one JSON line; confirming again is no error
(paid_now false); refusals exit 1 with one line on stderr and change nothing; bad
arguments exit 2. The command runs in this process (the console script's `main`)."""

from __future__ import annotations

import json

import pytest

from miniport.cli import main
from miniport.payments.models import LedgerKind, PayNotification, TradeState
from miniport.payments.sandbox.orders import order_close
from tests.payments.notifications.support import payer_order, state


def run(capsys, *args: str) -> tuple[int, str, str]:
    try:
        status = main(list(args))
    except SystemExit as exit:
        status = exit.code  # type: ignore[assignment]
    out, err = capsys.readouterr()
    return int(status or 0), out, err


@pytest.fixture
def sale(shop, make_identity):
    buyer = make_identity("cli_buyer")
    return buyer, payer_order(buyer, shop.miniprogram)


def test_confirm_pays_the_order_and_prints_one_json_line(capsys, sale):
    buyer, order = sale
    status, out, err = run(
        capsys,
        "pay",
        "confirm",
        "--prepay-id",
        order.prepay_id,
        "--wechat-id",
        "cli_buyer",
        "--json",
    )
    assert (status, err) == (0, "")
    assert out.count("\n") == 1
    row = json.loads(out)
    order.refresh_from_db()
    assert row == {
        "prepay_id": order.prepay_id,
        "appid": order.appid,
        "out_trade_no": order.out_trade_no,
        "transaction_id": order.transaction_id,
        "trade_state": "SUCCESS",
        "total_fee": 1234,
        "openid": order.openid,
        "paid_now": True,
    }
    assert order.payer_id == buyer.pk and len(order.transaction_id) == 28
    assert order.ledger.filter(kind=LedgerKind.ORDER_PAID).count() == 1
    assert PayNotification.objects.filter(order=order).count() == 1

    status, out, _err = run(
        capsys,
        "pay",
        "confirm",
        "--prepay-id",
        order.prepay_id,
        "--wechat-id",
        "cli_buyer",
        "--json",
    )
    assert status == 0 and json.loads(out)["paid_now"] is False
    assert order.ledger.filter(kind=LedgerKind.ORDER_PAID).count() == 1
    status, out, _err = run(
        capsys, "pay", "confirm", "--prepay-id", order.prepay_id, "--wechat-id", "cli_buyer"
    )
    assert status == 0 and "already paid" in out


@pytest.mark.parametrize(
    ("prepay", "wechat_id", "message"),
    [
        ("wx_no_such_order", "cli_buyer", "prepay_id: no such order"),
        ("wx\x00", "cli_buyer", "prepay_id: no such order"),
        (None, "nobody_here", "wechat_id: not found"),
        (None, "cli_other", "this order belongs to another user"),
    ],
    ids=["unknown-order", "nul", "unknown-identity", "not-the-payer"],
)
def test_refusals_exit_1_with_one_line_and_change_nothing(
    capsys, sale, make_identity, prepay, wechat_id, message
):
    _buyer, order = sale
    make_identity("cli_other")
    before = state(order)
    status, out, err = run(
        capsys, "pay", "confirm", "--prepay-id", prepay or order.prepay_id, "--wechat-id", wechat_id
    )
    assert status == 1 and out == ""
    assert err.count("\n") == 1 and message in err, err
    assert state(order) == before


def test_a_closed_order_is_refused(capsys, sale):
    _buyer, order = sale
    order_close(order)
    before = state(order)
    status, _out, err = run(
        capsys, "pay", "confirm", "--prepay-id", order.prepay_id, "--wechat-id", "cli_buyer"
    )
    assert status == 1 and "closed" in err
    assert state(order) == before and before[0] == TradeState.CLOSED


def test_missing_arguments_exit_2(capsys, sale):
    _buyer, order = sale
    status, _out, err = run(capsys, "pay", "confirm", "--prepay-id", order.prepay_id)
    assert status == 2 and "--wechat-id" in err
