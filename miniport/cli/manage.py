"""`miniport manage ...`: any Django management command, arguments passed through."""

from __future__ import annotations

from typing import Any

from miniport.cli.base import EXIT_REFUSED, describe, fail, setup_django


def register(commands: Any) -> None:
    # Listed for --help only: main() hands `manage` to Django before argparse sees it.
    commands.add_parser("manage", help="run a Django management command (pass-through)")


def cmd_manage(rest: list[str]) -> int:
    try:
        setup_django()
    except Exception as exc:  # a broken configuration is one line, like every other refusal
        fail(describe(exc), EXIT_REFUSED)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["miniport manage", *rest])
    return 0
