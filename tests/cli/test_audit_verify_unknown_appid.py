"""`miniport audit verify|checkpoint --appid A`: an AppID no mini program has is a bad
argument (one line naming it, exit 2), not an empty chain reported as intact. (B-7)"""

import json

import pytest


@pytest.mark.parametrize("action", ["verify", "checkpoint"])
def test_an_appid_no_mini_program_has_is_refused_naming_it(cli, action):
    done = cli("audit", action, "--appid", "wxNOPE")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == (
        "miniport: error: argument --appid: no mini program has the AppID 'wxNOPE'\n"
    )
    assert cli.count("core_auditcheckpoint") == 0


def test_an_empty_appid_is_refused_too(cli):
    done = cli("audit", "verify", "--appid", "")
    assert done.returncode == 2
    assert len(done.stderr.splitlines()) == 1
    assert "argument --appid" in done.stderr


def test_the_chain_of_a_mini_program_that_exists_is_verified(cli):
    made = cli(
        "app", "create", "--json", "--name", "审计链校验", "--subject-type", "personal",
        "--email", "audit@example.com",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    appid = json.loads(made.stdout)["appid"]
    done = cli("audit", "verify", "--appid", appid)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "audit log intact: every entry verified\n"


def test_the_platform_chain_and_every_chain_are_still_verified(cli):
    for args in (("--platform",), ()):
        done = cli("audit", "verify", *args)
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith("audit log intact")
