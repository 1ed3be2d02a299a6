"""OA-1: `miniport oa create` prints the official account's AppID, AppSecret (shown
once, stored hashed) and administrator; bad arguments exit non-zero with one line."""

from __future__ import annotations

import json
import re

from tests.cli.conftest import cli, migrated_database  # noqa: F401  (the real console script)


def test_oa1_oa_create_of_the_same_subject_as_a_mini_program_prints_one_json_object(cli):  # noqa: F811
    made = cli(
        "app",
        "create",
        "--name",
        "主体小程序",
        "--subject-type",
        "enterprise",
        "--email",
        "oa@example.com",
        "--json",
    )
    app = json.loads(made.stdout)
    done = cli("oa", "create", "--name", "活动公众号", "--subject-of", app["appid"], "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert re.fullmatch(r"wx[0-9a-f]{16}", data["appid"]) and data["appid"] != app["appid"]
    assert re.fullmatch(r"[0-9a-f]{32}", data["secret"])
    assert re.fullmatch(r"gh_[0-9a-f]{12}", data["original_id"])
    assert data["admin_wechat_id"] == app["admin_wechat_id"]
    [(digest, key)] = cli.rows(
        "SELECT secret_digest, principal_key FROM official_accounts_officialaccount"
    )
    assert digest and data["secret"] not in digest and key.startswith("org:")


def test_oa1_oa_create_refuses_without_an_administrator_and_an_unknown_one(cli):  # noqa: F811
    missing = cli("oa", "create", "--name", "公众号")
    assert missing.returncode == 2 and len(missing.stderr.strip().splitlines()) == 1
    unknown = cli("oa", "create", "--name", "公众号", "--admin-wechat-id", "nobody_here")
    assert unknown.returncode == 1 and "nobody_here" in unknown.stderr
    assert "Traceback" not in unknown.stderr
    assert cli.rows("SELECT COUNT(*) FROM official_accounts_officialaccount") == [(0,)]
