"""`miniport pay confirm`: the payer's confirmation of a sandbox order, for automation
(PAY-1) — what the identity does on the phone page `/m/pay/<prepay_id>/`.

`miniport pay confirm --prepay-id ID --wechat-id WID [--json]` pays the order of ID as
the identity WID: the sandbox marks it paid (one ORDER_PAID ledger row) and makes the
merchant's payment notification, which the worker delivers. With --json it prints one
line: `prepay_id`, `appid`, `out_trade_no`, `transaction_id`, `trade_state`, `total_fee`,
`openid`, `paid_now` (false when it had been paid already: confirming again is no error).

Refusals exit 1 with one line on stderr and change nothing: an unknown identity
(`wechat_id: not found`), no such order (`prepay_id: no such order`), an order another
user placed (`this order belongs to another user`), a closed order, one whose time to pay
has run out. Bad arguments exit 2.
"""

from __future__ import annotations

import argparse
from typing import Any

from miniport.cli.base import SYSTEM_ACTOR, print_json


def register(commands: Any) -> None:
    pay = commands.add_parser("pay", help="the payment sandbox").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    confirm = pay.add_parser("confirm", help="pay a sandbox order as its payer")
    confirm.add_argument("--prepay-id", required=True, metavar="ID", help="the order's prepay_id")
    confirm.add_argument(
        "--wechat-id", required=True, metavar="WID", help="the paying identity's super-app ID"
    )
    confirm.add_argument("--json", action="store_true", help="print one JSON line")
    confirm.set_defaults(handler=cmd_pay_confirm)


def cmd_pay_confirm(args: argparse.Namespace) -> int:
    from miniport.core.actors import Actor
    from miniport.core.errors import CoreError, PlatformError
    from miniport.identities.selectors import identity_by_wechat_id
    from miniport.payments.notifications import paying

    identity = identity_by_wechat_id(args.wechat_id)
    if identity is None:
        raise PlatformError(CoreError.NOT_FOUND, field="wechat_id")
    confirmed = paying.pay_confirm(
        actor=Actor.system(SYSTEM_ACTOR), prepay_id=args.prepay_id.strip(), identity=identity
    )
    order = confirmed.order
    row = {
        "prepay_id": order.prepay_id,
        "appid": order.appid,
        "out_trade_no": order.out_trade_no,
        "transaction_id": order.transaction_id,
        "trade_state": order.trade_state,
        "total_fee": order.total_fee,
        "openid": order.openid,
        "paid_now": confirmed.paid_now,
    }
    if args.json:
        print_json(row)
    elif confirmed.paid_now:
        print(f"Paid {order.out_trade_no} ({order.total_fee} fen): {order.transaction_id}")
    else:
        print(f"{order.out_trade_no} was already paid ({order.transaction_id}).")
    return 0
