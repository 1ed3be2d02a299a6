"""`miniport review list|decide`: the ops review desk for automation (issue 8, section 3).

Every kind the review machine knows (names, categories, code, ...) goes through the same
queue and the same services as the desk in `ops`:

- `miniport review list [--kind K] [--appid A] [--state S] --json` prints one JSON array,
  the longest waiting first; each row has `id`, `kind`, `appid`, `state`, `submitted_at`,
  `title`, `waiting_seconds` and `claimed_by` (among others). `--state` is `open` by default
  (under review or delayed); `all` lists every state.
- `miniport review reasons --json` prints the rejection catalog (key, titles, guidance).
- `miniport review decide ID (--approve | --reject --reason TEXT | --delay --reason TEXT)`
  decides one review. A reason is a key of the rejection catalog (`releases/catalog.py`),
  stored as the key, or free text; `--reason` may be repeated.

Who decides: the system actor "miniport cli" by default, which belongs to no mini program;
`--as EMAIL` decides as that staff account, and then the desk's rule holds that a reviewer
never reviews a mini program he is a member of (the review machine refuses it). Refusals
(an unknown id, a decided review, a claim held by someone else, a kind that cannot be
delayed, an unknown catalog key) exit 1 with one line on stderr; bad arguments exit 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from miniport.cli.base import EXIT_USAGE, SYSTEM_ACTOR, fail, positive

OPEN, ALL = "open", "all"
STATES = (OPEN, ALL, "pending", "delayed", "approved", "rejected", "withdrawn")


def register(commands: Any) -> None:
    review = commands.add_parser("review", help="the review desk").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    listing = review.add_parser("list", help="reviews of every kind, the longest waiting first")
    listing.add_argument("--kind", default="", help="only this kind (name, category, code, ...)")
    listing.add_argument("--appid", default="", help="only this mini program")
    listing.add_argument(
        "--state", default=OPEN, choices=STATES, help="open (default), all, or one state"
    )
    listing.add_argument("--json", action="store_true", help="print one JSON array")
    listing.set_defaults(handler=cmd_review_list)

    reasons = review.add_parser("reasons", help="the catalog of common rejections")
    reasons.add_argument("--json", action="store_true", help="print one JSON array")
    reasons.set_defaults(handler=cmd_review_reasons)

    decide = review.add_parser("decide", help="approve, reject or delay one review")
    decide.add_argument("id", type=positive, metavar="ID")
    decision = decide.add_mutually_exclusive_group(required=True)
    decision.add_argument("--approve", action="store_true")
    decision.add_argument("--reject", action="store_true")
    decision.add_argument("--delay", action="store_true")
    decide.add_argument(
        "--reason",
        action="append",
        default=[],
        metavar="TEXT",
        help="a rejection catalog key or free text (required to reject or delay; repeatable)",
    )
    decide.add_argument("--note", default="", help="an internal note kept with the decision")
    decide.add_argument(
        "--as",
        dest="as_email",
        default="",
        metavar="EMAIL",
        help="decide as this staff account (default: the system actor)",
    )
    decide.add_argument("--json", action="store_true", help="print the decided review as JSON")
    decide.set_defaults(handler=cmd_review_decide, before_setup=_check_decision)


def _check_decision(args: argparse.Namespace) -> None:
    """Argument combinations argparse cannot express: usage errors, exit 2."""
    reasons = [text for text in args.reason if text.strip()]
    if args.approve and args.reason:
        fail("argument --reason: not allowed with --approve", EXIT_USAGE)
    if (args.reject or args.delay) and not reasons:
        decision = "--reject" if args.reject else "--delay"
        fail(f"argument --reason: required with {decision}", EXIT_USAGE)


def _row(row) -> dict[str, Any]:
    review = row.review
    return {
        "id": review.pk,
        "kind": review.kind,
        "kind_label": str(row.kind.label),
        "appid": review.appid,
        "state": review.state,
        "title": str(row.description.title),
        "summary": str(row.description.summary),
        "submitted_at": review.submitted_at.isoformat(),
        "submitted_by": review.submitted_by,
        "waiting_seconds": int(row.waiting.total_seconds()),
        "sla": row.colour,
        "claimed_by": review.claimed_by_label or None,
        "decided_at": review.decided_at.isoformat() if review.decided_at else None,
        "decided_by": review.decided_by or None,
        "reasons": list(review.reasons or []),
    }


def _reviews(args: argparse.Namespace):
    from miniport.review import selectors
    from miniport.review.models import OPEN_STATES

    if args.state == OPEN:
        rows = selectors.queue(kind=args.kind, state="", appid=args.appid)
        return rows.filter(state__in=OPEN_STATES)
    return selectors.queue(
        kind=args.kind, state="" if args.state == ALL else args.state, appid=args.appid
    )


def cmd_review_list(args: argparse.Namespace) -> int:
    from django.utils import translation

    from miniport.review import selectors

    with translation.override("en"):
        rows = [_row(row) for row in selectors.queue_rows(_reviews(args))]
    if args.json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, sort_keys=True) + "\n")
        return 0
    if not rows:
        print("No reviews.")
        return 0
    for row in rows:
        claimed = f"  claimed by {row['claimed_by']}" if row["claimed_by"] else ""
        hours = row["waiting_seconds"] / 3600
        print(
            f"{row['id']:>6}  {row['kind']:<10} {row['appid']:<20} {row['state']:<10} "
            f"{hours:6.1f} h  {row['title']}{claimed}"
        )
    return 0


def cmd_review_reasons(args: argparse.Namespace) -> int:
    from miniport.releases.catalog import rejection_reasons

    reasons = [item.as_json() for item in rejection_reasons()]
    if args.json:
        sys.stdout.write(json.dumps(reasons, ensure_ascii=False, sort_keys=True) + "\n")
        return 0
    for item in reasons:
        print(f"{item['key']:<30} {item['title_en']} / {item['title_zh']}")
    return 0


def _actor(email: str):
    from miniport.accounts.models import Account
    from miniport.core.actors import Actor
    from miniport.core.errors import CoreError, PlatformError

    if not email:
        return Actor.system(SYSTEM_ACTOR)
    account = Account.objects.filter(email__iexact=email.strip()).first()
    if account is None:
        raise PlatformError(CoreError.NOT_FOUND, field="as")
    # A non-staff account becomes an "account" actor, which the review machine refuses.
    return Actor.for_account(account)


def cmd_review_decide(args: argparse.Namespace) -> int:
    from django.utils import translation

    from miniport.core.errors import CoreError, PlatformError
    from miniport.releases.catalog import resolve_reason
    from miniport.review import selectors, services

    review = selectors.review_by_pk(args.id)
    if review is None:
        raise PlatformError(CoreError.NOT_FOUND, field="id")
    actor = _actor(args.as_email)
    reasons = [resolve_reason(text) for text in args.reason if text.strip()]
    if args.approve:
        services.review_approve(actor=actor, review=review, note=args.note)
    elif args.reject:
        services.review_reject(actor=actor, review=review, reasons=reasons, note=args.note)
    else:
        services.review_delay(actor=actor, review=review, reasons=reasons, note=args.note)
    with translation.override("en"):
        row = _row(selectors.queue_rows([review])[0])
    if args.json:
        sys.stdout.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
    else:
        print(f"Review {row['id']} ({row['kind']}, {row['appid'] or '-'}) is now {row['state']}.")
    return 0
