"""The `miniport` command: production server, worker, database, demo data, provisioning.

Scripts read its output: `--json` prints exactly one JSON value on stdout; a refused
action or bad arguments print one line on stderr ("miniport: error: ...") and exit
non-zero (2 for usage, 1 for a refused action), never a traceback.

One module per command group (`serve`, `migrate`, `manage`, `worker`, `purge`, `keys`,
`audit`, `demo`, `identity`, `app`, `review`, `upload`, `merchant`, `pay`), each with a `register(commands)`
that adds its subcommand; `base` holds what they share. This module wires the parser and
turns every refusal into its exit code.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from miniport.cli import (
    app,
    audit,
    demo,
    enterprise,
    identity,
    keys,
    manage,
    merchant,
    migrate,
    oa,
    pay,
    purge,
    review,
    serve,
    upload,
    worker,
)
from miniport.cli.base import EXIT_REFUSED, EXIT_USAGE, describe, fail, setup_django

# The order of `miniport --help`.
COMMAND_GROUPS = (
    serve,
    migrate,
    manage,
    worker,
    purge,
    keys,
    audit,
    demo,
    identity,
    app,
    review,
    upload,
    merchant,
    pay,
    oa,
    enterprise,
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # type: ignore[override]
        # One line, no usage block: callers read stderr.
        fail(message, EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="miniport", description="Miniport mini program platform.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for group in COMMAND_GROUPS:
        group.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["manage"]:
        return manage.cmd_manage(argv[1:])
    args = build_parser().parse_args(argv)
    before_setup = getattr(args, "before_setup", None)
    if before_setup is not None:
        before_setup(args)
    try:
        setup_django()
        return args.handler(args) or 0
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the one place every refusal becomes one line on stderr
        fail(describe(exc), EXIT_REFUSED)
