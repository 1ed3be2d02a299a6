"""The real `miniport` console script, run as a subprocess against a fresh SQLite file."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

MINIPORT = Path(sys.executable).parent / "miniport"


def cli_environment(folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "EMAIL_URL", "SITE_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="miniport.settings",
        DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}",
        MINIPORT_VAR_DIR=str(folder / "var"),
        MINIPORT_FAST_HASHES="1",
        PYTHONUNBUFFERED="1",
    )
    return env


class Cli:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.env = cli_environment(folder)
        self.database = folder / "db.sqlite3"

    def __call__(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(MINIPORT), *args],
            env=self.env,
            cwd=self.folder,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def rows(self, sql: str, *params) -> list[tuple]:
        with sqlite3.connect(self.database) as db:
            return db.execute(sql, params).fetchall()

    def count(self, table: str) -> int:
        return self.rows(f"SELECT COUNT(*) FROM {table}")[0][0]  # noqa: S608 - table names from tests


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory) -> Path:
    """Migrate once per session; each test starts from a copy."""
    folder = tmp_path_factory.mktemp("cli-template")
    done = Cli(folder)("migrate")
    assert done.returncode == 0, done.stderr
    return folder / "db.sqlite3"


@pytest.fixture
def cli(tmp_path, migrated_database) -> Cli:
    # The backup API copies the database whole, whatever sits in its write-ahead log.
    with (
        sqlite3.connect(migrated_database) as source,
        sqlite3.connect(tmp_path / "db.sqlite3") as target,
    ):
        source.backup(target)
    return Cli(tmp_path)


@pytest.fixture
def empty_cli(tmp_path) -> Cli:
    """A database file nobody migrated."""
    shutil.rmtree(tmp_path / "var", ignore_errors=True)
    return Cli(tmp_path)
