"""Launch resolution and the package download of the host app (B-3; issue 8 section 6).

`GET /runtime/v1/launch?appid=...&env=release|trial|develop` answers which package the
signed-in identity may run (`releases.selectors.launch_manifest`): the online version,
or the gray release when the identity falls in its percentage (deterministic per
identity and mini program: the same identity always gets the same answer) or, with
"members first", belongs to the mini program; the experience version (trial) and the
latest upload (develop) only for project and experience members. The answer names the
version, its sha256 and size and a download URL signed for
`settings.PACKAGE_URL_EXPIRE_SECONDS`, which needs no headers.

`GET /runtime/v1/package?token=...` serves the bytes of that URL (`HEAD` their headers
only) with their hash and range requests (`web.downloads`), or redirects to the store's
own signed URL when the storage signs URLs (S3) and `settings.PACKAGE_DOWNLOAD_REDIRECT`
is on.

Refusals (HTTP 200, `errcode` and the code's name in `error`):
- no or bad host credential, no or bad identity session: 40097 `host_app_invalid`,
  `runtime_session_missing`, `runtime_session_invalid`;
- an AppID that names no mini program: 40013 `invalid_appid`;
- an env other than release, trial, develop: 40097 `field_invalid`;
- release while the visit status is closed: 40097 `visit_closed`;
- nothing to open (no release, no experience version, no upload): 40097
  `launch_no_version`;
- trial or develop by someone who is neither a project nor an experience member: 40097
  `launch_not_member`;
- a download token that does not verify, has expired or names no stored package: 40097
  `package_link_invalid`.

`plugins` (PLG-11): for each plugin the launched version's app.json declares (its
`plugins`, subpackages' included), the plugin's released version with the declared
number, with alias name, provider, version, sha256, size and a signed download URL of
its package; only when the mini program's application is approved and that version is
released. A declared plugin that fails either is left out (the submission guard refuses
such versions at review; an unbinding later leaves the plugin out of the launch). They
are read in `_read`, so the remembered answer holds them.

`via` and `via_id` (optional): the context the mini program is opened from, decided by
the part of `miniport.links` that registered it (`miniport.links.launch`), before
anything else; an unknown `via`, or an env other than release with a `via`, is 40097
`field_invalid`.
"""

from __future__ import annotations

import time
from functools import cache
from typing import Any

from django.conf import settings
from django.core import signing
from django.http import HttpResponseRedirect
from django.urls import reverse
from pydantic import BaseModel

from miniport.core import hotpath
from miniport.core.errors import CoreError, PlatformError
from miniport.links import launch as launch_contexts
from miniport.miniprograms import selectors as mp_selectors
from miniport.miniprograms.errors import MiniProgramError
from miniport.plugins.usage import selectors as plugin_selectors
from miniport.releases import selectors
from miniport.releases.errors import ReleaseError
from miniport.releases.models import CodePackage
from miniport.releases.packages import storage
from miniport.releases.packages.manifest import PluginDeclaration
from miniport.web import downloads
from miniport.web.api import Call, WireModel, get, route

_SALT = "miniport.runtime.package"


class LaunchQuery(WireModel):
    appid: str = ""
    env: str = "release"
    # Opened from a context with its own rules (`miniport.links.launch`): an official
    # account's menu, an enterprise's workbench. Empty: an ordinary entry point.
    via: str = ""
    via_id: str = ""


class LaunchPlugin(BaseModel):
    name: str
    provider: str
    version: str
    sha256: str
    size: int
    download_url: str


class LaunchResponse(BaseModel):
    errcode: int
    errmsg: str
    appid: str
    env: str
    version: str
    sha256: str
    size: int
    gray: bool
    download_url: str
    expires_in: int
    plugins: list[LaunchPlugin]


class PackageQuery(WireModel):
    token: str = ""


# What the launch reads, kept while an SQLite database is unchanged (a release, a gray
# step, a member or the visit status all write): the launch is on every user's path.
# For the release env one plan per mini program (`releases.selectors.release_plan`),
# decided per identity in memory; for trial and develop the answer per identity.
# Refusals are remembered as well. PostgreSQL reads every time.
_remembered: hotpath.Remembered[Any] = hotpath.Remembered(size=4096)


