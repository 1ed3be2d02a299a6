"""`miniport migrate`: create or update the database tables."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def register(commands: Any) -> None:
    commands.add_parser("migrate", help="create or update the database tables").set_defaults(
        handler=cmd_migrate
    )


def cmd_migrate(args: argparse.Namespace) -> int:
    from django.conf import settings
    from django.core.management import call_command

    ensure_var_dir(settings)
    call_command("migrate", interactive=False, verbosity=0)
    print("Database is up to date.")
    return 0


def ensure_var_dir(settings: Any, *, serving: bool = False) -> None:
    Path(settings.VAR_DIR).mkdir(parents=True, exist_ok=True)
    if serving:
        # Static files come from the app folders (finders); the collected folder may be empty.
        for folder in (settings.STATIC_ROOT, settings.MEDIA_ROOT):
            Path(folder).mkdir(parents=True, exist_ok=True)


def unapplied_migrations() -> int:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
