"""`miniport demo`: demo data made through the real services, never twice."""

import json

from miniport import demo

TABLES = (
    "accounts_account",
    "accounts_registration",
    "accounts_subject",
    "accounts_remittance",
    "accounts_certificationorder",
    "identities_identity",
    "miniprograms_miniprogram",
    "core_outboxevent",
    "miniprograms_member",
)


def snapshot(cli) -> dict:
    counts = {table: cli.count(table) for table in TABLES}
    counts["quota uses"] = cli.rows("SELECT COALESCE(SUM(used), 0) FROM core_quotacounter")[0][0]
    return counts


def test_running_demo_twice_creates_nothing_the_second_time(cli):
    first = cli("demo")
    assert first.returncode == 0, first.stderr
    after_first = snapshot(cli)
    assert after_first["miniprograms_miniprogram"] == 3
    second = cli("demo")
    assert second.returncode == 0, second.stderr
    assert "already in place" in second.stdout
    third = cli("demo", "--once")
    assert third.returncode == 0, third.stderr
    assert snapshot(cli) == after_first


def test_demo_once_on_an_empty_platform_creates_the_demo_data(cli):
    done = cli("demo", "--once")
    assert done.returncode == 0, done.stderr
    assert demo.OPS_EMAIL in done.stdout
    assert demo.DEMO_PASSWORD in done.stdout
    statuses = dict(
        cli.rows("""
        SELECT a.email, r.status FROM accounts_registration r JOIN accounts_account a ON a.id = r.account_id
    """)
    )
    assert statuses == {
        demo.CONSOLE_EMAIL: "active",
        demo.ENTERPRISE_EMAIL: "pending_remittance",
        demo.GOVERNMENT_EMAIL: "pending_certification",
    }
    # The organizations went through the real steps: a remittance to wait for, a fee to pay.
    assert cli.rows("""
        SELECT a.email FROM accounts_remittance m JOIN accounts_registration r ON r.id = m.registration_id
        JOIN accounts_account a ON a.id = r.account_id
    """) == [(demo.ENTERPRISE_EMAIL,)]
    assert cli.rows("""
        SELECT a.email, o.status FROM accounts_certificationorder o
        JOIN accounts_registration r ON r.id = o.registration_id JOIN accounts_account a ON a.id = r.account_id
    """) == [(demo.GOVERNMENT_EMAIL, "unpaid")]
    assert cli.rows(
        "SELECT is_staff, is_active, kind FROM accounts_account WHERE email = ?", demo.OPS_EMAIL
    ) == [(1, 1, "staff")]


def test_demo_identities_cover_each_persona(cli):
    assert cli("demo").returncode == 0
    rows = cli.rows("SELECT wechat_id, real_name_verified, birth_date FROM identities_identity")
    by_id = {wechat_id: (verified, born) for wechat_id, verified, born in rows}
    assert {spec.wechat_id for spec in demo.identities()} <= set(by_id)
    assert by_id["demo_guest"][0] == 0
    assert by_id["demo_minor"][0] == 1
    assert by_id["demo_admin"][0] == 1
    columns = {row[1] for row in cli.rows("PRAGMA table_info(identities_identity)")}
    if "is_demo" in columns:
        flagged = {
            row[0] for row in cli.rows("SELECT wechat_id FROM identities_identity WHERE is_demo")
        }
        assert flagged == {spec.wechat_id for spec in demo.identities()}


def test_the_demo_mini_program_has_a_developer_a_data_analyst_and_an_experience_member(cli):
    assert cli("demo").returncode == 0
    members = cli.rows(
        """
        SELECT i.wechat_id, m.kind, m.status, m.is_developer, m.is_data_analyst
        FROM miniprograms_member m JOIN identities_identity i ON i.id = m.identity_id
        JOIN miniprograms_miniprogram mp ON mp.id = m.miniprogram_id
        JOIN accounts_account a ON a.id = mp.account_id WHERE a.email = ?
        ORDER BY i.wechat_id
    """,
        demo.CONSOLE_EMAIL,
    )
    assert members == [
        ("demo_analyst", "project", "active", 0, 1),
        ("demo_dev", "project", "active", 1, 0),
        ("demo_tester", "experience", "active", 0, 0),
    ]


CHECK_LOGINS = """
import json
from datetime import date
from miniport import demo
from miniport.accounts.models import Account
from miniport.identities.models import Identity
from miniport.core.validators import age_on
pw = demo.DEMO_PASSWORD
minor = Identity.objects.get(wechat_id="demo_minor")
print(json.dumps({
    "console": Account.objects.get(email=demo.CONSOLE_EMAIL).check_password(pw),
    "ops": Account.objects.get(email=demo.OPS_EMAIL).check_password(pw),
    "enterprise": Account.objects.get(email=demo.ENTERPRISE_EMAIL).check_password(pw),
    "identities": all(Identity.objects.get(wechat_id=s.wechat_id).check_password(pw) for s in demo.identities()),
    "admin": Account.objects.get(email=demo.CONSOLE_EMAIL).miniprogram.admin_identity.wechat_id,
    "minor_age": age_on(minor.birth_date, date.today()),
}))
"""


def test_the_documented_demo_password_opens_every_demo_login(cli):
    assert cli("demo").returncode == 0
    done = cli("manage", "shell", "-c", CHECK_LOGINS)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result == {
        "console": True,
        "ops": True,
        "enterprise": True,
        "identities": True,
        "admin": demo.ADMIN_WECHAT_ID,
        "minor_age": 16,
    }
