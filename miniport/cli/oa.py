"""`miniport oa create`: an official account (OA-1), for automation and the demo: its
AppID, AppSecret (shown once) and administrator. `miniport oa secret`: a new AppSecret
(shown once); the old one stops working, issued tokens live until they expire."""

from __future__ import annotations

import argparse
from typing import Any

from miniport.cli.base import EXIT_USAGE, SYSTEM_ACTOR, fail, print_json


def register(commands: Any) -> None:
    oa = commands.add_parser("oa", help="official accounts").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    create = oa.add_parser("create", help="create an official account")
    create.add_argument("--name", required=True)
    create.add_argument(
        "--subject-of",
        metavar="APPID",
        default="",
        help="of the same subject as the mini program APPID (its administrator by default)",
    )
    create.add_argument(
        "--admin-wechat-id", default="", help="the administrator: an existing identity's ID"
    )
    create.add_argument("--introduction", default="")
    create.add_argument("--json", action="store_true", help="print one JSON object")
    create.set_defaults(handler=cmd_oa_create, before_setup=_check_admin)
    reset = oa.add_parser("secret", help="reset an official account's AppSecret")
    reset.add_argument("--appid", required=True, help="the official account's AppID")
    reset.add_argument("--json", action="store_true", help="print one JSON object")
    reset.set_defaults(handler=cmd_oa_secret)


def _check_admin(args: argparse.Namespace) -> None:
    if not args.subject_of and not args.admin_wechat_id:
        fail("one of --admin-wechat-id or --subject-of is required", EXIT_USAGE)


def cmd_oa_create(args: argparse.Namespace) -> int:
    from miniport.core.actors import Actor
    from miniport.core.errors import PlatformError
    from miniport.identities.selectors import identity_by_wechat_id
    from miniport.links.official_accounts import services
    from miniport.links.official_accounts.errors import OfficialAccountError
    from miniport.miniprograms.errors import MiniProgramError
    from miniport.miniprograms.selectors import by_appid

    subject_of = None
    if args.subject_of:
        subject_of = by_appid(args.subject_of.strip())
        if subject_of is None:
            raise PlatformError(MiniProgramError.INVALID_APPID, field="subject_of")
    if args.admin_wechat_id:
        admin = identity_by_wechat_id(args.admin_wechat_id.strip())
        if admin is None:
            raise PlatformError(
                OfficialAccountError.ADMIN_NOT_FOUND,
                field="admin_wechat_id",
                wechat_id=args.admin_wechat_id.strip(),
            )
    else:
        admin = subject_of.admin_identity  # type: ignore[union-attr]
    oa, secret = services.official_account_create(
        actor=Actor.system(SYSTEM_ACTOR),
        name=args.name,
        admin=admin,
        subject_of=subject_of,
        introduction=args.introduction,
    )
    data = {
        "appid": oa.appid,
        "secret": secret,
        "original_id": oa.original_id,
        "name": oa.name,
        "subject": oa.subject_name,
        "admin_wechat_id": admin.wechat_id,
    }
    if args.json:
        print_json(data)
        return 0
    print(f"Created official account {oa.name}.")
    print(f"  AppID:         {oa.appid}")
    print(f"  AppSecret:     {secret}  (shown once, store it now)")
    print(f"  original ID:   {oa.original_id}")
    print(f"  administrator: {admin.wechat_id}")
    return 0


def cmd_oa_secret(args: argparse.Namespace) -> int:
    from miniport.core.actors import Actor
    from miniport.core.errors import PlatformError
    from miniport.links.official_accounts import credentials, selectors
    from miniport.miniprograms.errors import MiniProgramError

    oa = selectors.official_account_by_appid(args.appid.strip())
    if oa is None:
        raise PlatformError(MiniProgramError.INVALID_APPID, field="appid")
    secret = credentials.secret_reset(actor=Actor.system(SYSTEM_ACTOR), official_account=oa)
    if args.json:
        print_json({"appid": oa.appid, "secret": secret})
        return 0
    print(f"New AppSecret of {oa.name} ({oa.appid}): {secret}  (shown once, store it now)")
    print("The previous AppSecret no longer works; issued access tokens live until they expire.")
    return 0
