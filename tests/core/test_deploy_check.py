"""DESIGN (Security): `manage.py check --deploy` is clean with production settings."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ENVIRONMENT_SECRETS = (
    "SECRET_KEY",
    "MINIPORT_DIGEST_KEY",
    "MINIPORT_AUDIT_KEY",
    "MINIPORT_DATA_KEYS",
    "MINIPORT_ID_KEY",
)


def test_the_deploy_check_is_clean_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "miniport.settings",
        "MINIPORT_VAR_DIR": str(tmp_path),
        "MINIPORT_SECURE": "1",
        "ALLOWED_HOSTS": "mp.example.com",
        **{name: secrets.token_urlsafe(40) for name in ENVIRONMENT_SECRETS},
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


@pytest.mark.parametrize("missing", ENVIRONMENT_SECRETS)
def test_a_secret_generated_on_the_machine_fails_the_deploy_check(tmp_path, missing):
    """Issue 9 item 8: a secret the environment does not give comes from var/secrets.json,
    made on this machine; production must set it, so the deploy check names it."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "miniport.settings",
        "MINIPORT_VAR_DIR": str(tmp_path),
        "MINIPORT_SECURE": "1",
        "ALLOWED_HOSTS": "mp.example.com",
        **{name: secrets.token_urlsafe(40) for name in ENVIRONMENT_SECRETS},
    }
    env.pop(missing)
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "miniport.E001" in done.stdout + done.stderr
    assert missing in done.stdout + done.stderr
