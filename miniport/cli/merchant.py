"""`miniport merchant create`: provision an approved merchant for a certified mini program
(PAY-1) and print its mch_id and API key once."""

from __future__ import annotations

import argparse
from typing import Any

from miniport.cli.base import SYSTEM_ACTOR, print_json


def register(commands: Any) -> None:
    merchant = commands.add_parser("merchant", help="payment merchants (PAY-1)").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    create = merchant.add_parser(
        "create", help="open an approved merchant for a certified mini program"
    )
    create.add_argument("--appid", required=True)
    create.add_argument("--json", action="store_true", help="print one JSON object")
    create.set_defaults(handler=cmd_merchant_create)


def cmd_merchant_create(args: argparse.Namespace) -> int:
    """PAY-1: refusals (unknown appid, personal subject, not certified, already a
    merchant, an application under review) are one line on stderr, exit 1."""
    from miniport.core.actors import Actor
    from miniport.core.errors import PlatformError
    from miniport.miniprograms.errors import MiniProgramError
    from miniport.miniprograms.models import MiniProgram
    from miniport.payments.merchants.services import merchant_provision

    miniprogram = (
        MiniProgram.objects.select_related("subject").filter(appid=args.appid.strip()).first()
    )
    if miniprogram is None:
        raise PlatformError(MiniProgramError.INVALID_APPID, field="appid")
    merchant, key = merchant_provision(actor=Actor.system(SYSTEM_ACTOR), miniprogram=miniprogram)
    data = {"appid": miniprogram.appid, "mch_id": merchant.mch_id, "api_key": key}
    if args.json:
        print_json(data)
        return 0
    print(f"Opened merchant {merchant.mch_id} for {miniprogram.appid} ({merchant.name}).")
    print(f"  mch_id:  {merchant.mch_id}")
    print(f"  API key: {key}  (shown once, store it now)")
    return 0
