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


def test_oa1_oa_secret_prints_a_new_appsecret_and_the_old_one_no_longer_matches(cli):  # noqa: F811
    made = cli(
        "app",
        "create",
        "--name",
        "密钥小程序",
        "--subject-type",
        "enterprise",
        "--email",
        "oa-secret@example.com",
        "--json",
    )
    app = json.loads(made.stdout)
    oa = json.loads(
        cli("oa", "create", "--name", "公众号", "--subject-of", app["appid"], "--json").stdout
    )
    [(before,)] = cli.rows("SELECT secret_digest FROM official_accounts_officialaccount")
    done = cli("oa", "secret", "--appid", oa["appid"], "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["appid"] == oa["appid"] and re.fullmatch(r"[0-9a-f]{32}", data["secret"])
    assert data["secret"] != oa["secret"]
    [(after,)] = cli.rows("SELECT secret_digest FROM official_accounts_officialaccount")
    assert after != before and data["secret"] not in after


def test_oa1_oa_secret_of_an_unknown_appid_exits_non_zero_and_changes_nothing(cli):  # noqa: F811
    for appid in ("wx0000000000000000", "", "wx\u00e9"):
        done = cli("oa", "secret", "--appid", appid)
        assert done.returncode != 0 and "Traceback" not in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1
