"""`miniport app create`: provision a fully registered mini program.
`miniport app upload-key`: make an upload key for CI (B-10)."""

from __future__ import annotations

import argparse
import os
from typing import Any

from miniport.cli.base import EXIT_USAGE, SYSTEM_ACTOR, fail, print_json

SUBJECT_TYPES = ("personal", "enterprise", "individual_business", "government", "media", "other")


def register(commands: Any) -> None:
    app = commands.add_parser("app", help="mini programs").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    create_app = app.add_parser("create", help="provision a fully registered mini program")
    create_app.add_argument("--name", required=True)
    create_app.add_argument("--subject-type", choices=SUBJECT_TYPES)
    create_app.add_argument(
        "--subject-of",
        metavar="APPID",
        default="",
        help="a new mini program of the same subject as APPID (its type and administrator)",
    )
    create_app.add_argument("--email", required=True)
    create_app.add_argument("--admin-wechat-id", default="")
    create_app.add_argument("--certified", action="store_true")
    create_app.add_argument("--json", action="store_true", help="print one JSON object")
    create_app.set_defaults(handler=cmd_app_create, before_setup=_check_subject)
    upload_key = app.add_parser(
        "upload-key", help="make an upload key for `miniport upload` (B-10)"
    )
    upload_key.add_argument("--appid", required=True)
    upload_key.add_argument("--out", required=True, help="file to write the private key to")
    upload_key.add_argument("--name", default="cli", help="the key's name in the console")
    upload_key.add_argument("--json", action="store_true", help="print one JSON object")
    upload_key.set_defaults(handler=cmd_app_upload_key, before_setup=_check_out)


def _check_subject(args: argparse.Namespace) -> None:
    if args.subject_of and (args.subject_type or args.admin_wechat_id or args.certified):
        fail(
            "--subject-of takes the subject's type, administrator and certification: "
            "leave out --subject-type, --admin-wechat-id and --certified",
            EXIT_USAGE,
        )
    if not args.subject_of and not args.subject_type:
        fail("one of --subject-type or --subject-of is required", EXIT_USAGE)


def cmd_app_create(args: argparse.Namespace) -> int:
    from miniport.core.actors import Actor
    from miniport.core.errors import PlatformError
    from miniport.miniprograms.errors import MiniProgramError
    from miniport.miniprograms.selectors import by_appid
    from miniport.miniprograms.services.provisioning import provision_miniprogram

    subject_of = None
    if args.subject_of:
        subject_of = by_appid(args.subject_of.strip())
        if subject_of is None:
            raise PlatformError(MiniProgramError.INVALID_APPID, field="subject_of")
    provisioned = provision_miniprogram(
        actor=Actor.system(SYSTEM_ACTOR),
        name=args.name,
        subject_type=args.subject_type or "",
        email=args.email,
        admin_wechat_id=args.admin_wechat_id,
        certified=args.certified,
        subject_of=subject_of,
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


def _check_out(args: argparse.Namespace) -> None:
    if os.path.exists(args.out):
        fail(f"--out {args.out}: the file exists (a key file is never overwritten)", EXIT_USAGE)
    folder = os.path.dirname(os.path.abspath(args.out))
    if not os.path.isdir(folder):
        fail(f"--out {args.out}: no such folder", EXIT_USAGE)


def cmd_app_upload_key(args: argparse.Namespace) -> int:
    """B-10: a new upload key of the mini program; the private key goes to --out (mode
    0600) and nowhere else, the platform keeps the public half."""
    from miniport.core.actors import Actor
    from miniport.core.errors import PlatformError
    from miniport.miniprograms.errors import MiniProgramError
    from miniport.miniprograms.models import MiniProgram
    from miniport.miniprograms.services.upload_keys import upload_key_create

    miniprogram = MiniProgram.objects.filter(appid=args.appid.strip()).first()
    if miniprogram is None:
        raise PlatformError(MiniProgramError.INVALID_APPID, field="appid")
    key, private_pem = upload_key_create(
        actor=Actor.system(SYSTEM_ACTOR), miniprogram=miniprogram, name=args.name
    )
    descriptor = os.open(args.out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as keyfile:
        keyfile.write(private_pem)
    data = {
        "appid": miniprogram.appid,
        "name": key.name,
        "fingerprint": key.fingerprint,
        "out": os.path.abspath(args.out),
    }
    if args.json:
        print_json(data)
    else:
        print(f"Created upload key {key.name} for {miniprogram.appid}.")
        print(f"  fingerprint: {key.fingerprint}")
        print(f"  private key: {data['out']}  (the only copy: keep it secret)")
    return 0
