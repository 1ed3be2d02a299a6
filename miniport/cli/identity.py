"""`miniport identity create|login-code`: super-app identities."""

from __future__ import annotations

import argparse
from typing import Any

from miniport.cli.base import SYSTEM_ACTOR, print_json


def register(commands: Any) -> None:
    identity = commands.add_parser("identity", help="super-app identities").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    create_identity = identity.add_parser("create", help="create an identity")
    create_identity.add_argument("--wechat-id", required=True)
    create_identity.add_argument("--real-name", required=True)
    create_identity.add_argument("--id-number", default="")
    create_identity.add_argument("--phone", default="")
    create_identity.add_argument("--password", default="")
    create_identity.add_argument("--nickname", default="")
    create_identity.add_argument("--json", action="store_true", help="print one JSON object")
    create_identity.set_defaults(handler=cmd_identity_create)
    login_code = identity.add_parser(
        "login-code", help="issue a wx.login code for an identity and a mini program (prints JSON)"
    )
    login_code.add_argument("--wechat-id", required=True)
    login_code.add_argument("--appid", required=True)
    login_code.set_defaults(handler=cmd_identity_login_code)


def cmd_identity_create(args: argparse.Namespace) -> int:
    from miniport.core.actors import Actor
    from miniport.identities import services as identity_services

    identity = identity_services.identity_create(
        actor=Actor.system(SYSTEM_ACTOR),
        wechat_id=args.wechat_id,
        real_name=args.real_name,
        id_number=args.id_number,
        phone=args.phone,
        password=args.password,
        nickname=args.nickname,
    )
    data = {
        "id": identity.pk,
        "wechat_id": identity.wechat_id,
        "nickname": identity.nickname,
        "real_name_verified": identity.real_name_verified,
    }
    if args.json:
        print_json(data)
    else:
        verified = "real-name verified" if identity.real_name_verified else "not real-name verified"
        print(f"Created identity {identity.wechat_id} ({identity.nickname}), {verified}.")
    return 0


def cmd_identity_login_code(args: argparse.Namespace) -> int:
    """What the host app's POST /runtime/v1/login does, for scripts and tests: one JSON
    object with the single-use code a mini program's server redeems at jscode2session."""
    from miniport.core.actors import Actor
    from miniport.core.errors import PlatformError
    from miniport.identities.models import Identity
    from miniport.miniprograms import selectors
    from miniport.miniprograms.errors import MiniProgramError
    from miniport.miniprograms.services import credentials

    identity = Identity.objects.filter(wechat_id=args.wechat_id.strip()).first()
    if identity is None:
        raise PlatformError(MiniProgramError.USER_NOT_FOUND, field="wechat_id")
    miniprogram = selectors.by_appid(args.appid.strip())
    if miniprogram is None:
        raise PlatformError(MiniProgramError.INVALID_APPID, field="appid")
    issued = credentials.login_code_issue(
        actor=Actor.system(SYSTEM_ACTOR), identity=identity, miniprogram=miniprogram
    )
    print_json(
        {
            "code": issued.code,
            "expires_in": issued.expires_in,
            "appid": miniprogram.appid,
            "wechat_id": identity.wechat_id,
        }
    )
    return 0
