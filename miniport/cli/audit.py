"""`miniport audit verify|checkpoint`: the audit log's chains (issue 9 item 7).

- `miniport audit verify` walks every entry and every signed checkpoint of every chain
  (`--appid A` one mini program's chain, `--platform` the platform chain); `--recent`
  checks only the latest checkpoint of each chain and the entries since (bounded work,
  for a frequent cron). Intact: one line on stdout, exit 0. Broken: one line on stderr
  naming the chain and the first broken entry, exit 1. An `--appid` that names no chain
  and no mini program or official account is a bad argument: one line naming it, exit 2
  (an empty chain of a mistyped AppID would otherwise read as "intact").
- `miniport audit checkpoint` anchors the head of each chain that moved since its last
  checkpoint in a new signed checkpoint (run it from cron, say hourly, so that deleting
  the newest entries shows). A chain whose newest entries do not verify is not anchored:
  exit 1 naming it. `--json` prints the checkpoints written, to keep a copy outside the
  database.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from miniport.cli.base import EXIT_REFUSED, EXIT_USAGE, fail


def register(commands: Any) -> None:
    group = commands.add_parser("audit", help="verify and anchor the audit log").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    verify = group.add_parser("verify", help="verify the audit chains (all entries by default)")
    _chain_arguments(verify)
    verify.add_argument(
        "--recent",
        action="store_true",
        help="only the latest checkpoint of each chain and the entries since",
    )
    verify.set_defaults(handler=cmd_audit_verify)

    checkpoint = group.add_parser("checkpoint", help="anchor each chain's head in a checkpoint")
    _chain_arguments(checkpoint)
    checkpoint.add_argument("--json", action="store_true", help="print one JSON array")
    checkpoint.set_defaults(handler=cmd_audit_checkpoint)


def _chain_arguments(parser: argparse.ArgumentParser) -> None:
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--appid", default=None, help="only this mini program's chain")
    which.add_argument("--platform", action="store_true", help="only the platform chain")


def _chain(args: argparse.Namespace) -> str | None:
    """The chain the arguments name (None: every chain); an `--appid` nobody has is
    refused as a bad argument."""
    if args.platform:
        return ""
    if args.appid is None:
        return None
    appid = args.appid.strip()
    if not _known_appid(appid):
        fail(f"argument --appid: no mini program has the AppID {appid!r}", EXIT_USAGE)
    return appid


def _known_appid(appid: str) -> bool:
    """Whether an audit chain, a mini program or an official account has this AppID (the
    chain of a removed mini program is still verified)."""
    from miniport.core.models import AuditChainHead, AuditCheckpoint, AuditEntry
    from miniport.links.official_accounts import selectors as official_selectors
    from miniport.miniprograms import selectors

    if not appid or "\x00" in appid:  # "" is the platform chain: --platform names it
        return False
    return (
        AuditChainHead.objects.filter(chain=appid).exists()
        or AuditCheckpoint.objects.filter(chain=appid).exists()
        or AuditEntry.objects.filter(chain=appid).exists()
        or selectors.by_appid(appid) is not None
        or official_selectors.official_account_by_appid(appid) is not None
    )


def cmd_audit_verify(args: argparse.Namespace) -> int:
    from miniport.core import audit

    chain = _chain(args)
    broken = audit.verify(chain) if args.recent else audit.verify_full(chain)
    if broken is not None:
        fail(str(broken), EXIT_REFUSED)
    scope = "the latest checkpoints and the entries since" if args.recent else "every entry"
    print(f"audit log intact: {scope} verified")
    return 0


def cmd_audit_checkpoint(args: argparse.Namespace) -> int:
    from miniport.core import audit

    written, problems = audit.checkpoint(_chain(args))
    if args.json:
        rows = [
            {
                "chain": point.chain,
                "seq": point.seq,
                "head_hash": point.head_hash,
                "count": point.count,
                "at": point.at.isoformat(),
                "signature": point.signature,
            }
            for point in written
        ]
        sys.stdout.write(json.dumps(rows, ensure_ascii=False) + "\n")
    else:
        print(f"{len(written)} audit checkpoints written")
    if problems:
        fail(f"not anchored: {problems[0]}", EXIT_REFUSED)
    return 0
