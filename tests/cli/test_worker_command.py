"""`miniport worker`: the sweep delivers pending events and fails overdue remittances."""

from miniport import demo


def test_worker_once_fails_a_registration_whose_remittance_deadline_passed(cli):
    assert cli("demo").returncode == 0
    # The deadline passes: the remittance's own and the registration's copy the sweep seeks.
    cli.rows("UPDATE accounts_remittance SET deadline = '2000-01-01 00:00:00'")
    cli.rows(
        "UPDATE accounts_registration SET remittance_due = '2000-01-01 00:00:00'"
        " WHERE remittance_due IS NOT NULL"
    )
    done = cli("worker", "--once")
    assert done.returncode == 0, done.stderr
    assert "failed 1 overdue registrations" in done.stdout
    statuses = dict(
        cli.rows("""
        SELECT a.email, r.status FROM accounts_registration r JOIN accounts_account a ON a.id = r.account_id
    """)
    )
    assert statuses[demo.ENTERPRISE_EMAIL] == "failed"
    assert statuses[demo.GOVERNMENT_EMAIL] == "pending_certification"


def test_worker_once_delivers_events_left_undelivered(cli):
    cli.rows("""INSERT INTO core_outboxevent (kind, appid, payload, created_at, attempts, last_error)
                VALUES ('tests.left_behind', '', '{}', '2024-01-01 00:00:00', 0, '')""")
    done = cli("worker", "--once")
    assert done.returncode == 0, done.stderr
    assert "delivered 1 events" in done.stdout
    assert cli.rows("SELECT delivered_at IS NOT NULL, attempts FROM core_outboxevent") == [(1, 1)]


def test_the_worker_loop_sweeps_until_told_to_stop(cli):
    import subprocess
    import time

    from tests.cli.conftest import MINIPORT

    cli.rows("""INSERT INTO core_outboxevent (kind, appid, payload, created_at, attempts, last_error)
                VALUES ('tests.left_behind', '', '{}', '2024-01-01 00:00:00', 0, '')""")
    worker = subprocess.Popen(
        [str(MINIPORT), "worker", "--interval", "0.2"],
        env=cli.env,
        cwd=cli.folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while not cli.rows("SELECT 1 FROM core_outboxevent WHERE delivered_at IS NOT NULL"):
            assert worker.poll() is None, worker.stderr.read()
            assert time.monotonic() < deadline, "the worker never delivered the event"
            time.sleep(0.2)
    finally:
        worker.terminate()
        out, err = worker.communicate(timeout=15)
    assert worker.returncode == 0, err
    assert "delivered 1 events" in out
    assert err == ""
