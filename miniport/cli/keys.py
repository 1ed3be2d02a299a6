"""`miniport keys rotate`: rewrap every sealed value under the current data key.

After a new key is put first in MINIPORT_DATA_KEYS ("new-id:new-key,old-id:old-key"),
new values are sealed under it at once and the old ones still open; this command rewraps
the data key of every stored envelope under the new key (and reseals values from releases
that sealed with the web secret), after which the old key can be removed from the setting.
"""

from __future__ import annotations

import argparse
from typing import Any

from miniport.cli.base import print_json


def register(commands: Any) -> None:
    keys = commands.add_parser("keys", help="data keys of personal data and secrets at rest")
    actions = keys.add_subparsers(dest="keys_action", required=True, metavar="ACTION")
    rotate = actions.add_parser(
        "rotate", help="rewrap every sealed value under the first key of MINIPORT_DATA_KEYS"
    )
    rotate.add_argument("--json", action="store_true", help="print the counts as JSON")
    rotate.set_defaults(handler=cmd_rotate)


def cmd_rotate(args: argparse.Namespace) -> int:
    from miniport.core import sealed, vault

    counts = sealed.rotate_all()
    key_id = vault.current_key_id()
    if args.json:
        print_json({"key": key_id, "rewrapped": counts})
        return 0
    for name, count in counts.items():
        print(f"{name}: {count} rewrapped")
    print(f"Every sealed value is now under the data key {key_id!r}.")
    return 0
