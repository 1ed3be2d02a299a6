"""`miniport demo`: demo data made through the real services, never twice."""

import json
import sqlite3

from miniport import demo
from miniport.demo import payments as demo_payments

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
    "miniprograms_miniprogramcategory",
    "releases_codepackage",
    "releases_devversion",
    "releases_experience",
    "releases_submission",
    "releases_release",
    "review_review",
    "review_reviewhistory",
    "core_auditentry",
)


def snapshot(cli) -> dict:
    counts = {table: cli.count(table) for table in TABLES}
    counts["quota uses"] = cli.rows("SELECT COALESCE(SUM(used), 0) FROM core_quotacounter")[0][0]
    return counts


def test_running_demo_twice_creates_nothing_the_second_time(cli):
    first = cli("demo")
    assert first.returncode == 0, first.stderr
    after_first = snapshot(cli)
    assert after_first["miniprograms_miniprogram"] == 4
    second = cli("demo")
    assert second.returncode == 0, second.stderr
    assert "already in place" in second.stdout
    third = cli("demo", "--once")
    assert third.returncode == 0, third.stderr
    assert snapshot(cli) == after_first
    # The demo mini program's three versions and the shop's code with functional pages.
    assert after_first["releases_devversion"] == 4


def test_demo_once_on_an_empty_platform_creates_the_demo_data(cli):
    done = cli("demo", "--once")
    assert done.returncode == 0, done.stderr
    assert demo.OPS_EMAIL in done.stdout
    assert demo.DEMO_PASSWORD in done.stdout
    assert "code 1.0.0 online, 1.1.0 experience, 1.2.0 in review" in done.stdout
    assert "ops@miniport.local (1 review waiting)" in done.stdout
    statuses = dict(
        cli.rows("""
        SELECT a.email, r.status FROM accounts_registration r JOIN accounts_account a ON a.id = r.account_id
    """)
    )
    assert statuses == {
        demo.CONSOLE_EMAIL: "active",
        demo.ENTERPRISE_EMAIL: "pending_remittance",
        demo.GOVERNMENT_EMAIL: "pending_certification",
        demo_payments.SHOP_EMAIL: "active",
    }
    # The organizations went through the real steps: a remittance to wait for, a fee to pay.
    assert cli.rows("""
        SELECT a.email FROM accounts_remittance m JOIN accounts_registration r ON r.id = m.registration_id
        JOIN accounts_account a ON a.id = r.account_id
    """) == [(demo.ENTERPRISE_EMAIL,)]
    assert cli.rows("""
        SELECT a.email, o.status FROM accounts_certificationorder o
        JOIN accounts_registration r ON r.id = o.registration_id JOIN accounts_account a ON a.id = r.account_id
        ORDER BY a.email
    """) == [(demo.GOVERNMENT_EMAIL, "unpaid"), (demo_payments.SHOP_EMAIL, "certified")]
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
from miniport.demo import payments as demo_payments
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


def demo_app_id(cli) -> int:
    return cli.rows(
        """
        SELECT mp.id FROM miniprograms_miniprogram mp
        JOIN accounts_account a ON a.id = mp.account_id WHERE a.email = ?
    """,
        demo.CONSOLE_EMAIL,
    )[0][0]


def test_the_demo_mini_program_has_an_online_an_experience_and_an_in_review_version(cli):
    assert cli("demo").returncode == 0
    app = demo_app_id(cli)
    uploaded = cli.rows(
        """
        SELECT v.user_version, i.wechat_id FROM releases_devversion v
        JOIN identities_identity i ON i.id = v.developer_identity_id
        WHERE v.miniprogram_id = ? ORDER BY v.id
    """,
        app,
    )
    assert uploaded == [("1.0.0", "demo_dev"), ("1.1.0", "demo_dev"), ("1.2.0", "demo_dev")]
    # Three different packages (each its own sha256), beside the shop's code and its plugin.
    assert cli.count("releases_codepackage") == 5
    assert cli.rows(
        """
        SELECT v.user_version FROM releases_experience e
        JOIN releases_devversion v ON v.id = e.dev_version_id WHERE e.miniprogram_id = ?
    """,
        app,
    ) == [("1.1.0",)]
    submissions = cli.rows(
        """
        SELECT v.user_version, s.state, s.prechecks, r.kind, r.state FROM releases_submission s
        JOIN releases_devversion v ON v.id = s.dev_version_id
        JOIN review_review r ON r.id = s.review_id WHERE s.miniprogram_id = ? ORDER BY s.id
    """,
        app,
    )
    assert [row[:2] + row[3:] for row in submissions] == [
        ("1.0.0", "approved", "code", "approved"),
        ("1.2.0", "pending", "code", "pending"),
    ]
    # The package names its request domain, which is configured: the pre-checks are clean.
    assert [json.loads(row[2]) for row in submissions] == [[], []]
    assert cli.rows(
        """
        SELECT v.user_version, r.state FROM releases_release r
        JOIN releases_devversion v ON v.id = r.dev_version_id WHERE r.miniprogram_id = ?
    """,
        app,
    ) == [("1.0.0", "current")]
    # The ops desk has the code review of 1.2.0 waiting, unclaimed.
    assert cli.rows("SELECT kind, claimed_by FROM review_review WHERE state = 'pending'") == [
        ("code", "")
    ]
    # Through the services: their audit rows and events.
    actions = {row[0] for row in cli.rows("SELECT action FROM core_auditentry")}
    assert {
        "categories.add",
        "code.upload",
        "code.submit",
        "code.experience_set",
    } <= actions
    kinds = {row[0] for row in cli.rows("SELECT kind FROM core_outboxevent")}
    assert {"code.uploaded", "code.submitted", "code.experience_set"} <= kinds


def test_demo_once_adds_the_versions_to_demo_data_made_before_them(cli):
    """Demo data made before the code versions existed gets them on the next `make run`."""
    assert cli("demo").returncode == 0
    app = demo_app_id(cli)
    with sqlite3.connect(cli.database) as db:
        # Back to the demo data of before: no versions, no category, no server domain.
        for table in ("releases_release", "releases_experience"):
            db.execute(f"DELETE FROM {table}")  # noqa: S608 - table names from the test
        db.execute("UPDATE releases_submission SET review_id = NULL")
        for table in (
            "releases_submission",
            "review_reviewhistory",
            "review_review",
            "releases_devversion",
            "releases_codepackage",
            "miniprograms_miniprogramcategory",
        ):
            db.execute(f"DELETE FROM {table}")  # noqa: S608 - table names from the test
        db.execute("DELETE FROM core_quotacounter")
        db.execute("UPDATE miniprograms_devsettings SET domains = '{}'")
    done = cli("demo", "--once")
    assert done.returncode == 0, done.stderr
    assert "code version 1.2.0 submitted" in done.stdout
    assert cli.rows(
        "SELECT user_version FROM releases_devversion WHERE miniprogram_id = ? ORDER BY id", app
    ) == [("1.0.0",), ("1.1.0",), ("1.2.0",)]
    assert cli.count("accounts_account") == 5
