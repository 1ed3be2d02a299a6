"""VER-1, B-10: the S3-compatible path, proven against a real S3 server started here
(moto's server mode on a loopback port), reached by boto3 through django-storages'
S3Storage over HTTP: no client is mocked."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import socket
import subprocess
import sys

import boto3
import pytest
import requests
from django.core.files.storage import storages
from moto.server import ThreadedMotoServer

from miniport.releases.packages import storage

BUCKET = "miniport-packages"
CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "miniport-test-key",
    "AWS_SECRET_ACCESS_KEY": "miniport-test-secret",
    "AWS_DEFAULT_REGION": "us-east-1",
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3(s3_endpoint, settings, monkeypatch):
    """STORAGES["default"] as settings.py makes it when MINIPORT_S3_BUCKET is set."""
    for key, value in CREDENTIALS.items():
        monkeypatch.setenv(key, value)
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    with contextlib.suppress(client.exceptions.BucketAlreadyOwnedByYou):
        client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "region_name": "us-east-1",
                "default_acl": None,
                "querystring_auth": True,
                "querystring_expire": 300,
                "file_overwrite": True,
            },
        },
    }
    yield client
    listed = client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    for item in listed:
        client.delete_object(Bucket=BUCKET, Key=item["Key"])


def _bytes(seed: bytes, n: int = 6_000_000) -> bytes:
    block = hashlib.sha256(seed).digest()
    return (block * (n // len(block) + 1))[:n]


def test_the_default_storage_is_django_storages_s3_when_configured(s3):
    """VER-1: the S3 path goes through django-storages' S3Storage."""
    from storages.backends.s3 import S3Storage

    assert isinstance(storages["default"], S3Storage)
    assert isinstance(storage.package_storage(), S3Storage)


def test_a_package_is_stored_once_in_the_bucket_under_its_sha256(s3):
    """VER-1: content-addressed, stored once; the second store does not rewrite it."""
    data = _bytes(b"s3-once")
    sha = hashlib.sha256(data).hexdigest()
    name = storage.store(sha, io.BytesIO(data))
    assert name == f"packages/{sha[:2]}/{sha}.zip"
    head = s3.head_object(Bucket=BUCKET, Key=name)
    assert head["ContentLength"] == len(data)
    first_etag = head["ETag"]

    puts: list[str] = []
    original = storages["default"]._save
    storages["default"]._save = lambda n, c: puts.append(n) or original(n, c)
    assert storage.store(sha, io.BytesIO(data)) == name
    assert puts == []  # nothing was written the second time
    assert s3.head_object(Bucket=BUCKET, Key=name)["ETag"] == first_etag
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert keys == [name]


def test_a_stored_package_reads_back_through_the_storage(s3):
    """VER-1: open_package answers the stored bytes."""
    data = _bytes(b"s3-read", 200_000)
    name = storage.store(hashlib.sha256(data).hexdigest(), io.BytesIO(data))
    with storage.open_package(name) as stored:
        assert stored.read() == data
    assert storage.size(name) == len(data)


def test_the_signed_url_reads_the_package_from_the_store_and_is_signed(s3):
    """Issue 8 section 6: the download can go straight to the store with a presigned URL."""
    data = _bytes(b"s3-signed", 100_000)
    name = storage.store(hashlib.sha256(data).hexdigest(), io.BytesIO(data))
    url = storage.signed_url(name, expires=120)
    assert url is not None and ("X-Amz-Signature=" in url or "Signature=" in url)
    fetched = requests.get(url, timeout=10)
    assert fetched.status_code == 200 and fetched.content == data
    unsigned = url.split("?", 1)[0]
    assert requests.get(unsigned, timeout=10).content != data


def test_settings_build_the_s3_storage_from_the_environment(tmp_path):
    """B-10: MINIPORT_S3_BUCKET and friends configure STORAGES["default"]."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MINIPORT_S3", "AWS_"))} | {
        "MINIPORT_VAR_DIR": str(tmp_path),
        "MINIPORT_S3_BUCKET": "pkgs",
        "MINIPORT_S3_ENDPOINT_URL": "http://127.0.0.1:9000",
        "MINIPORT_S3_REGION": "cn-north-1",
        "MINIPORT_S3_PREFIX": "miniport",
        "MINIPORT_S3_URL_EXPIRE": "90",
    }
    code = (
        "import json; from miniport import settings as s; "
        "print(json.dumps([s.STORAGES['default'], s.PACKAGE_URL_EXPIRE_SECONDS]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    default, expire = json.loads(done.stdout)
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    options = default["OPTIONS"]
    assert (options["bucket_name"], options["endpoint_url"], options["region_name"]) == (
        "pkgs",
        "http://127.0.0.1:9000",
        "cn-north-1",
    )
    assert options["location"] == "miniport" and options["querystring_expire"] == 90
    assert options["querystring_auth"] is True and expire == 90
