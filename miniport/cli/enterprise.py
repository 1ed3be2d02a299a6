"""`miniport enterprise create`: an enterprise of the enterprise edition (WW-2), for
automation and the demo: its corp_id, name and administrator. Departments and members
are managed in the enterprise console (/work/<corp_id>/)."""

from __future__ import annotations

import argparse
from typing import Any

from miniport.cli.base import SYSTEM_ACTOR, print_json


def register(commands: Any) -> None:
    group = commands.add_parser("enterprise", help="enterprises (workbench)").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    create = group.add_parser("create", help="create an enterprise")
    create.add_argument("--name", required=True)
    create.add_argument(
        "--admin-wechat-id", required=True, help="the administrator: an existing identity's ID"
    )
    create.add_argument(
        "--subject-of",
        metavar="APPID",
        default="",
        help="the enterprise belongs to the subject of the mini program APPID",
    )
    create.add_argument("--json", action="store_true", help="print one JSON object")
    create.set_defaults(handler=cmd_enterprise_create)


def cmd_enterprise_create(args: argparse.Namespace) -> int:
    from miniport.accounts.selectors import principal_key
    from miniport.core.actors import Actor
    from miniport.core.errors import PlatformError
    from miniport.links.enterprise.services import directory
    from miniport.miniprograms.errors import MiniProgramError
    from miniport.miniprograms.selectors import by_appid

    key = ""
    if args.subject_of:
        subject_of = by_appid(args.subject_of.strip())
        if subject_of is None:
            raise PlatformError(MiniProgramError.INVALID_APPID, field="subject_of")
        key = principal_key(subject_of.subject)
    enterprise = directory.enterprise_create(
        actor=Actor.system(SYSTEM_ACTOR),
        name=args.name,
        admin_wechat_id=args.admin_wechat_id,
        principal_key=key,
    )
    admin = enterprise.administrators.get()
    data = {
        "corp_id": enterprise.corp_id,
        "name": enterprise.name,
        "admin_wechat_id": admin.wechat_id,
        "console": f"/work/{enterprise.corp_id}/",
    }
    if args.json:
        print_json(data)
        return 0
    print(f"Created enterprise {enterprise.name}.")
    print(f"  corp_id:       {enterprise.corp_id}")
    print(f"  administrator: {admin.wechat_id}")
    print(f"  console:       /work/{enterprise.corp_id}/ (sign in by scan)")
    return 0
