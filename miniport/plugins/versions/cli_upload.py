"""`miniport upload --appid PLUGIN_APPID ...` on the server (PLG-7): the command line's
signed upload (`POST /cgi-bin/miniport/upload`, `openapi/upload_api.py`) naming a
plugin's AppID uploads a plugin version. The request is signed with an upload key of the
plugin's owner mini program over the same message (the plugin's AppID in it); the same
rules hold: the timestamp window, the key known and not revoked, the owner's IP
whitelist, no replay, the owner's registration active."""

from __future__ import annotations

from typing import IO

from miniport.core import clock, policy
from miniport.core.actors import Actor
from miniport.core.errors import CoreError, PlatformError
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.services import upload_keys
from miniport.plugins.development.selectors import plugin_by_appid
from miniport.releases.models import VersionSource

from . import services


def is_plugin_appid(appid: str) -> bool:
    return plugin_by_appid(appid) is not None


def upload_signed(
    *, values: dict[str, str], archive: IO[bytes], sha256: str, client_ip: str
) -> dict:
    """Verify the signed request with the owner's upload key and upload the version;
    answers what the mini program upload answers."""
    plugin = plugin_by_appid(values["appid"])
    if plugin is None:
        raise PlatformError(MiniProgramError.INVALID_APPID, field="appid")
    window = policy.value("dev.upload_signature_window_seconds")
    try:
        sent_at = int((values.get("timestamp") or "").strip())
    except ValueError:
        sent_at = None
    if sent_at is None or abs(clock.now().timestamp() - sent_at) > window:
        raise PlatformError(
            MiniProgramError.UPLOAD_TIMESTAMP_STALE, field="timestamp", window=window
        )
    message = upload_keys.upload_message(
        appid=plugin.appid,
        version=values.get("version", ""),
        timestamp=sent_at,
        package_sha256=sha256,
        desc=values.get("desc", ""),
    )
    key = upload_keys.upload_key_verify(
        appid=plugin.owner.appid,
        key_fingerprint=values.get("key", ""),
        signature=values.get("signature", ""),
        signed_bytes=message,
        client_ip=client_ip,
    )
    upload_keys.refuse_replayed_upload(values.get("signature", ""), window)
    if not plugin.owner.is_active:
        raise PlatformError(CoreError.API_UNAUTHORIZED)
    actor = Actor("app", plugin.owner.appid, f"upload key {key.name}")
    version = services.plugin_version_upload(
        actor=actor,
        plugin=plugin,
        archive=archive,
        user_version=values.get("version", ""),
        user_desc=values.get("desc", ""),
        source=VersionSource.CLI,
    )
    return {
        "appid": plugin.appid,
        "version": version.user_version,
        "desc": version.user_desc,
        "sha256": version.package.sha256,
        "size": version.package.size,
        "uploaded_at": int(version.uploaded_at.timestamp()),
    }
