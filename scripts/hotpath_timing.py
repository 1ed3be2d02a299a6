"""In-process cost of the server API's hot paths, without a server or a load generator.

Migrates a temporary SQLite file, provisions a mini program with `miniport app create`,
prepares login codes (as scripts/bench.py does), then times N calls each of
POST /cgi-bin/stable_token (normal mode, the same token every call) and
GET /sns/jscode2session (a fresh code every call) through Django's test client in this
one process. Prints microseconds per call, the best of --rounds rounds, as wall time and
as this process's CPU time (steadier when other work shares the machine). Light enough
to run beside other work (one CPU); `make bench` measures the real server under load.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import environment, prepare_codes, provision, run_cli  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000, help="calls per endpoint and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--users", type=int, default=2000)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="miniport-hotpath-") as tmp:
        env = environment(Path(tmp))
        run_cli(env, "migrate")
        app = provision(env)
        codes = prepare_codes(env, app["appid"], args.calls * args.rounds, args.users)

        from django.test import Client

        # The test client names itself "testserver", which ALLOWED_HOSTS does not hold.
        client = Client(HTTP_HOST="127.0.0.1")
        body = json.dumps(
            {"grant_type": "client_credential", "appid": app["appid"], "secret": app["secret"]}
        )

        def stable_token() -> None:
            answer = client.post("/cgi-bin/stable_token", body, content_type="application/json")
            assert b"access_token" in answer.content, answer.content

        def jscode2session(code: str) -> None:
            answer = client.get(
                "/sns/jscode2session",
                {
                    "appid": app["appid"],
                    "secret": app["secret"],
                    "js_code": code,
                    "grant_type": "authorization_code",
                },
            )
            assert b"openid" in answer.content, answer.content

        for _ in range(50):  # warm up: the token is minted, the quota leased, caches filled
            stable_token()
        wall = {"stable_token": float("inf"), "jscode2session": float("inf")}
        cpu = dict(wall)

        def timed(name: str, run) -> None:
            started, started_cpu = time.perf_counter(), time.process_time()
            run()
            wall[name] = min(wall[name], time.perf_counter() - started)
            cpu[name] = min(cpu[name], time.process_time() - started_cpu)

        for round_ in range(args.rounds):
            timed("stable_token", lambda: [stable_token() for _ in range(args.calls)])
            batch = codes[round_ * args.calls : (round_ + 1) * args.calls]
            timed("jscode2session", lambda: [jscode2session(code) for code in batch])  # noqa: B023
        for name in wall:
            print(
                f"{name:15} {wall[name] / args.calls * 1e6:8.1f} us/call wall, "
                f"{cpu[name] / args.calls * 1e6:8.1f} us/call CPU  ({args.calls} calls)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
