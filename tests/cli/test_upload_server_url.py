"""B-10: `miniport upload --server` must be an http or https URL with a host (and a port
from 1 to 65535 if it names one); anything else exits 2 with one plain line naming
--server, before a byte is read or a connection is made."""

from __future__ import annotations

import socket

import pytest

from tests.cli.conftest import Cli

EXCEPTION_NAMES = ("Error", "Exception", "Traceback")


def upload(cli: Cli, server: str) -> tuple[int, str, str]:
    """An upload whose every other argument is good: a real key, a folder to send."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    (cli.folder / "code").mkdir(exist_ok=True)
    (cli.folder / "code" / "app.json").write_text('{"pages": ["pages/index/index"]}')
    key = cli.folder / "upload.key"
    key.write_bytes(
        Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    done = cli(
        "upload", "--server", server, "--appid", "wx0123456789abcdef", "--version", "1.0.0",
        "--key", str(key), "--timeout", "5", str(cli.folder / "code"),
    )  # fmt: skip
    return done.returncode, done.stdout, done.stderr


@pytest.mark.parametrize(
    ("server", "problem"),
    [
        ("notaurl", "must be an http:// or https:// URL"),
        ("http://[::1", "its [IPv6 address] is unclosed or not an address"),
        ("ftp://example.com", "must be an http:// or https:// URL"),
        ("http://", "must name a host"),
        ("http://example.com:99999", "its port must be a number from 1 to 65535"),
        ("http://example.com:port", "its port must be a number from 1 to 65535"),
    ],
    ids=["not-a-url", "unclosed-ipv6", "ftp", "no-host", "port-too-high", "port-not-a-number"],
)
def test_a_server_that_is_not_an_http_url_exits_2_with_one_plain_line(tmp_path, server, problem):
    status, stdout, stderr = upload(Cli(tmp_path), server)
    assert status == 2
    assert stdout == ""
    assert stderr.splitlines() == [f"miniport: error: --server {server!r}: {problem}"]
    assert not any(name in stderr for name in EXCEPTION_NAMES)


def test_an_ftp_server_is_refused_before_any_connection_is_made(tmp_path):
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        listener.settimeout(0)
        status, _stdout, _stderr = upload(
            Cli(tmp_path), f"ftp://127.0.0.1:{listener.getsockname()[1]}"
        )
        with pytest.raises(BlockingIOError):
            listener.accept()
    assert status == 2


def test_miniport_server_is_checked_like_the_option_it_stands_in_for(tmp_path):
    cli = Cli(tmp_path)
    cli.env["MINIPORT_SERVER"] = "notaurl"
    status, stdout, stderr = upload(cli, "")
    assert status == 2 and stdout == ""
    assert stderr.splitlines() == [
        "miniport: error: MINIPORT_SERVER 'notaurl': must be an http:// or https:// URL"
    ]


@pytest.mark.parametrize(
    "server", ["http://127.0.0.1:8000", "https://miniport.example.com/base/", "http://[::1]:80"]
)
def test_http_and_https_urls_with_a_host_are_accepted(server):
    from miniport.cli.upload import server_url_problem

    assert server_url_problem(server) is None
