"""The cluster of issue 14 item 3, started once for the module: it runs where PostgreSQL
and Redis answer (CI's PostgreSQL pass) and is skipped, with the reason, elsewhere."""

from __future__ import annotations

import secrets
from datetime import date

import psycopg
import pytest
import redis

from miniport.core.validators import make_id_number
from tests.cli.serve_support import require_nginx
from tests.multinode.cluster import Cluster, Database, maintenance_url, postgres_url, redis_url
from tests.multinode.pages import Browser, console_login, ops_login, phone_sign_in

OPS_EMAIL = "ops@nodes.example.com"
ADMIN_WECHAT_ID = "nodes_admin"
# The cached policy overrides of the platform, in Django's cache key format.
_CACHED = ":1:miniport:*"


def _forget_cached(url: str) -> None:
    """A previous run's cached overrides would stand for this run's fresh database."""
    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    stale = client.keys(_CACHED)
    if stale:
        client.delete(*stale)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    url = postgres_url()
    if url is None:
        pytest.skip(
            "two nodes need one shared PostgreSQL database: runs with DATABASE_URL=postgres://..."
            " (CI's PostgreSQL pass); on SQLite there is one machine"
        )
    try:
        psycopg.connect(maintenance_url(url), connect_timeout=3).close()
    except psycopg.Error as error:
        pytest.skip(f"PostgreSQL does not answer: {error}")
    cache_url = redis_url()
    try:
        _forget_cached(cache_url)
    except redis.RedisError as error:
        pytest.skip(f"Redis does not answer at {cache_url} (REDIS_URL or its default): {error}")
    require_nginx()
    database = Database(url)
    database.create()
    cluster = Cluster(tmp_path_factory.mktemp("nodes"), database, cache_url)
    try:
        cluster.cli("migrate")
        cluster.ops_password = secrets.token_urlsafe(12)
        cluster.cli(
            "manage", "createsuperuser", "--noinput", "--email", OPS_EMAIL,
            env={"DJANGO_SUPERUSER_PASSWORD": cluster.ops_password},
        )  # fmt: skip
        cluster.admin_password = secrets.token_urlsafe(12)
        cluster.cli(
            "identity", "create", "--wechat-id", ADMIN_WECHAT_ID, "--real-name", "张三",
            "--id-number", make_id_number(date(1990, 5, 17), sequence=314),
            # "=": a random password may begin with "-", which argparse would take for
            # an option when it stood on its own.
            f"--password={cluster.admin_password}",
        )  # fmt: skip
        cluster.start()
        yield cluster
    except BaseException:
        print(cluster.logs())
        raise
    finally:
        cluster.stop()
        database.drop()
        _forget_cached(cache_url)


@pytest.fixture(scope="module")
def ops(cluster) -> Browser:
    """The operator, signed in to the ops desk through node A."""
    browser = Browser()
    ops_login(browser, cluster.nodes[0].base, OPS_EMAIL, cluster.ops_password)
    return browser


@pytest.fixture(scope="module")
def console(cluster):
    """A mini program whose administrator is signed in to the console (through node A,
    the scan confirmed on the phone through node B): (its app, the desk, the phone)."""
    app = cluster.cli_json(
        "app", "create", "--name", "双节点控制台", "--subject-type", "personal",
        "--email", "console@nodes.example.com", "--admin-wechat-id", ADMIN_WECHAT_ID,
    )  # fmt: skip
    desk, phone = Browser(), Browser()
    a, b = (node.base for node in cluster.nodes)
    phone_sign_in(phone, b, ADMIN_WECHAT_ID, cluster.admin_password)
    console_login(desk, phone, (a, b), app["email"], app["password"])
    return app, desk, phone
