"""Measuring one database of `make bench-scale` (issue 14 item 2), in process.

Run by scripts/bench_scale.py in a child process whose DATABASE_URL names the file built by
scripts/bench_scale_build.py: `serve` answers the parent's commands on stdin (time this
target's next request, count the queries of one more), so the parent can alternate the
small and the large database request by request. Queries are counted on requests of
their own, so the query log costs the timed requests nothing.

Who asks: a browser of the measured mini program's administrator (the account login
confirmed by the administrator's scan: the account's Django login and the identity in
the console session, as `console.access` reads them), a browser of an ops staff account,
and the mini program's server and host app for the API. Every answer is checked (status
and what the page or the API must contain): a page that answers a login redirect or an
error is a failure, not a fast page.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

HOST_ID, HOST_SECRET = "scalehost", "scale-host-secret-0123456789abcdef"


@dataclass(frozen=True)
class Target:
    name: str
    call: Callable[[], Any]
    # A text the answer must contain (pages: a mark of the page; API: a field).
    expect: str


def _clients(meta: dict):
    from django.test import Client

    from miniport.accounts.models import Account
    from miniport.console import session as console_session

    console = Client()
    console.force_login(Account.objects.get(pk=meta["account_id"]))
    stored = console.session
    stored[console_session.IDENTITY] = meta["admin_identity_id"]
    stored.save()
    ops = Client()
    ops.force_login(Account.objects.get(pk=meta["staff_id"]))
    return console, ops, Client()


def _codes(meta: dict, count: int) -> list[str]:
    """Fresh login codes of the measured mini program, through the service the host app's
    login uses, spread over the bench users (jscode2session's per-user minute limit)."""
    from django.db import transaction

    from miniport.core.actors import Actor
    from miniport.identities.models import Identity
    from miniport.miniprograms.models import MiniProgram
    from miniport.miniprograms.services import credentials

    mp = MiniProgram.objects.get(pk=meta["miniprogram_id"])
    users = list(Identity.objects.filter(pk__in=meta["bench_users"]).order_by("pk"))
    actor = Actor.system("bench-scale")
    with transaction.atomic():
        return [
            credentials.login_code_issue(
                actor=actor, identity=users[i % len(users)], miniprogram=mp
            ).code
            for i in range(count)
        ]


def _sessions(meta: dict, count: int) -> list[str]:
    from miniport.identities.models import Identity
    from miniport.runtime import auth

    users = Identity.objects.filter(pk__in=meta["bench_users"]).order_by("pk")[:count]
    return [auth.session_issue(identity, HOST_ID) for identity in users]


def targets(meta: dict, codes: list[str]) -> list[Target]:
    console, ops, api = _clients(meta)
    appid, secret = meta["appid"], meta["secret"]
    stable_body = json.dumps({"grant_type": "client_credential", "appid": appid, "secret": secret})
    sessions = _sessions(meta, 20)
    turn = {"code": 0, "session": 0}

    def login():
        code = codes[turn["code"]]
        turn["code"] += 1
        return api.get("/sns/jscode2session", {"appid": appid, "secret": secret,
                                               "js_code": code,
                                               "grant_type": "authorization_code"})  # fmt: skip

    def launch():
        session = sessions[turn["session"] % len(sessions)]
        turn["session"] += 1
        return api.get(
            "/runtime/v1/launch",
            {"appid": appid, "env": "release"},
            HTTP_X_HOST_APP=f"{HOST_ID}:{HOST_SECRET}",
            HTTP_X_IDENTITY_SESSION=session,
        )

    action = meta["audit_action"]
    intact = 'data-chain="intact"'
    return [
        Target("console home", lambda: console.get("/"), appid),
        Target("console members", lambda: console.get("/members/"), "scale_member_01"),
        Target("console basic settings", lambda: console.get("/settings/basic/"), meta["name"]),
        Target("ops registrations", lambda: ops.get("/ops/registrations/"), "@example.com"),
        Target("ops review queue", lambda: ops.get("/ops/reviews/"), "新名称"),
        Target("ops audit", lambda: ops.get("/ops/audit/"), intact),
        Target("ops audit ?action", lambda: ops.get("/ops/audit/", {"action": action}), intact),
        Target("ops audit ?appid", lambda: ops.get("/ops/audit/", {"appid": appid}), intact),
        Target(
            "ops audit ?action&appid",
            lambda: ops.get("/ops/audit/", {"action": action, "appid": appid}),
            intact,
        ),
        Target(
            "stable_token",
            lambda: api.post("/cgi-bin/stable_token", stable_body, content_type="application/json"),
            '"access_token"',
        ),
        Target("jscode2session", login, '"openid"'),
        Target("launch", launch, '"sha256"'),
    ]


def _check(target: Target, response) -> None:
    body = response.content.decode("utf-8", "replace")
    if response.status_code != 200 or target.expect not in body:
        where = response.get("Location", "")
        raise SystemExit(
            f"{target.name}: answered {response.status_code} {where} without "
            f"{target.expect!r}: {body[:300]!r}"
        )


class Bench:
    """The targets of one database, run on request: `run` times requests one at a time
    (wall clock and this process's CPU time, which another process's load on the shared
    machine leaves alone), `queries` counts the queries of one more request."""

    def __init__(self, meta: dict, *, requests: int):
        self.targets = targets(meta, _codes(meta, requests))

    def run(self, index: int, count: int) -> dict[str, list[float]]:
        target = self.targets[index]
        wall, cpu = [], []
        for _ in range(count):
            started, used = time.perf_counter(), time.process_time()
            response = target.call()
            cpu.append((time.process_time() - used) * 1000)
            wall.append((time.perf_counter() - started) * 1000)
            _check(target, response)
        return {"ms": wall, "cpu_ms": cpu}

    def queries(self, index: int) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        target = self.targets[index]
        with CaptureQueriesContext(connection) as captured:
            response = target.call()
        _check(target, response)
        return len(captured)


def serve(meta: dict, *, requests: int, commands, answers) -> None:
    """Answer the parent's commands, one JSON line each: "run INDEX COUNT",
    "queries INDEX"; the first line names the targets."""
    bench = Bench(meta, requests=requests)

    def say(value) -> None:
        answers.write("@@" + json.dumps(value) + "\n")
        answers.flush()

    say([target.name for target in bench.targets])
    for line in commands:
        command, *numbers = line.split()
        if command == "run":
            say(bench.run(int(numbers[0]), int(numbers[1])))
        elif command == "queries":
            say(bench.queries(int(numbers[0])))
        else:
            return
