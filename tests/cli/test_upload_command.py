"""B-10, VER-1: `miniport upload` against a live `miniport serve` process: a folder is
zipped, signed with the upload key from `miniport app upload-key`, sent, and answered
with one JSON line; a wrong key is one line on stderr and exit 1; bad arguments exit 2."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess

import pytest

from tests.openapi.live_server import MINIPORT, Server
from tests.releases.zips import app_files, make_zip

pytestmark = pytest.mark.live_server_process


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    server = Server(tmp_path_factory.mktemp("upload-cli"))
    server.cli("migrate")
    server.app = server.create_app(name="上传测试", email="upload@example.com")
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def keyfile(server):
    path = server.folder / "upload.key"
    made = json.loads(
        server.cli(
            "app", "upload-key", "--appid", server.app["appid"], "--out", str(path), "--json"
        )
    )
    assert made["appid"] == server.app["appid"] and len(made["fingerprint"]) == 64
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


def versions(server) -> list[tuple]:
    with sqlite3.connect(server.folder / "compat.sqlite3") as db:
        return db.execute(
            "SELECT user_version, user_desc, source FROM releases_devversion ORDER BY id"
        ).fetchall()


@pytest.fixture
def folder(tmp_path):
    for name, data in app_files().items():
        target = tmp_path / "code" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return tmp_path / "code"


def test_the_key_file_holds_only_the_private_key_readable_by_its_owner(server, keyfile):
    """B-10: `miniport app upload-key` writes the private key once, mode 0600; the
    database holds only the public half."""
    text = keyfile.read_text()
    assert text.startswith("-----BEGIN PRIVATE KEY-----")
    assert stat.S_IMODE(os.stat(keyfile).st_mode) == 0o600
    with sqlite3.connect(server.folder / "compat.sqlite3") as db:
        rows = db.execute("SELECT public_key FROM miniprograms_uploadkey").fetchall()
    assert rows and all("PRIVATE" not in row[0] for row in rows)
    again = subprocess.run(
        [str(MINIPORT), "app", "upload-key", "--appid", server.app["appid"], "--out", str(keyfile)],
        env=server.env, cwd=server.folder, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert again.returncode == 2 and len(again.stderr.strip().splitlines()) == 1


def test_a_folder_upload_prints_one_json_line_with_the_version(server, keyfile, folder):
    """B-10, VER-1: the folder is zipped, sent and becomes a development version."""
    done = upload(
        server,
        "--appid", server.app["appid"], "--version", "1.0.0", "--desc", "首个版本",
        "--key", str(keyfile), "--json", str(folder),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1
    data = json.loads(lines[0])
    assert (data["appid"], data["version"], data["desc"]) == (
        server.app["appid"],
        "1.0.0",
        "首个版本",
    )
    assert len(data["sha256"]) == 64 and data["size"] > 0
    assert ("1.0.0", "首个版本", "cli") in versions(server)


def test_a_zip_file_upload_says_what_it_uploaded(server, keyfile, tmp_path):
    """B-10: PATH may be a zip; without --json one human line."""
    archive = tmp_path / "code.zip"
    archive.write_bytes(make_zip(app_files(pages=("pages/a/a",))))
    done = upload(
        server, "--appid", server.app["appid"], "--version", "1.0.1",
        "--key", str(keyfile), str(archive),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "1.0.1" in done.stdout and server.app["appid"] in done.stdout


def test_a_wrong_key_exits_1_with_one_line_and_uploads_nothing(server, keyfile, folder, tmp_path):
    """B-10: a key the platform does not know is refused."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    stranger = tmp_path / "stranger.key"
    stranger.write_bytes(
        Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    before = versions(server)
    done = upload(
        server, "--appid", server.app["appid"], "--version", "6.6.6",
        "--key", str(stranger), "--json", str(folder),
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("miniport: error:") and "key" in lines[0]
    assert versions(server) == before


def test_an_invalid_package_exits_1_naming_the_problem(server, keyfile, tmp_path):
    """VER-1: the server validates; the refusal is one line."""
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "app.js").write_text("App({})")
    done = upload(
        server, "--appid", server.app["appid"], "--version", "0.0.1",
        "--key", str(keyfile), str(broken),
    )  # fmt: skip
    assert done.returncode == 1
    assert len(done.stderr.strip().splitlines()) == 1 and "app.json" in done.stderr


@pytest.mark.parametrize("problem", ["no_path", "bad_key", "no_key_file", "no_version"])
def test_bad_arguments_exit_2_with_one_line(server, keyfile, folder, tmp_path, problem):
    """B-10: usage errors are told apart from refusals."""
    args = {
        "--appid": server.app["appid"],
        "--version": "1.0.0",
        "--key": str(keyfile),
    }
    path = str(folder)
    if problem == "no_path":
        path = str(tmp_path / "missing")
    elif problem == "bad_key":
        bad = tmp_path / "bad.key"
        bad.write_text("not a key")
        args["--key"] = str(bad)
    elif problem == "no_key_file":
        args["--key"] = str(tmp_path / "absent.key")
    else:
        del args["--version"]
    flat = [item for pair in args.items() for item in pair]
    done = upload(server, *flat, path)
    assert done.returncode == 2, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_an_unreachable_server_exits_1_with_one_line(keyfile, folder, server):
    """B-10: CI sees one clear line when the server is down."""
    done = subprocess.run(
        [str(MINIPORT), "upload", "--server", "http://127.0.0.1:9", "--appid", "wx1",
         "--version", "1", "--key", str(keyfile), str(folder)],
        env=server.env, cwd=server.folder, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 1
    assert len(done.stderr.strip().splitlines()) == 1 and "cannot reach" in done.stderr


def test_the_upload_needs_no_database_on_the_ci_machine(server, keyfile, folder, tmp_path):
    """B-10: CI friendly: the command reads no database of its own (an empty SQLite file
    here, on which any query would fail)."""
    env = dict(server.env)
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    env["MINIPORT_VAR_DIR"] = str(tmp_path / "var")
    done = subprocess.run(
        [str(MINIPORT), "upload", "--server", server.base, "--appid", server.app["appid"],
         "--version", "1.0.2", "--key", str(keyfile), "--json", str(folder)],
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["version"] == "1.0.2"
