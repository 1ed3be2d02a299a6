"""`miniport upload`: send a code package to a Miniport server with an upload key (B-10,
VER-1), for CI, like WeChat's miniprogram-ci with its code-upload key.

    miniport upload --appid APPID --version V --desc TEXT --key KEYFILE
                    [--server URL] [--json] PATH

APPID may also be a plugin's AppID (PLG-7): the package is then a plugin project
(plugin.json at its root) and becomes a plugin version; KEYFILE is an upload key of the
plugin's owner mini program.

PATH is a folder (zipped in memory, deterministically, by `releases.packages.zip_folder`)
or a zip file. KEYFILE is the private key the console or `miniport app upload-key`
handed out (PEM). The request is `POST <server>/cgi-bin/miniport/upload` with the zip as
its body and the signed headers of `openapi/upload_api.py`; the server is `--server`,
else `MINIPORT_SERVER`, else the settings' SITE_URL.

A progress bar shows on stderr while the bytes are sent, when stderr is a terminal (CI
logs stay clean). Success prints one line, or with `--json` one JSON object (appid,
version, desc, sha256, size, uploaded_at). A refusal by the server, or a server that
cannot be reached, is one line on stderr and exit 1; bad arguments (no such PATH, a
key file that is not an Ed25519 private key, a --server that is not an http or https
URL with a host) exit 2.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote, urlsplit

from miniport.cli.base import EXIT_REFUSED, EXIT_USAGE, fail, print_json

CHUNK_BYTES = 64 * 1024
ENDPOINT = "/cgi-bin/miniport/upload"


def register(commands: Any) -> None:
    upload = commands.add_parser("upload", help="upload a code package with an upload key")
    upload.add_argument(
        "--appid", required=True, help="the mini program's AppID, or a plugin's (PLG-7)"
    )
    upload.add_argument("--version", required=True, dest="user_version")
    upload.add_argument("--desc", default="")
    upload.add_argument("--key", required=True, help="the upload key's private key file (PEM)")
    upload.add_argument("--server", default="", help="base URL of the Miniport server")
    upload.add_argument("--timeout", type=float, default=300.0, help=argparse.SUPPRESS)
    upload.add_argument("--json", action="store_true", help="print one JSON object")
    upload.add_argument("path", metavar="PATH", help="a folder or a zip file")
    upload.set_defaults(handler=cmd_upload, before_setup=_check_arguments)


def _check_arguments(args: argparse.Namespace) -> None:
    """Bad arguments exit 2 before anything is read or sent."""
    _check_server(args)
    if not os.path.exists(args.path):
        fail(f"PATH {args.path}: no such file or folder", EXIT_USAGE)
    if not (os.path.isdir(args.path) or os.path.isfile(args.path)):
        fail(f"PATH {args.path}: neither a folder nor a file", EXIT_USAGE)
    try:
        args.key_pem = Path(args.key).read_bytes()
    except OSError as exc:
        fail(f"--key {args.key}: {exc.strerror or exc}", EXIT_USAGE)
    if not args.user_version.strip():
        fail("--version must not be empty", EXIT_USAGE)


def _check_server(args: argparse.Namespace) -> None:
    """--server, else MINIPORT_SERVER, which stands in for it (SITE_URL, the last resort,
    comes from the settings)."""
    named, url = "--server", args.server
    if not url:
        named, url = "MINIPORT_SERVER", os.environ.get("MINIPORT_SERVER", "")
    problem = server_url_problem(url) if url else None
    if problem:
        fail(f"{named} {url!r}: {problem}", EXIT_USAGE)


def server_url_problem(url: str) -> str | None:
    """What keeps `url` from being the server's base URL, or None.

    urllib would take any other scheme (ftp://, file://) and try it, and it reports a URL
    it cannot parse as its own exception, so the URL is checked here, in plain words: an
    http or https URL with a host, a port from 1 to 65535 if any, and nothing after the
    path, to which the upload endpoint is appended."""
    if any(character.isspace() or not character.isprintable() for character in url):
        return "must not contain spaces or control characters"
    try:
        parts = urlsplit(url)
    except ValueError:  # urlsplit refuses only a bracketed host it cannot read
        return "its [IPv6 address] is unclosed or not an address"
    if parts.scheme not in ("http", "https"):
        return "must be an http:// or https:// URL"
    if not parts.hostname:
        return "must name a host"
    try:
        valid_port = parts.port != 0
    except ValueError:  # not a number, or over 65535
        valid_port = False
    if not valid_port:
        return "its port must be a number from 1 to 65535"
    if parts.query or parts.fragment:
        return "must end at its path (the upload path is appended to it)"
    return None


def _client_limits():
    """The package limits as the platform's defaults give them: the client needs no
    database; the server applies the operator's values."""
    from miniport.core import policy
    from miniport.releases.packages import PackageLimits

    return PackageLimits(
        **{
            name: policy.RULES_BY_KEY[f"package.{name}"].default
            for name in PackageLimits.__dataclass_fields__
        }
    )


def _archive(path: str) -> IO[bytes]:
    from miniport.releases.packages import zip_folder

    if os.path.isdir(path):
        return zip_folder(path, _client_limits())
    return open(path, "rb")  # noqa: SIM115 - closed by the caller


def _digest(archive: IO[bytes]) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    archive.seek(0)
    while chunk := archive.read(CHUNK_BYTES):
        digest.update(chunk)
        size += len(chunk)
    archive.seek(0)
    return digest.hexdigest(), size


class _Body:
    """The archive as an iterable of chunks of known length, advancing the progress bar."""

    def __init__(self, archive: IO[bytes], size: int, advance) -> None:
        self.archive, self.size, self.advance = archive, size, advance

    def __len__(self) -> int:
        return self.size

    def __iter__(self) -> Iterator[bytes]:
        self.archive.seek(0)
        while chunk := self.archive.read(CHUNK_BYTES):
            self.advance(len(chunk))
            yield chunk


def _server(args: argparse.Namespace) -> str:
    if args.server:
        return args.server.rstrip("/")
    from django.conf import settings

    return (os.environ.get("MINIPORT_SERVER") or settings.SITE_URL).rstrip("/")


def _send(url: str, headers: dict[str, str], body: _Body, timeout: float) -> dict[str, Any]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310
            raw = answer.read()
    except urllib.error.HTTPError as exc:
        fail(f"the server answered HTTP {exc.code} {exc.reason} ({url})", EXIT_REFUSED)
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        fail(f"cannot reach {url}: {reason}", EXIT_REFUSED)
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        fail(f"the server's answer is not JSON ({url})", EXIT_REFUSED)
    if not isinstance(data, dict):
        fail(f"the server's answer is not a JSON object ({url})", EXIT_REFUSED)
    return data


def cmd_upload(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TransferSpeedColumn

    from miniport.miniprograms.services.upload_keys import (
        private_key_fingerprint,
        sign_upload,
        upload_message,
    )

    try:
        fingerprint = private_key_fingerprint(args.key_pem)
    except (ValueError, TypeError):
        fail(f"--key {args.key}: not an Ed25519 private key in PEM", EXIT_USAGE)
    appid = args.appid.strip()
    archive = _archive(args.path)
    try:
        sha256, size = _digest(archive)
        timestamp = int(time.time())
        message = upload_message(
            appid=appid,
            version=args.user_version,
            timestamp=timestamp,
            package_sha256=sha256,
            desc=args.desc,
        )
        headers = {
            "Content-Type": "application/zip",
            "Content-Length": str(size),
            "X-Miniport-Appid": appid,
            "X-Miniport-Version": quote(args.user_version, safe=""),
            "X-Miniport-Desc": quote(args.desc, safe=""),
            "X-Miniport-Key": fingerprint,
            "X-Miniport-Timestamp": str(timestamp),
            "X-Miniport-Signature": sign_upload(args.key_pem, message),
        }
        url = _server(args) + ENDPOINT
        console = Console(stderr=True)
        with Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            console=console,
            transient=True,
            disable=not console.is_terminal,
        ) as progress:
            task = progress.add_task(f"uploading {args.user_version}", total=size)
            body = _Body(archive, size, lambda n: progress.advance(task, n))
            data = _send(url, headers, body, args.timeout)
    finally:
        archive.close()
    if data.get("errcode", 0) != 0:
        fail(f"the server refused the upload: {data.get('errmsg', '')}", EXIT_REFUSED)
    result = {
        key: data.get(key) for key in ("appid", "version", "desc", "sha256", "size", "uploaded_at")
    }
    if args.json:
        print_json(result)
    else:
        sys.stdout.write(
            f"Uploaded version {result['version']} of {result['appid']} "
            f"({result['size']} bytes, sha256 {result['sha256']}).\n"
        )
    return 0
