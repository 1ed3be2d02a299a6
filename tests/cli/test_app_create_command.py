"""`miniport app create`: a fully registered mini program, its AppID and AppSecret as JSON."""

import json
import re


def test_app_create_prints_one_json_object_with_appid_secret_and_administrator(cli):
    done = cli(
        "app",
        "create",
        "--name",
        "自动化测试小程序",
        "--subject-type",
        "enterprise",
        "--email",
        "ci@example.com",
        "--json",
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert len(done.stdout.strip().splitlines()) == 1
    data = json.loads(done.stdout)
    assert re.fullmatch(r"wx[0-9a-f]{16}", data["appid"])
    assert re.fullmatch(r"[0-9a-f]{32}", data["secret"])
    assert data["admin_wechat_id"]
    stored = cli.rows("""
        SELECT mp.appid, mp.name, a.email, s.subject_type, i.wechat_id, mp.secret_digest
        FROM miniprograms_miniprogram mp JOIN accounts_account a ON a.id = mp.account_id
        JOIN accounts_subject s ON s.id = mp.subject_id JOIN identities_identity i ON i.id = mp.admin_identity_id
    """)
    assert len(stored) == 1
    appid, name, email, subject_type, admin, secret_digest = stored[0]
    assert (appid, name, email, subject_type, admin) == (
        data["appid"],
        "自动化测试小程序",
        "ci@example.com",
        "enterprise",
        data["admin_wechat_id"],
    )
    # The secret is shown once and stored only as a keyed hash.
    assert secret_digest and data["secret"] not in secret_digest


def test_app_create_binds_an_existing_identity_as_administrator(cli):
    from datetime import date

    from miniport.core.validators import make_id_number

    made = cli(
        "identity",
        "create",
        "--wechat-id",
        "boss_wx1",
        "--real-name",
        "钱九",
        "--id-number",
        make_id_number(date(1980, 1, 2)),
        "--phone",
        "13911112222",
        "--json",
    )
    assert made.returncode == 0, made.stderr
    done = cli(
        "app",
        "create",
        "--name",
        "老板的小程序",
        "--subject-type",
        "personal",
        "--email",
        "boss@example.com",
        "--admin-wechat-id",
        "boss_wx1",
        "--json",
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["admin_wechat_id"] == "boss_wx1"
    assert cli.count("identities_identity") == 1
    assert cli.rows("SELECT name, admin_name FROM accounts_subject") == [("钱九", "钱九")]


def test_without_json_a_short_human_summary_is_printed(cli):
    done = cli(
        "app",
        "create",
        "--name",
        "人类可读小程序",
        "--subject-type",
        "government",
        "--email",
        "gov@example.com",
    )
    assert done.returncode == 0, done.stderr
    assert "AppID" in done.stdout and "AppSecret" in done.stdout
    assert "certified" in done.stdout


def test_an_email_already_used_is_refused_with_one_line_and_nothing_changes(cli):
    first = cli(
        "app",
        "create",
        "--name",
        "第一个小程序",
        "--subject-type",
        "personal",
        "--email",
        "taken@example.com",
        "--json",
    )
    assert first.returncode == 0, first.stderr
    counts = {
        t: cli.count(t)
        for t in ("accounts_account", "miniprograms_miniprogram", "identities_identity")
    }
    done = cli(
        "app",
        "create",
        "--name",
        "第二个小程序",
        "--subject-type",
        "personal",
        "--email",
        "TAKEN@example.com",
        "--json",
    )
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr == "miniport: error: email: this email is already used on the platform\n"
    assert {t: cli.count(t) for t in counts} == counts


def test_an_unknown_subject_type_is_a_usage_error(cli):
    done = cli(
        "app",
        "create",
        "--name",
        "类型错误",
        "--subject-type",
        "charity",
        "--email",
        "x@example.com",
        "--json",
    )
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(
        "miniport: error: argument --subject-type: invalid choice: 'charity'"
    )
    assert cli.count("accounts_account") == 0


def test_a_certified_personal_mini_program_is_refused(cli):
    done = cli(
        "app",
        "create",
        "--name",
        "个人认证",
        "--subject-type",
        "personal",
        "--email",
        "p@example.com",
        "--certified",
        "--json",
    )
    assert done.returncode == 1
    assert done.stderr.startswith("miniport: error: certified: ")
    assert len(done.stderr.splitlines()) == 1
    assert cli.count("accounts_account") == 0


def test_the_subject_type_choices_are_the_platforms_subject_types():
    from miniport.accounts.models import SubjectType
    from miniport.cli.app import SUBJECT_TYPES

    assert sorted(SUBJECT_TYPES) == sorted(SubjectType.values)


def _create(cli, *extra):
    return cli("app", "create", "--json", *extra)


def test_app_create_subject_of_makes_a_second_mini_program_of_the_same_subject(cli):
    first = json.loads(
        _create(
            cli, "--name", "主体甲一号", "--subject-type", "enterprise", "--email", "a1@example.com"
        ).stdout
    )
    done = _create(
        cli, "--name", "主体甲二号", "--subject-of", first["appid"], "--email", "a2@example.com"
    )
    assert done.returncode == 0, done.stderr
    second = json.loads(done.stdout)
    assert second["appid"] != first["appid"]
    assert second["subject_type"] == "enterprise"
    assert second["admin_wechat_id"] == first["admin_wechat_id"]
    rows = cli.rows("""
        SELECT s.credit_code, s.name, mp.account_id FROM miniprograms_miniprogram mp
        JOIN accounts_subject s ON s.id = mp.subject_id ORDER BY mp.id
    """)
    assert len(rows) == 2
    assert rows[0][0] == rows[1][0] and rows[0][1] == rows[1][1]
    assert rows[0][2] != rows[1][2]


def test_app_create_subject_of_an_unknown_appid_exits_non_zero_and_stores_nothing(cli):
    done = _create(
        cli, "--name", "无主体", "--subject-of", "wx0000000000000000", "--email", "x@example.com"
    )
    assert done.returncode != 0
    assert len(done.stderr.strip().splitlines()) == 1
    assert cli.rows("SELECT COUNT(*) FROM miniprograms_miniprogram") == [(0,)]


def test_app_create_subject_of_with_a_subject_type_is_a_usage_error(cli):
    done = _create(
        cli,
        "--name",
        "矛盾",
        "--subject-of",
        "wx0000000000000000",
        "--subject-type",
        "personal",
        "--email",
        "y@example.com",
    )
    assert done.returncode == 2
    assert "--subject-of" in done.stderr
