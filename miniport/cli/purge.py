"""`miniport purge`: one pass of the purge (`core.purge`) at once: expired login codes,
access tokens, QR tickets, sessions and old sign-in failures past their retention policy
rows. The background worker runs the same pass every `purge.interval_minutes`."""

from __future__ import annotations

import argparse
from typing import Any

from miniport.cli.base import print_json


def register(commands: Any) -> None:
    purge = commands.add_parser(
        "purge", help="delete expired codes, tokens, tickets and sessions past their retention"
    )
    purge.add_argument("--json", action="store_true", help="print the counts as JSON")
    purge.set_defaults(handler=cmd_purge)


def cmd_purge(args: argparse.Namespace) -> int:
    from miniport.core import purge

    counts = purge.run_once()
    if args.json:
        print_json({"deleted": counts})
        return 0
    for name, count in counts.items():
        print(f"{name}: {count} deleted")
    return 0
