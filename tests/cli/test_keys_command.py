"""issue 9 item 6: `miniport keys rotate` and `miniport purge`, run as the real console
script: data sealed under k1, rotated with "k2:new,k1:old", still opens with "k2:new"
alone; nothing of it is in the database file in clear."""

from __future__ import annotations

import json
from datetime import date

from miniport.core.validators import make_id_number

ID_NUMBER = make_id_number(date(1990, 5, 17))
PHONE = "13800138000"
OLD = "k1:old-key-material-for-the-cli-test"
NEW = "k2:new-key-material-for-the-cli-test"
READ_BACK = (
    "from miniport.identities.models import Identity; "
    "i = Identity.objects.get(wechat_id='rotate_wx'); print(i.phone, i.id_number)"
)


def _with_keys(cli, keys: str):
    cli.env["MINIPORT_DATA_KEYS"] = keys
    return cli


def test_rotation_through_the_command_lets_the_old_key_go(cli):
    _with_keys(cli, OLD)
    made = cli(
        "identity", "create", "--wechat-id", "rotate_wx", "--real-name", "张三",
        "--id-number", ID_NUMBER, "--phone", PHONE, "--json",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    ((phone, id_number),) = cli.rows("SELECT phone, id_number FROM identities_identity")
    assert phone.startswith("mpv1:k1:") and id_number.startswith("mpv1:k1:")
    assert PHONE.encode() not in cli.database.read_bytes()

    _with_keys(cli, f"{NEW},{OLD}")
    rotated = cli("keys", "rotate", "--json")
    assert rotated.returncode == 0, rotated.stderr
    report = json.loads(rotated.stdout)
    assert report["key"] == "k2"
    assert report["rewrapped"]["identities.Identity.phone"] == 1

    _with_keys(cli, NEW)
    shown = cli("manage", "shell", "-c", READ_BACK)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip().splitlines()[-1].split() == [PHONE, ID_NUMBER]


def test_without_the_old_key_the_rotation_is_refused_with_one_line(cli):
    _with_keys(cli, OLD)
    made = cli(
        "identity", "create", "--wechat-id", "rotate_wx", "--real-name", "张三",
        "--id-number", ID_NUMBER, "--phone", PHONE, "--json",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    before = cli.rows("SELECT phone, id_number FROM identities_identity")
    _with_keys(cli, NEW)
    refused = cli("keys", "rotate")
    assert refused.returncode == 1
    assert len(refused.stderr.splitlines()) == 1 and "'k1'" in refused.stderr
    assert cli.rows("SELECT phone, id_number FROM identities_identity") == before


def test_purge_prints_what_it_deleted(cli):
    done = cli("purge", "--json")
    assert done.returncode == 0, done.stderr
    counts = json.loads(done.stdout)["deleted"]
    assert {"login_codes", "access_tokens", "qr_tickets", "sessions"} <= set(counts)
    assert not any(counts.values())
