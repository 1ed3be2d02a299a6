"""`miniport identity login-code --wechat-id ID --appid APPID`: the host's wx.login for
scripts and tests, printing one JSON object with the code."""

from __future__ import annotations

import json
import sqlite3

import pytest

from tests.cli.conftest import Cli


@pytest.fixture
def cli(tmp_path) -> Cli:
    cli = Cli(tmp_path)
    done = cli("migrate")
    assert done.returncode == 0, done.stderr
    return cli


def provisioned(cli: Cli) -> dict:
    done = cli(
        "app",
        "create",
        "--name",
        "登录测试",
        "--subject-type",
        "personal",
        "--email",
        "login@example.com",
        "--json",
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_login_code_prints_one_json_object_with_a_hashed_stored_code(cli):
    app = provisioned(cli)
    assert (
        cli("identity", "create", "--wechat-id", "alice_wx", "--real-name", "爱丽丝").returncode
        == 0
    )
    done = cli("identity", "login-code", "--wechat-id", "alice_wx", "--appid", app["appid"])
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["appid"] == app["appid"] and data["wechat_id"] == "alice_wx"
    assert len(data["code"]) == 32 and data["expires_in"] == 300
    with sqlite3.connect(cli.database) as db:
        rows = db.execute("SELECT digest, used_at FROM miniprograms_logincode").fetchall()
    assert len(rows) == 1 and rows[0][0] != data["code"] and rows[0][1] is None


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--wechat-id", "nobody_wx"], "wechat_id"),
        (["--wechat-id", "alice_wx", "--appid", "wx00"], "appid"),
    ],
)
def test_an_unknown_identity_or_app_is_one_line_on_stderr(cli, args, field):
    app = provisioned(cli)
    cli("identity", "create", "--wechat-id", "alice_wx", "--real-name", "爱丽丝")
    if "--appid" not in args:
        args = [*args, "--appid", app["appid"]]
    done = cli("identity", "login-code", *args)
    assert done.returncode == 1
    assert done.stdout == "" and done.stderr.count("\n") == 1 and field in done.stderr
    with sqlite3.connect(cli.database) as db:
        assert db.execute("SELECT COUNT(*) FROM miniprograms_logincode").fetchone()[0] == 0
