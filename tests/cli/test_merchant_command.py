"""`miniport merchant create` (PAY-1): an approved merchant for a certified mini program,
its mch_id and API key as one JSON object; refusals one line on stderr, exit 1, nothing
written."""

from __future__ import annotations

import json
import re


def _app(cli, subject_type="enterprise", *, certified=True, email="pay@example.com") -> str:
    args = ["app", "create", "--name", f"支付{email[:3]}小程序", "--subject-type", subject_type]
    args += ["--email", email, "--json"]
    if certified:
        args.append("--certified")
    done = cli(*args)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)["appid"]


def test_pay1_merchant_create_prints_mch_id_and_key(cli):
    appid = _app(cli)
    done = cli("merchant", "create", "--appid", appid, "--json")
    assert done.returncode == 0, done.stderr
    assert done.stderr == "" and len(done.stdout.strip().splitlines()) == 1
    data = json.loads(done.stdout)
    assert set(data) == {"appid", "mch_id", "api_key"} and data["appid"] == appid
    assert re.fullmatch(r"[1-9][0-9]{9}", data["mch_id"])
    assert re.fullmatch(r"[A-Za-z0-9]{32}", data["api_key"])
    rows = cli.rows(
        "SELECT m.mch_id, m.kind, m.api_key, m.key_shown_at FROM payments_merchant m "
        "JOIN miniprograms_miniprogram mp ON mp.id = m.miniprogram_id WHERE mp.appid = ?",
        appid,
    )
    assert len(rows) == 1
    mch_id, kind, sealed, shown_at = rows[0]
    assert (mch_id, kind) == (data["mch_id"], "miniprogram") and shown_at
    # Sealed at rest: the column is not the key.
    assert sealed and data["api_key"] not in sealed


def _refused(cli, *args: str) -> str:
    before = cli.count("payments_merchant")
    done = cli("merchant", "create", *args, "--json")
    assert done.returncode == 1, done.stdout
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("miniport: error: ")
    assert cli.count("payments_merchant") == before
    return lines[0]


def test_pay1_merchant_create_refusals(cli):
    assert "invalid appid" in _refused(cli, "--appid", "wx0000000000000000")
    personal = _app(cli, "personal", certified=False, email="me@example.com")
    assert "personal subject" in _refused(cli, "--appid", personal)
    plain = _app(cli, certified=False, email="plain@example.com")
    assert "not certified" in _refused(cli, "--appid", plain)
    certified = _app(cli, email="cert@example.com")
    assert cli("merchant", "create", "--appid", certified, "--json").returncode == 0
    assert "already has a merchant" in _refused(cli, "--appid", certified)


def test_pay1_merchant_create_plain_output(cli):
    appid = _app(cli)
    done = cli("merchant", "create", "--appid", appid)
    assert done.returncode == 0, done.stderr
    assert "mch_id:" in done.stdout and "shown once" in done.stdout
