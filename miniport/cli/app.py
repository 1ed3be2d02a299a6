"""`miniport app create`: provision a fully registered mini program."""

from __future__ import annotations

import argparse
from typing import Any

from miniport.cli.base import SYSTEM_ACTOR, print_json

SUBJECT_TYPES = ("personal", "enterprise", "individual_business", "government", "media", "other")


def register(commands: Any) -> None:
    app = commands.add_parser("app", help="mini programs").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    create_app = app.add_parser("create", help="provision a fully registered mini program")
    create_app.add_argument("--name", required=True)
    create_app.add_argument("--subject-type", required=True, choices=SUBJECT_TYPES)
    create_app.add_argument("--email", required=True)
    create_app.add_argument("--admin-wechat-id", default="")
    create_app.add_argument("--certified", action="store_true")
    create_app.add_argument("--json", action="store_true", help="print one JSON object")
    create_app.set_defaults(handler=cmd_app_create)


def cmd_app_create(args: argparse.Namespace) -> int:
    from miniport.core.actors import Actor
    from miniport.miniprograms.services.provisioning import provision_miniprogram

    provisioned = provision_miniprogram(
        actor=Actor.system(SYSTEM_ACTOR),
        name=args.name,
        subject_type=args.subject_type,
        email=args.email,
        admin_wechat_id=args.admin_wechat_id,
        certified=args.certified,
    )
    data = provisioned.as_json()
    if args.json:
        print_json(data)
        return 0
    print(
        f"Created mini program {data['name']} ({data['subject_type']}"
        f"{', certified' if data['certified'] else ''})."
    )
    print(f"  AppID:         {data['appid']}")
    print(f"  AppSecret:     {data['secret']}  (shown once, store it now)")
    print(f"  console login: {data['email']} / {data['password']}")
    print(f"  administrator: {data['admin_wechat_id']}")
    return 0
