"""DESIGN (Security): `manage.py check --deploy` is clean with production settings."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_deploy_check_is_clean_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "miniport.settings",
        "MINIPORT_VAR_DIR": str(tmp_path),
        "MINIPORT_SECURE": "1",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "mp.example.com",
    }
    env.pop("MINIPORT_DEBUG", None)
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_the_development_key_fails_the_deploy_check(tmp_path):
    """Without a real SECRET_KEY the check must not pass: the default key is public."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "miniport.settings",
        "MINIPORT_VAR_DIR": str(tmp_path),
        "MINIPORT_SECURE": "1",
        "ALLOWED_HOSTS": "mp.example.com",
    }
    env.pop("SECRET_KEY", None)
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
