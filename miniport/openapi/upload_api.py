"""POST /cgi-bin/miniport/upload: code upload with an upload key (B-10, VER-1), what
`miniport upload` calls, like WeChat's CI upload (miniprogram-ci) with its code-upload key.

The request names the upload in headers (or, for a multipart body, in form fields of the
same names without the prefix: appid, version, desc, key, timestamp, signature):
- `X-Miniport-Appid`;
- `X-Miniport-Version` and `X-Miniport-Desc`: the version and its note, percent-encoded
  UTF-8 (headers are Latin-1); a value that does not decode (a raw non-ASCII character, a
  `%` without two hex digits, bytes that are not UTF-8) is refused naming the header
  (`releases.services.header_text`), never kept as sent;
- `X-Miniport-Key`: the upload key's fingerprint;
- `X-Miniport-Timestamp`: Unix seconds;
- `X-Miniport-Signature`: base64 Ed25519 signature of `upload_keys.upload_message(appid,
  version, timestamp, sha256 of the package's bytes, desc)`.
The body is the zip itself (any content type but multipart), or multipart/form-data
with the zip in the file field `package`.

The body is read in chunks into a spooled temporary file while it is hashed, and never
past `package.max_total_bytes` + `dev.upload_body_margin_bytes`: a declared or real body
over that bound is refused with 45002 (content size out of limit) before anything is
checked or stored. Django's DATA_UPLOAD_MAX_MEMORY_SIZE does not cover a raw body read
this way, hence the bound here.

Then, in this order: the signed request (`upload_keys.upload_request_verify`: timestamp
window, key, signature, revocation, the IP whitelist, replay), the mini program's
registration active (48001), and `releases.services.version_upload(source="cli")`, which
validates the package before storing anything. An AppID of a plugin uploads a plugin
version instead (PLG-7, `plugins.versions.cli_upload`: signed with an upload key of the
plugin's owner, the same rules). Every refusal is `{"errcode", "errmsg"}` with HTTP 200;
success answers the version, the package's sha256 and size.
"""

from __future__ import annotations

import hashlib
import tempfile
from typing import IO

from django.http.multipartparser import MultiPartParserError
from pydantic import BaseModel

from miniport.core import policy
from miniport.core.actors import Actor
from miniport.core.errors import CoreError, PlatformError
from miniport.miniprograms.services import upload_keys
from miniport.plugins.versions import cli_upload as plugin_upload
from miniport.releases import services as releases
from miniport.web.api import Call, post

CHUNK_BYTES = 64 * 1024
SPOOL_BYTES = 1024 * 1024
FIELDS = ("appid", "version", "desc", "key", "timestamp", "signature")


class UploadResponse(BaseModel):
    errcode: int
    errmsg: str
    appid: str
    version: str
    desc: str
    sha256: str
    size: int
    uploaded_at: int


def body_limit() -> int:
    return policy.value("package.max_total_bytes") + policy.value("dev.upload_body_margin_bytes")


def _declared_length(call: Call) -> int:
    try:
        return int(call.request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _read_raw(call: Call, limit: int) -> tuple[IO[bytes], str, int]:
    """The raw body, hashed as it is read, never more than `limit` bytes."""
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - closed by caller
    digest = hashlib.sha256()
    size = 0
    try:
        while chunk := call.request.read(CHUNK_BYTES):
            size += len(chunk)
            if size > limit:
                raise PlatformError(CoreError.CONTENT_TOO_LARGE)
            digest.update(chunk)
            spool.write(chunk)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return spool, digest.hexdigest(), size  # type: ignore[return-value]


def _read_multipart(call: Call) -> tuple[IO[bytes], str, int]:
    try:
        upload = call.request.FILES.get("package")
    except MultiPartParserError:
        raise PlatformError(CoreError.DATA_FORMAT_ERROR)
    if upload is None:
        raise PlatformError(CoreError.EMPTY_POST_DATA)
    digest = hashlib.sha256()
    for chunk in upload.chunks(CHUNK_BYTES):
        digest.update(chunk)
    upload.seek(0)
    return upload, digest.hexdigest(), upload.size or 0


def _fields(call: Call, multipart: bool) -> dict[str, str]:
    request = call.request
    values: dict[str, str] = {}
    for name in FIELDS:
        header = f"X-Miniport-{name.capitalize()}"
        value = request.headers.get(header)
        if value is not None and name in ("version", "desc"):
            values[name] = releases.header_text(header, value, field=name)
        elif value is not None:
            values[name] = value
        elif multipart:
            values[name] = request.POST.get(name, "")
        else:
            values[name] = ""
    if not values["appid"].strip():
        raise PlatformError(CoreError.FIELD_REQUIRED, field="appid")
    return values


@post(
    "/cgi-bin/miniport/upload",
    auth="none",
    response=UploadResponse,
    tags=("upload",),
    summary="Upload a code package with an upload key (B-10)",
)
def upload(call: Call) -> dict:
    """Upload a code package signed with an upload key: a new development version (VER-1).
    Headers and refusals are listed in miniport/openapi/upload_api.py."""
    limit = body_limit()
    if _declared_length(call) > limit:
        raise PlatformError(CoreError.CONTENT_TOO_LARGE)
    content_type = call.request.META.get("CONTENT_TYPE", "")
    multipart = content_type.lower().startswith("multipart/form-data")
    archive, sha256, size = _read_multipart(call) if multipart else _read_raw(call, limit)
    try:
        if size == 0:
            raise PlatformError(CoreError.EMPTY_POST_DATA)
        values = _fields(call, multipart)
        if plugin_upload.is_plugin_appid(values["appid"].strip()):
            # PLG-7: a plugin's AppID uploads a plugin version, signed by the owner's key.
            return plugin_upload.upload_signed(
                values=values, archive=archive, sha256=sha256, client_ip=call.client_ip
            )
        key = upload_keys.upload_request_verify(
            appid=values["appid"].strip(),
            key_fingerprint=values["key"],
            signature=values["signature"],
            version=values["version"],
            timestamp=values["timestamp"],
            package_sha256=sha256,
            desc=values["desc"],
            client_ip=call.client_ip,
        )
        miniprogram = key.miniprogram
        if not miniprogram.is_active:
            raise PlatformError(CoreError.API_UNAUTHORIZED)
        actor = Actor("app", miniprogram.appid, f"upload key {key.name}")
        version = releases.version_upload(
            actor=actor,
            miniprogram=miniprogram,
            archive=archive,
            user_version=values["version"],
            user_desc=values["desc"],
            developer=None,
            source="cli",
        )
    finally:
        archive.close()
    return {
        "appid": miniprogram.appid,
        "version": version.user_version,
        "desc": version.user_desc,
        "sha256": version.package.sha256,
        "size": version.package.size,
        "uploaded_at": int(version.uploaded_at.timestamp()),
    }
