"""`miniport demo`: the demo data, created once (idempotent)."""

from __future__ import annotations

import argparse
from typing import Any


def register(commands: Any) -> None:
    demo = commands.add_parser("demo", help="create the demo data (idempotent)")
    demo.add_argument("--once", action="store_true", help="do nothing when demo data exists")
    demo.set_defaults(handler=cmd_demo)


def cmd_demo(args: argparse.Namespace) -> int:
    from miniport import demo

    created = demo.ensure_demo_data(once=args.once, say=lambda line: print(f"  {line}"))
    if not created:
        print("Demo data is already in place.")
        return 0
    for line in demo.logins():
        print(line)
    return 0
