"""A benchmarking aid, never on in service: the bare WSGI ceiling of `make bench`.

With MINIPORT_BENCH_CEILING=1 in its environment, `miniport.wsgi` answers GET
`BARE_PATH` itself with a constant JSON body, before Django sees the request. Served by
the same `miniport serve` (nginx in front, the same gunicorn workers and threads), in the
same run, it is the most any endpoint of this server could answer on this machine, so
scripts/bench.py prints every endpoint against it (issue 14 item 1). The path sits under
/runtime/ so the front treats it as it treats /runtime/v1/ping.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any

ENVIRONMENT_FLAG = "MINIPORT_BENCH_CEILING"
BARE_PATH = "/runtime/bench/bare"
BODY = b'{"ok":true}'
_HEADERS = [("Content-Type", "application/json"), ("Content-Length", str(len(BODY)))]

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def enabled() -> bool:
    return os.environ.get(ENVIRONMENT_FLAG, "") == "1"


def with_ceiling(application: WSGIApp) -> WSGIApp:
    """`application`, except that GET BARE_PATH is answered here."""

    def bench_application(environ: dict[str, Any], start_response: Callable[..., Any]):
        if environ.get("PATH_INFO") == BARE_PATH and environ.get("REQUEST_METHOD") == "GET":
            start_response("200 OK", _HEADERS)
            return [BODY]
        return application(environ, start_response)

    return bench_application