def forget_remembered() -> None:
    _remembered.clear()


def _refusal(error: PlatformError) -> PlatformError:
    # A fresh exception each time: a remembered one would collect every traceback.
    return PlatformError(error.code, field=error.field, **error.params)


def _plugins_of(miniprogram, dev_version) -> list[plugin_selectors.LoadablePlugin]:
    """PLG-11: the declared plugins this version may load (see the module's note)."""
    # Only the manifest's `plugins` are read: coercing the whole manifest (every file)
    # would cost the launch for nothing.
    raw = dev_version.package.manifest or {}
    try:
        declared = [
            PluginDeclaration(
                name=str(p["name"]),
                version=str(p["version"]),
                provider=str(p["provider"]),
                subpackage=p.get("subpackage"),
            )
            for p in raw.get("plugins", ())
        ]
    except (AttributeError, KeyError, TypeError):  # a manifest of another shape
        return []
    return plugin_selectors.loadable_plugins(miniprogram, declared)


def _read(appid: str, identity, env: str) -> Any:
    """The release plan (env release) or the manifest, or the refusal, from the database,
    with the plugins of each version it may answer (by development version)."""
    try:
        miniprogram = mp_selectors.by_appid(appid)
        if miniprogram is None:
            raise PlatformError(MiniProgramError.INVALID_APPID, field="appid")
        answer: selectors.ReleasePlan | selectors.LaunchManifest
        if env == selectors.ENV_RELEASE:
            plan = selectors.release_plan(miniprogram)
            versions = [r.dev_version for r in (plan.current, plan.gray) if r is not None]
            answer = plan
        else:
            manifest = selectors.launch_manifest(
                miniprogram=miniprogram, identity=identity, env=env
            )
            versions = [manifest.dev_version]
            answer = manifest
        plugins = {v.pk: _plugins_of(miniprogram, v) for v in versions}
        return answer, plugins
    except PlatformError as refusal:
        return refusal


def _resolve(
    appid: str, identity, env: str
) -> tuple[selectors.LaunchManifest, list[plugin_selectors.LoadablePlugin]]:
    stamp = hotpath.change_stamp()
    key = (appid, env) if env == selectors.ENV_RELEASE else (appid, identity.pk, env)
    answer = _remembered.get(key, stamp)
    if answer is None:
        answer = _read(appid, identity, env)
        _remembered.put(key, stamp, answer)
    if isinstance(answer, PlatformError):
        raise _refusal(answer)
    plan, plugins = answer
    manifest = plan.manifest_for(identity) if isinstance(plan, selectors.ReleasePlan) else plan
    return manifest, plugins.get(manifest.dev_version.pk, [])


# The token of a package made this second: signed tokens carry their time in whole
# seconds, so one made again within the same second is the same token.
_tokens: dict[str, tuple[int, str]] = {}


def package_token(sha256: str) -> str:
    """A token that lets anyone holding it download this package, for
    `settings.PACKAGE_URL_EXPIRE_SECONDS`."""
    second = int(time.time())
    made = _tokens.get(sha256)
    if made is not None and made[0] == second:
        return made[1]
    if len(_tokens) > 1024:
        _tokens.clear()
    token = signing.dumps({"s": sha256}, salt=_SALT)
    _tokens[sha256] = (second, token)
    return token


@cache
def _package_path() -> str:
    return reverse("runtime:package")


# The absolute address of the package route per way the host was named: building it
# validates the Host header against ALLOWED_HOSTS, which cost half of a launch's time.
# A host that fails validation raises before anything is kept.
_package_bases: dict[tuple[bool, str, str, str, str], str] = {}


def package_url(request, sha256: str) -> str:
    meta = request.META
    key = (
        request.is_secure(),
        meta.get("HTTP_HOST", ""),
        meta.get("HTTP_X_FORWARDED_HOST", ""),
        meta.get("SERVER_NAME", ""),
        str(meta.get("SERVER_PORT", "")),
    )
    base = _package_bases.get(key)
    if base is None:
        base = request.build_absolute_uri(_package_path())
        if len(_package_bases) > 64:
            _package_bases.clear()
        _package_bases[key] = base
    return base + "?token=" + package_token(sha256)


