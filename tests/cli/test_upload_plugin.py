"""PLG-7: `miniport upload --appid PLUGIN_APPID ...` against a live `miniport serve`: a
plugin project's folder is zipped, signed with an upload key of the plugin's owner mini
program and becomes a plugin version; a mini program package is refused naming
plugin.json; a key of another mini program is refused; nothing is stored on a refusal."""

from __future__ import annotations

import json
import sqlite3
import subprocess

import pytest

from tests.openapi.live_server import MINIPORT, Server
from tests.plugins.makers import plugin_files
from tests.releases.zips import app_files

pytestmark = pytest.mark.live_server_process
PLUGIN_APPID = "wx1111222233334444"


def _db(server) -> sqlite3.Connection:
    return sqlite3.connect(server.folder / "compat.sqlite3")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    server = Server(tmp_path_factory.mktemp("upload-plugin-cli"))
    server.cli("migrate")
    server.app = server.create_app(name="插件上传", email="plugin-upload@example.com")
    server.other = server.create_app(name="别的小程序", email="other-upload@example.com")
    with _db(server) as db:
        (owner_id,) = db.execute(
            "SELECT id FROM miniprograms_miniprogram WHERE appid = ?", (server.app["appid"],)
        ).fetchone()
        db.execute(
            "INSERT INTO plugins_plugin (appid, owner_id, name, avatar, introduction, add_method,"
            " service_contact, server_domains, token, approval_policy, allowlist, enabled_by,"
            " category_first_name, category_second_name, created_at, updated_at)"
            " VALUES (?, ?, '上传插件', '', '', 'search', '', '[]', '', 'manual', '[]', '',"
            " '', '', '2026-01-01 00:00:00', '2026-01-01 00:00:00')",
            (PLUGIN_APPID, owner_id),
        )
    server.start()
    yield server
    server.stop()


def keyfile_of(server, appid: str, name: str):
    path = server.folder / name
    if not path.exists():
        server.cli("app", "upload-key", "--appid", appid, "--out", str(path), "--json")
    return path


def upload(server, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(MINIPORT), "upload", "--server", server.base, *args],
        env=server.env,
        cwd=server.folder,
        capture_output=True,
        text=True,
        timeout=120,
    )


def plugin_versions(server) -> list[tuple]:
    with _db(server) as db:
        return db.execute(
            "SELECT user_version, user_desc, source FROM plugins_pluginversion ORDER BY id"
        ).fetchall()


def folder_of(tmp_path, files: dict[str, bytes]):
    for name, data in files.items():
        target = tmp_path / "code" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return tmp_path / "code"


def test_plg7_the_cli_uploads_a_plugin_version_with_the_owners_key(server, tmp_path):
    keyfile = keyfile_of(server, server.app["appid"], "owner.key")
    done = upload(
        server, "--appid", PLUGIN_APPID, "--version", "1.0.0", "--desc", "首个插件版本",
        "--key", str(keyfile), "--json", str(folder_of(tmp_path, plugin_files())),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout.strip().splitlines()[-1])
    assert (data["appid"], data["version"], data["desc"]) == (PLUGIN_APPID, "1.0.0", "首个插件版本")
    assert len(data["sha256"]) == 64 and data["size"] > 0
    assert ("1.0.0", "首个插件版本", "cli") in plugin_versions(server)
    with _db(server) as db:
        dev_versions = db.execute("SELECT COUNT(*) FROM releases_devversion").fetchone()[0]
    assert dev_versions == 0


def test_plg7_a_mini_program_package_is_refused_naming_plugin_json(server, tmp_path):
    keyfile = keyfile_of(server, server.app["appid"], "owner.key")
    before = plugin_versions(server)
    done = upload(
        server, "--appid", PLUGIN_APPID, "--version", "0.0.1",
        "--key", str(keyfile), str(folder_of(tmp_path, app_files())),
    )  # fmt: skip
    assert done.returncode == 1
    assert len(done.stderr.strip().splitlines()) == 1 and "plugin.json" in done.stderr
    assert plugin_versions(server) == before


def test_plg7_a_key_of_another_mini_program_is_refused(server, tmp_path):
    stranger = keyfile_of(server, server.other["appid"], "other.key")
    before = plugin_versions(server)
    done = upload(
        server, "--appid", PLUGIN_APPID, "--version", "6.6.6",
        "--key", str(stranger), str(folder_of(tmp_path, plugin_files())),
    )  # fmt: skip
    assert done.returncode == 1
    assert "key" in done.stderr
    assert plugin_versions(server) == before
