"""`miniport identity create --password P` holds P to the phone sign-up's password rule
(signup.password_min_length, printable ASCII, not digits alone): a weak password is
refused in one line and no identity is stored. (REG-1)"""

import pytest


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("x", "password: the password must have at least 8 characters"),
        ("1234567890", "password: the password may hold only letters, digits and symbols, "
         "and not digits alone"),
        ("密码密码密码密码", "password: the password may hold only letters, digits and symbols, "
         "and not digits alone"),
        ("with space 1", "password: the password may hold only letters, digits and symbols, "
         "and not digits alone"),
    ],
)  # fmt: skip
def test_a_password_the_sign_up_would_refuse_is_refused_and_nothing_is_created(
    cli, password, message
):
    done = cli(
        "identity", "create", "--wechat-id", "weak_wx1", "--real-name", "张三",
        f"--password={password}", "--json",
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr == f"miniport: error: {message}\n"
    assert cli.count("identities_identity") == 0
    assert cli.rows("SELECT COUNT(*) FROM core_auditentry WHERE action = 'identity.create'") == [
        (0,)
    ]


def test_a_password_the_sign_up_accepts_is_accepted(cli):
    done = cli(
        "identity", "create", "--wechat-id", "good_wx1", "--real-name", "张三",
        "--password", "good-pass-1", "--json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert cli.count("identities_identity") == 1


def test_without_a_password_the_identity_is_still_created(cli):
    done = cli("identity", "create", "--wechat-id", "nopass_wx", "--real-name", "张三")
    assert done.returncode == 0, done.stderr
    assert cli.rows("SELECT password FROM identities_identity") in ([("",)], [(None,)])
