"""A secret reset made by another process reaches every worker of a running server at
once (DEV-1: the old AppSecret is invalid at once), although each worker remembers its
stable-token lookups while the SQLite database is unchanged."""

from __future__ import annotations

import pytest
import requests

from tests.openapi.live_server import Server

pytestmark = pytest.mark.live_server_process

RESET = (
    "from miniport.core.actors import Actor\n"
    "from miniport.miniprograms.models import MiniProgram\n"
    "from miniport.miniprograms.services import miniprogram_issue_secret\n"
    "app = MiniProgram.objects.get(appid='{appid}')\n"
    "print(miniprogram_issue_secret(actor=Actor.system('tests'), miniprogram=app))\n"
)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    server = Server(tmp_path_factory.mktemp("stable-token-processes"))
    server.cli("migrate")
    server.app = server.create_app(name="多进程测试", email="processes@example.com")
    server.start(workers=2, threads=1)
    yield server
    server.stop()


def stable_token(server, secret: str) -> dict:
    body = {"grant_type": "client_credential", "appid": server.app["appid"], "secret": secret}
    return requests.post(server.base + "/cgi-bin/stable_token", json=body, timeout=10).json()


def test_every_worker_refuses_the_old_secret_right_after_a_reset_elsewhere(server):
    old = server.app["secret"]
    answers = [stable_token(server, old) for _ in range(40)]  # both workers, remembered
    assert len({answer["access_token"] for answer in answers}) == 1
    reset = server.cli("manage", "shell", "-c", RESET.format(appid=server.app["appid"]))
    new = reset.strip().splitlines()[-1]  # after Django's note on automatic imports
    assert len(new) == 32 and new != old
    after = [stable_token(server, old)["errcode"] for _ in range(40)]
    assert after == [40001] * 40
    fresh = [stable_token(server, new) for _ in range(10)]
    assert {answer["access_token"] for answer in fresh} == {answers[0]["access_token"]}
