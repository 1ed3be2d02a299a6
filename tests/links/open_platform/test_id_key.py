"""OPN-2: openids and unionids derive from the dedicated MINIPORT_ID_KEY, never from the web
secret; an install upgraded from ids keyed by SECRET_KEY keeps every openid."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import subprocess
import sys

from django.test import override_settings

from miniport.identities.selectors import openid_for_identity_pk, unionid_for_identity_pk


def _old_openid(secret_key: str, identity_pk: int, appid: str) -> str:
    """The derivation of the releases before MINIPORT_ID_KEY (keyed by SECRET_KEY)."""
    mac = hmac.new(
        secret_key.encode(), "|".join(("openid", appid, str(identity_pk))).encode(), hashlib.sha256
    )
    return "o" + base64.urlsafe_b64encode(mac.digest()[:21]).decode().rstrip("=")[:27]


def _id_key_in(var_dir, **env_overrides) -> str:
    env = {**os.environ, "MINIPORT_VAR_DIR": str(var_dir), **env_overrides}
    for name in ("SECRET_KEY", "MINIPORT_ID_KEY"):
        if name not in env_overrides:
            env.pop(name, None)
    done = subprocess.run(
        [sys.executable, "-c", "import miniport.settings as s; print(s.ID_KEY)"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_opn2_openids_and_unionids_do_not_change_when_secret_key_rotates():
    with override_settings(ID_KEY="the-id-key-" + "x" * 30, SECRET_KEY="before-" + "a" * 40):
        openid = openid_for_identity_pk(7, "wx0123456789abcdef")
        unionid = unionid_for_identity_pk(7, "wx00000000000000aa")
    with override_settings(ID_KEY="the-id-key-" + "x" * 30, SECRET_KEY="after-" + "b" * 40):
        assert openid_for_identity_pk(7, "wx0123456789abcdef") == openid
        assert unionid_for_identity_pk(7, "wx00000000000000aa") == unionid


def test_opn2_an_upgraded_secrets_file_keeps_the_openids_keyed_by_its_secret_key(tmp_path):
    old_secret = "an-old-secret-key-" + "z" * 40
    (tmp_path / "secrets.json").write_text(json.dumps({"SECRET_KEY": old_secret}))
    id_key = _id_key_in(tmp_path)
    assert id_key == old_secret
    assert json.loads((tmp_path / "secrets.json").read_text())["MINIPORT_ID_KEY"] == old_secret
    with override_settings(ID_KEY=id_key, SECRET_KEY="rotated-" + "q" * 40):
        assert openid_for_identity_pk(42, "wx0123456789abcdef") == _old_openid(
            old_secret, 42, "wx0123456789abcdef"
        )


def test_opn2_a_fresh_install_gets_its_own_random_id_key(tmp_path):
    id_key = _id_key_in(tmp_path)
    secret = json.loads((tmp_path / "secrets.json").read_text())["SECRET_KEY"]
    assert len(id_key) >= 32 and id_key != secret


def test_opn2_the_environment_gives_the_id_key(tmp_path):
    assert _id_key_in(tmp_path, MINIPORT_ID_KEY="from-env-" + "k" * 40) == "from-env-" + "k" * 40


def test_opn2_an_upgrade_keeps_the_openids_of_a_secret_key_set_by_the_environment(tmp_path):
    # Before MINIPORT_ID_KEY, an install whose SECRET_KEY came from the environment still
    # had a secrets file (with a SECRET_KEY of its own, unused): its openids were keyed by
    # the environment's value, so that is the one the new key must take.
    in_effect = "the-environments-secret-key-" + "e" * 30
    (tmp_path / "secrets.json").write_text(
        json.dumps({"SECRET_KEY": "an-unused-file-secret-" + "f" * 30, "MINIPORT_DIGEST_KEY": "d"})
    )
    assert _id_key_in(tmp_path, SECRET_KEY=in_effect) == in_effect
    # Kept in the file: a later rotation of the environment's SECRET_KEY changes nothing.
    assert _id_key_in(tmp_path, SECRET_KEY="rotated-" + "r" * 40) == in_effect
