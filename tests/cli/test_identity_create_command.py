"""`miniport identity create`: one identity, printed as one JSON object for scripts."""

import json

from miniport.core.validators import make_id_number


def test_identity_create_prints_one_json_object_without_the_openid(cli):
    from datetime import date

    done = cli(
        "identity",
        "create",
        "--wechat-id",
        "alice_wx",
        "--real-name",
        "张三",
        "--id-number",
        make_id_number(date(1990, 5, 17)),
        "--phone",
        "13800138000",
        "--password",
        "alice-pass-1",
        "--nickname",
        "Alice",
        "--json",
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert len(done.stdout.strip().splitlines()) == 1
    data = json.loads(done.stdout)
    assert set(data) == {"id", "wechat_id", "nickname", "real_name_verified"}
    assert data["wechat_id"] == "alice_wx"
    assert data["nickname"] == "Alice"
    assert data["real_name_verified"] is True
    assert cli.rows("SELECT id, real_name FROM identities_identity") == [(data["id"], "张三")]


def test_an_identity_without_an_id_number_is_not_real_name_verified(cli):
    done = cli("identity", "create", "--wechat-id", "bob_wx01", "--real-name", "李四", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["real_name_verified"] is False


def test_without_json_a_short_human_summary_is_printed(cli):
    done = cli("identity", "create", "--wechat-id", "carol_wx", "--real-name", "王五")
    assert done.returncode == 0, done.stderr
    assert "carol_wx" in done.stdout
    assert "{" not in done.stdout


def test_a_taken_wechat_id_is_refused_with_one_line_and_nothing_changes(cli):
    assert (
        cli("identity", "create", "--wechat-id", "dave_wx1", "--real-name", "赵六").returncode == 0
    )
    done = cli("identity", "create", "--wechat-id", "dave_wx1", "--real-name", "孙七", "--json")
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr == "miniport: error: wechat_id: this Super App ID already exists\n"
    assert cli.rows("SELECT real_name FROM identities_identity") == [("赵六",)]


def test_an_invalid_id_number_is_refused_and_no_identity_is_stored(cli):
    done = cli(
        "identity",
        "create",
        "--wechat-id",
        "erin_wx1",
        "--real-name",
        "周八",
        "--id-number",
        "110101199001011230",
        "--json",
    )
    assert done.returncode == 1
    assert done.stderr == "miniport: error: id_number: invalid ID number\n"
    assert cli.count("identities_identity") == 0


def test_a_password_beginning_with_a_dash_is_given_after_an_equals_sign(cli):
    """argparse takes a lone "-..." for an option; "--password=-..." passes it as the value,
    and the identity signs in with it."""
    from django.contrib.auth.hashers import check_password

    done = cli(
        "identity", "create", "--wechat-id", "erin_wx1", "--real-name", "周八",
        "--password=-33VBdWOaqwr7p8R", "--json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    [(stored,)] = cli.rows("SELECT password FROM identities_identity")
    assert check_password("-33VBdWOaqwr7p8R", stored)
