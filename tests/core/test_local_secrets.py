"""Issue 9 items 6 and 8: no key is public. Without environment variables each install makes
its own random secrets once, into var/secrets.json readable by its owner only; the
environment always wins."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

NAMES = (
    "SECRET_KEY",
    "MINIPORT_DIGEST_KEY",
    "MINIPORT_AUDIT_KEY",
    "MINIPORT_DATA_KEYS",
    "MINIPORT_ID_KEY",
)


def _settings_in(var_dir, **env_overrides) -> dict:
    env = {**os.environ, "MINIPORT_VAR_DIR": str(var_dir), **env_overrides}
    for name in NAMES:
        if name not in env_overrides:
            env.pop(name, None)
    code = (
        "import json, miniport.settings as s; print(json.dumps({'SECRET_KEY': s.SECRET_KEY,"
        " 'DIGEST_KEY': s.DIGEST_KEY, 'AUDIT_KEY': s.AUDIT_KEY, 'DATA_KEYS': s.DATA_KEYS,"
        " 'local': s.SECRETS_FROM_LOCAL_FILE}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_two_installs_get_different_random_secrets(tmp_path):
    first = _settings_in(tmp_path / "one")
    second = _settings_in(tmp_path / "two")
    for name in ("SECRET_KEY", "DIGEST_KEY", "AUDIT_KEY", "DATA_KEYS"):
        assert first[name] != second[name]
        assert len(first[name]) >= 32
    assert "django-insecure" not in first["SECRET_KEY"]
    assert sorted(first["local"]) == sorted(NAMES)


def test_the_secrets_file_is_made_once_and_readable_by_its_owner_only(tmp_path):
    first = _settings_in(tmp_path)
    again = _settings_in(tmp_path)
    assert first == again
    mode = stat.S_IMODE((tmp_path / "secrets.json").stat().st_mode)
    assert mode == 0o600


def test_the_four_keys_are_distinct(tmp_path):
    made = _settings_in(tmp_path)
    values = {made[name] for name in ("SECRET_KEY", "DIGEST_KEY", "AUDIT_KEY")}
    assert len(values) == 3


def test_the_environment_wins_over_the_file(tmp_path):
    _settings_in(tmp_path)
    given = _settings_in(tmp_path, SECRET_KEY="from-the-environment-" + "x" * 40)
    assert given["SECRET_KEY"] == "from-the-environment-" + "x" * 40
    assert "SECRET_KEY" not in given["local"]
    assert "MINIPORT_AUDIT_KEY" in given["local"]
