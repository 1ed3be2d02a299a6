"""Benchmark of the ops audit page (issue 9 item 7): its time and queries do not grow
with the size of the log.

Builds the log in a fresh SQLite file through bulk inserts (valid chains: the same
hashes and checkpoints `audit.record` writes; half platform entries, half one mini
program's), first 10,000 entries and then 1,000,000 (`--rows`), and times the page
(newest first, filtered by appid, an older keyset page) as a signed-in staff member,
the median of several loads each. Prints the figures; exits 1 when the large log makes
more queries than the small one or a page takes more than twice as long plus 50 ms.

Run: .venv/bin/python scripts/bench_audit.py [--rows N] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

APP = "wx00000000000000be"
LOADS = 7


def _setup(folder: str) -> None:
    os.environ["MINIPORT_VAR_DIR"] = folder
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "miniport.test_settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _grow(total: int) -> None:
    from miniport.core.models import AuditEntry
    from tests.core.audit_support import bulk_chain

    have = AuditEntry.objects.count()
    half = (total - have) // 2
    bulk_chain("", half)
    bulk_chain(APP, total - have - half)


def _measure(client, params: dict) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/ops/audit/", params)
    times = []
    queries = 0
    for _ in range(LOADS):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get("/ops/audit/", params)
            times.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
        assert b'data-chain="intact"' in response.content
        queries = len(captured)
    return statistics.median(times), queries


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-audit-") as folder:
        _setup(folder)
        from django.test import Client

        from miniport.accounts.models import Account, AccountKind

        staff = Account.objects.create_user(
            "bench@miniport.example",
            "a-long-password-1",
            is_staff=True,
            is_active=True,
            kind=AccountKind.STAFF,
        )
        client = Client()
        client.force_login(staff)
        cases = {"newest": {}, "appid": {"appid": APP}, "older": {"before": 5001}}
        results: dict[str, dict[str, float]] = {}
        failed = False
        for size in (10_000, args.rows):
            start = time.perf_counter()
            _grow(size)
            built = time.perf_counter() - start
            for name, params in cases.items():
                seconds, queries = _measure(client, params)
                results.setdefault(name, {})[f"ms_{size}"] = round(seconds * 1000, 1)
                results[name][f"queries_{size}"] = queries
            if not args.json:
                print(f"{size:>9,} entries (built in {built:.0f} s)")
        for name, row in results.items():
            small_ms, large_ms = row["ms_10000"], row[f"ms_{args.rows}"]
            small_q, large_q = row["queries_10000"], row[f"queries_{args.rows}"]
            ok = large_q == small_q and large_ms <= 2 * small_ms + 50
            failed |= not ok
            if not args.json:
                print(
                    f"  {name:<7} {small_ms:7.1f} ms / {small_q} queries at 10,000;"
                    f" {large_ms:7.1f} ms / {large_q} queries at {args.rows:,}"
                    f"  {'ok' if ok else 'TOO SLOW'}"
                )
        if args.json:
            print(json.dumps(results, sort_keys=True))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
