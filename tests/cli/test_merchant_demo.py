"""`miniport demo` (PAY-1): a certified enterprise mini program whose merchant the desk
approved, with orders made through the sandbox's services (one paid, one refunded, one
waiting); its mch_id printed with the logins; nothing made twice."""

from __future__ import annotations

from miniport.demo import payments


def _shop(cli):
    return cli.rows(
        """
        SELECT mp.appid, s.subject_type, s.certified_until IS NOT NULL, m.mch_id, m.kind
        FROM miniprograms_miniprogram mp JOIN accounts_account a ON a.id = mp.account_id
        JOIN accounts_subject s ON s.id = mp.subject_id
        JOIN payments_merchant m ON m.miniprogram_id = mp.id WHERE a.email = ?
    """,
        payments.SHOP_EMAIL,
    )


def test_pay1_the_demo_has_a_merchant_with_orders(cli):
    done = cli("demo")
    assert done.returncode == 0, done.stderr
    [(appid, subject_type, certified, mch_id, kind)] = _shop(cli)
    assert (subject_type, certified, kind) == ("enterprise", 1, "miniprogram")
    assert f"mch_id {mch_id}" in done.stdout and payments.SHOP_EMAIL in done.stdout
    # Approved on the desk, like any application.
    assert cli.rows(
        "SELECT a.state, r.state FROM payments_merchantapplication a "
        "JOIN review_review r ON r.target_id = CAST(a.id AS TEXT) AND r.kind = 'merchant'"
    ) == [("approved", "approved")]
    states = sorted(
        cli.rows(
            "SELECT o.trade_state, o.refunded_fee FROM payments_order o "
            "JOIN payments_merchant m ON m.id = o.merchant_id WHERE m.mch_id = ?",
            mch_id,
        )
    )
    assert states == [("NOTPAY", 0), ("REFUND", 5900), ("SUCCESS", 0)]
    paid = cli.rows(
        "SELECT COUNT(*) FROM payments_ledgerentry WHERE kind = 'order_paid' AND amount_fen > 0"
    )
    assert paid == [(2,)]
    # The key waits for the administrator's one look in the console.
    assert cli.rows("SELECT key_shown_at FROM payments_merchant WHERE mch_id = ?", mch_id) == [
        (None,)
    ]
    assert appid


def test_pay1_the_demo_makes_the_shop_once(cli):
    assert cli("demo").returncode == 0
    counts = [
        cli.count(table)
        for table in (
            "payments_merchant",
            "payments_order",
            "payments_refund",
            "payments_ledgerentry",
        )
    ]
    again = cli("demo")
    assert again.returncode == 0 and "already in place" in again.stdout
    assert cli("demo", "--once").returncode == 0
    assert counts == [
        cli.count(table)
        for table in (
            "payments_merchant",
            "payments_order",
            "payments_refund",
            "payments_ledgerentry",
        )
    ]
