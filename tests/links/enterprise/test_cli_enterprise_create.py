"""`miniport enterprise create` (WW-2): an enterprise for automation and the demo."""

from __future__ import annotations

import json
import re

from tests.cli.conftest import cli, migrated_database  # noqa: F401


def test_enterprise_create_prints_the_corp_id_and_its_administrator(cli):  # noqa: F811
    made = cli("identity", "create", "--wechat-id", "corp_admin", "--real-name", "王五", "--json")
    assert made.returncode == 0, made.stderr
    done = cli(
        "enterprise", "create", "--name", "示例企业", "--admin-wechat-id", "corp_admin", "--json"
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert re.fullmatch(r"ww[0-9a-f]{16}", data["corp_id"])
    assert (data["name"], data["admin_wechat_id"]) == ("示例企业", "corp_admin")
    assert cli.rows("SELECT corp_id, name FROM enterprise_enterprise") == [
        (data["corp_id"], "示例企业")
    ]
    assert cli.count("enterprise_department") == 1


def test_an_unknown_administrator_fails_with_one_line_and_stores_nothing(cli):  # noqa: F811
    done = cli("enterprise", "create", "--name", "甲", "--admin-wechat-id", "nobody_here")
    assert done.returncode != 0
    assert len(done.stderr.strip().splitlines()) == 1 and "nobody_here" in done.stderr
    assert cli.count("enterprise_enterprise") == 0
    bad = cli(
        "enterprise", "create", "--name", "甲", "--admin-wechat-id", "x", "--subject-of", "wx0"
    )
    assert bad.returncode != 0 and len(bad.stderr.strip().splitlines()) == 1
