"""Bad arguments and unusable databases end in one line on stderr and a non-zero exit."""

import pytest


@pytest.mark.parametrize(
    "args",
    [
        (),
        ("launch",),
        ("app", "create", "--name", "缺少邮箱", "--subject-type", "personal"),
        ("identity", "create", "--real-name", "张三"),
        ("serve", "--workers", "0"),
        ("serve", "--port", "eighty"),
        ("worker", "--interval", "soon"),
        ("worker", "--interval", "0"),
        ("serve", "--port", "70000"),
    ],
)
def test_bad_arguments_exit_2_with_one_line_on_stderr(cli, args):
    done = cli(*args)
    assert done.returncode == 2
    assert done.stdout == ""
    assert len(done.stderr.splitlines()) == 1
    assert done.stderr.startswith("miniport: error: ")


def test_a_database_that_was_never_migrated_is_reported_in_one_line(empty_cli):
    done = empty_cli(
        "identity", "create", "--wechat-id", "alice_wx", "--real-name", "张三", "--json"
    )
    assert done.returncode == 1
    assert done.stdout == ""
    assert len(done.stderr.splitlines()) == 1
    assert done.stderr.startswith("miniport: error: database: ")
    assert "miniport migrate" in done.stderr


def test_help_lists_the_commands(cli):
    done = cli("--help")
    assert done.returncode == 0
    for command in ("serve", "migrate", "manage", "worker", "demo", "identity", "app"):
        assert command in done.stdout


def test_manage_passes_arguments_through_to_django(cli):
    done = cli("manage", "showmigrations", "core")
    assert done.returncode == 0, done.stderr
    assert "[X] 0001_initial" in done.stdout