def _package_of_token(token: str) -> CodePackage:
    try:
        data = signing.loads(token, salt=_SALT, max_age=settings.PACKAGE_URL_EXPIRE_SECONDS)
    except signing.BadSignature:  # expired ones included
        raise PlatformError(ReleaseError.PACKAGE_LINK_INVALID, field="token") from None
    sha = data.get("s") if isinstance(data, dict) else None
    package = CodePackage.objects.filter(sha256=sha).first() if isinstance(sha, str) else None
    if package is None or not storage.exists(package.storage_name):
        raise PlatformError(ReleaseError.PACKAGE_LINK_INVALID, field="token")
    return package


def _check_context(appid: str, identity, via: str, via_id: str, env: str) -> None:
    """A launch from a context (`via`): the context's owner decides first, read each time
    (who is in an enterprise's range changes without a release). Contexts open the
    released mini program only (WW-1; an official account's menu likewise): the
    experience and development versions stay with the members' own entry points."""
    if env != selectors.ENV_RELEASE:
        raise PlatformError(CoreError.FIELD_INVALID, field="env", reason="env")
    miniprogram = mp_selectors.by_appid(appid)
    if miniprogram is None:
        raise PlatformError(MiniProgramError.INVALID_APPID, field="appid")
    launch_contexts.launch_check(via=via, via_id=via_id, identity=identity, miniprogram=miniprogram)


@get(
    "/runtime/v1/launch",
    auth="host_session",
    query=LaunchQuery,
    response=LaunchResponse,
    tags=("runtime",),
    hot=True,  # asked on every mini program start
)
def launch(call: Call) -> dict:
    """Which package the signed-in identity may run: version, sha256, size and a signed
    download URL (refusals listed in miniport/runtime/launch_api.py)."""
    query: LaunchQuery = call.query
    appid = query.appid.strip()
    if query.via:
        _check_context(
            appid, call.identity, query.via.strip(), query.via_id.strip(), query.env.strip()
        )
    manifest, plugins = _resolve(appid, call.identity, query.env.strip())
    return {
        "appid": manifest.appid,
        "env": manifest.env,
        "version": manifest.user_version,
        "sha256": manifest.sha256,
        "size": manifest.size,
        "gray": manifest.gray,
        "download_url": package_url(call.request, manifest.sha256),
        "expires_in": settings.PACKAGE_URL_EXPIRE_SECONDS,
        "plugins": [
            {
                "name": p.name,
                "provider": p.provider,
                "version": p.version,
                "sha256": p.sha256,
                "size": p.size,
                "download_url": package_url(call.request, p.sha256),
            }
            for p in plugins
        ],
    }


# HEAD answers the download's own headers (type, length, ETag, ranges) without the bytes,
# as `downloads.ranged_response` does for it: probes and resuming clients ask it first.
@route(
    "/runtime/v1/package",
    methods=("GET", "HEAD"),
    auth="none",
    query=PackageQuery,
    envelope=False,
    tags=("runtime",),
)
def package(call: Call):
    """The bytes of a code package named by a signed download token, with their sha256
    (ETag, Repr-Digest, X-Content-SHA256) and range requests (206, 416)."""
    query: PackageQuery = call.query
    found = _package_of_token(query.token.strip())
    if settings.PACKAGE_DOWNLOAD_REDIRECT:
        url = storage.signed_url(found.storage_name, expires=settings.PACKAGE_URL_EXPIRE_SECONDS)
        if url:
            return HttpResponseRedirect(url)
    name = found.storage_name
    return downloads.ranged_response(
        call.request,
        opener=lambda: storage.open_package(name),
        size=found.size,
        sha256_hex=found.sha256,
        content_type="application/zip",
        filename=f"{found.sha256}.zip",
        last_modified=found.created_at,
    )
