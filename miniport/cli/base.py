"""What every command shares: the exit codes, one-line refusals, JSON output, Django setup
and the argument types."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any, NoReturn

EXIT_REFUSED = 1
EXIT_USAGE = 2
SYSTEM_ACTOR = "miniport cli"


def fail(message: str, status: int) -> NoReturn:
    sys.stderr.write(f"miniport: error: {message}\n")
    sys.stderr.flush()
    sys.exit(status)


def describe(exc: Exception) -> str:
    """The one line a refusal becomes on stderr."""
    from django.db import DatabaseError

    from miniport.core.errors import PlatformError

    if isinstance(exc, PlatformError):
        message = exc.message("en")
        return f"{exc.field}: {message}" if exc.field else message
    if isinstance(exc, DatabaseError):
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return f"database: {first_line} (has `miniport migrate` run?)"
    return f"{type(exc).__name__}: {exc}"


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "miniport.settings")
    import django

    django.setup()


def print_json(data: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, sort_keys=True) + "\n")


def positive(raw: str) -> int:
    try:
        number = int(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{raw!r} is not a whole number")
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def port(raw: str) -> int:
    try:
        number = int(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{raw!r} is not a port number")
    if not 1 <= number <= 65535:
        raise argparse.ArgumentTypeError("a port is between 1 and 65535")
    return number


def seconds(raw: str) -> float:
    try:
        number = float(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{raw!r} is not a number of seconds")
    if not number > 0:
        raise argparse.ArgumentTypeError("must be more than 0 seconds")
    return number
