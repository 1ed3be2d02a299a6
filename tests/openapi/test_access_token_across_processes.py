"""An access_token ended or deleted by another process is refused at once by every worker
of a running server (wechat-api 1.2: 40001 superseded, 40014 unknown), although each
worker remembers its token lookups while the SQLite database is unchanged; a new token
made elsewhere works at once, and an AppSecret reset elsewhere leaves the tokens already
issued in force (WeChat's behaviour) while the old secret is refused (DEV-1)."""

from __future__ import annotations

import itertools

import pytest
import requests

from tests.openapi.live_server import Server

pytestmark = pytest.mark.live_server_process

SHELL = (
    "from miniport.core import clock, ids\n"
    "from miniport.core.actors import Actor\n"
    "from miniport.miniprograms.models import AccessToken, MiniProgram\n"
    "from miniport.miniprograms.services import miniprogram_issue_secret\n"
    "app = MiniProgram.objects.get(appid='{appid}')\n"
    "tokens = AccessToken.objects.filter(miniprogram=app, digest=ids.digest('{token}'))\n"
)
END = SHELL + "print(tokens.update(valid_until=clock.now()))\n"
DELETE = SHELL + "print(tokens.delete()[0])\n"
RESET = SHELL + "print(miniprogram_issue_secret(actor=Actor.system('tests'), miniprogram=app))\n"
CALLS = 40  # over both workers, one thread each


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    server = Server(tmp_path_factory.mktemp("access-token-processes"))
    server.cli("migrate")
    server.start(workers=2, threads=1)
    yield server
    server.stop()


_apps = itertools.count(1)


@pytest.fixture
def app(server):
    n = next(_apps)
    return server.create_app(name=f"令牌多进程测试{n}", email=f"token-processes-{n}@example.com")


def token(server, app: dict, path: str = "/cgi-bin/token") -> str:
    params = {"grant_type": "client_credential", "appid": app["appid"], "secret": app["secret"]}
    if path == "/cgi-bin/token":
        answer = requests.get(server.base + path, params=params, timeout=10).json()
    else:
        answer = requests.post(server.base + path, json=params, timeout=10).json()
    return answer["access_token"]


def errcodes(server, access_token: str) -> list[int]:
    """What CALLS calls of an access_token endpoint answer (0: the token was accepted)."""
    return [
        requests.get(
            server.base + "/wxa/get_category", params={"access_token": access_token}, timeout=10
        ).json()["errcode"]
        for _ in range(CALLS)
    ]


def shell(server, script: str, app: dict, access_token: str) -> str:
    done = server.cli(
        "manage", "shell", "-c", script.format(appid=app["appid"], token=access_token)
    )
    return done.strip().splitlines()[-1]  # after Django's note on automatic imports


@pytest.mark.parametrize("family", ["/cgi-bin/token", "/cgi-bin/stable_token"])
def test_every_worker_refuses_a_token_ended_elsewhere_at_once(server, app, family):
    current = token(server, app, family)
    assert errcodes(server, current) == [0] * CALLS  # both workers, remembered
    assert shell(server, END, app, current) == "1"
    assert errcodes(server, current) == [40001] * CALLS


def test_every_worker_refuses_a_token_deleted_elsewhere_at_once(server, app):
    current = token(server, app)
    assert errcodes(server, current) == [0] * CALLS
    assert shell(server, DELETE, app, current) == "1"
    assert errcodes(server, current) == [40014] * CALLS


def test_a_token_made_elsewhere_works_at_once_and_the_old_one_stays_for_its_grace(server, app):
    old = token(server, app)
    assert errcodes(server, old) == [0] * CALLS
    new = token(server, app)  # pulls the old one in to the end of the grace window
    assert errcodes(server, new) == [0] * CALLS
    assert errcodes(server, old) == [0] * CALLS


def test_a_secret_reset_elsewhere_leaves_issued_tokens_in_force(server, app):
    current = token(server, app, "/cgi-bin/stable_token")
    assert errcodes(server, current) == [0] * CALLS
    new_secret = shell(server, RESET, app, current)
    assert len(new_secret) == 32 and new_secret != app["secret"]
    assert errcodes(server, current) == [0] * CALLS
    refused = requests.post(
        server.base + "/cgi-bin/stable_token",
        json={"grant_type": "client_credential", "appid": app["appid"], "secret": app["secret"]},
        timeout=10,
    ).json()
    assert refused["errcode"] == 40001
