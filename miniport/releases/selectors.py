"""Reads of the releases domain used by several surfaces (console, ops desk, openapi,
runtime, mobile).

- `dev_versions(miniprogram)` every upload, newest first (VER-1: the history is kept);
  `latest_per_developer(miniprogram)` each developer's latest upload.
- `file_tree(dev_version)` the package's files as a tree; `read_package_file` one file's
  bytes for the desk's viewer.
- `experience_of(miniprogram)`; `latest_audit_status(miniprogram)` the latest submission
  (get_latest_auditstatus), `submission_by_auditid`; `open_submission`.
- `online_version(miniprogram)` the online version card (VER-7) with the running gray
  release; `gray_plan`; `visit_open`; `rollback_history`.
- `launch_manifest(miniprogram=, identity=, env=)` which package an identity may run.
"""

from __future__ import annotations

import hashlib
import hmac
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from miniport.core import hotpath
from miniport.core.errors import CoreError, PlatformError
from miniport.identities.selectors import openid_for_identity_pk
from miniport.miniprograms import permissions
from miniport.miniprograms import selectors as mp_selectors
from miniport.miniprograms.models import MiniProgram
from miniport.releases.errors import ReleaseError
from miniport.releases.models import (
    OPEN_SUBMISSION_STATES,
    DevVersion,
    Experience,
    Release,
    ReleaseState,
    Submission,
    VisitStatus,
)
from miniport.releases.packages import storage
from miniport.releases.services.release import releasable, rollback_targets
from miniport.releases.services.submission import needs_test_account

ENV_RELEASE, ENV_TRIAL, ENV_DEVELOP = "release", "trial", "develop"
ENVS = (ENV_RELEASE, ENV_TRIAL, ENV_DEVELOP)

__all__ = [
    "ENVS",
    "FileNode",
    "LaunchManifest",
    "OnlineVersion",
    "dev_versions",
    "experience_of",
    "file_tree",
    "gray_bucket",
    "gray_plan",
    "latest_audit_status",
    "latest_per_developer",
    "launch_manifest",
    "needs_test_account",
    "online_version",
    "open_submission",
    "read_package_file",
    "releasable",
    "release_plan",
    "rollback_history",
    "submission_by_auditid",
    "visit_open",
]


# --- development versions (VER-1) ------------------------------------------------------


def dev_versions(miniprogram: MiniProgram) -> QuerySet[DevVersion]:
    """Every upload of the mini program, newest first."""
    return (
        DevVersion.objects.filter(miniprogram=miniprogram)
        .select_related("package", "developer_identity")
        .order_by("-uploaded_at", "-id")
    )


def latest_per_developer(miniprogram: MiniProgram) -> list[DevVersion]:
    """Each developer's latest upload, newest first (the console's development versions);
    uploads without an identity (CI keys, the server API) are one developer per label."""
    seen: set[tuple[Any, str]] = set()
    latest = []
    for version in dev_versions(miniprogram).iterator(chunk_size=200):
        key = (
            (version.developer_identity_id, "")
            if version.developer_identity_id
            else (None, version.developer_label)
        )
        if key in seen:
            continue
        seen.add(key)
        latest.append(version)
    return latest


def dev_version_of(miniprogram: MiniProgram, pk: Any) -> DevVersion | None:
    """One development version of this mini program by its number, or None."""
    try:
        number = int(pk)
    except (TypeError, ValueError):
        return None
    return dev_versions(miniprogram).filter(pk=number).first()


@dataclass
class FileNode:
    name: str
    path: str
    size: int = 0
    is_dir: bool = False
    children: list[FileNode] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name, "path": self.path, "size": self.size}
        if self.is_dir:
            data["children"] = [child.as_json() for child in self.children]
        return data


def file_tree(dev_version: DevVersion) -> FileNode:
    """The package's files as a tree (folders first, then files, each by name); a
    folder's size is the sum of its files."""
    root = FileNode(name="", path="", is_dir=True)
    folders: dict[str, FileNode] = {"": root}
    for item in (dev_version.package.manifest or {}).get("files") or []:
        path, size = str(item["path"]), int(item["size"])
        parts = path.split("/")
        parent = root
        for depth in range(1, len(parts)):
            folder_path = "/".join(parts[:depth])
            folder = folders.get(folder_path)
            if folder is None:
                folder = FileNode(name=parts[depth - 1], path=folder_path, is_dir=True)
                folders[folder_path] = folder
                parent.children.append(folder)
            folder.size += size
            parent = folder
        parent.children.append(FileNode(name=parts[-1], path=path, size=size))
        root.size += size
    for folder in folders.values():
        folder.children.sort(key=lambda node: (not node.is_dir, node.name))
    return root


def read_package_file(dev_version: DevVersion, path: str, *, limit: int) -> bytes | None:
    """The first `limit` bytes of one file of the package, or None when the manifest
    lists no such file (the reviewer's file viewer; only listed names are opened)."""
    listed = {str(item["path"]) for item in (dev_version.package.manifest or {}).get("files") or []}
    if path not in listed:
        return None
    with (
        storage.open_package(dev_version.package.storage_name) as stored,
        zipfile.ZipFile(stored) as archive,
        archive.open(path) as member,
    ):
        return member.read(max(0, limit))


# --- experience and review (VER-2..VER-5) --------------------------------------------------


def experience_of(miniprogram: MiniProgram) -> Experience | None:
    return (
        Experience.objects.select_related("dev_version__package")
        .filter(miniprogram=miniprogram)
        .first()
    )


def submissions(miniprogram: MiniProgram) -> QuerySet[Submission]:
    return (
        Submission.objects.filter(miniprogram=miniprogram)
        .select_related("dev_version__package", "review")
        .order_by("-id")
    )


# `submissions(miniprogram).first()` as one driver statement: servers poll
# get_latest_auditstatus. Each process keeps the row per mini program while the SQLite
# database is unchanged (any submission, decision or upload writes); every call gets new
# instances. PostgreSQL reads every time.
_LATEST = hotpath.Joined(
    Submission, ("dev_version__package", "review"), by="miniprogram", order_by="-id"
)
_latest: hotpath.Remembered[tuple[hotpath.JoinedRow | None]] = hotpath.Remembered(size=1024)


def latest_audit_status(miniprogram: MiniProgram) -> Submission | None:
    """The latest submission, whatever its state (get_latest_auditstatus); its
    `audit_status` is WeChat's number (0 approved, 1 rejected, 2 in review, 3 withdrawn,
    4 delayed)."""
    stamp = hotpath.change_stamp()
    known = _latest.get(miniprogram.pk, stamp)
    if known is None:
        known = (_LATEST.first(miniprogram.pk),)
        _latest.put(miniprogram.pk, stamp, known)
    return None if known[0] is None else _LATEST.build(known[0])  # type: ignore[return-value]


def submission_by_auditid(miniprogram: MiniProgram, auditid: Any) -> Submission | None:
    """A submission of this mini program by WeChat's audit id, or None (85012)."""
    try:
        number = int(str(auditid).strip())
    except (TypeError, ValueError):
        return None
    return submissions(miniprogram).filter(auditid=number).first()


def open_submission(miniprogram: MiniProgram) -> Submission | None:
    return submissions(miniprogram).filter(state__in=OPEN_SUBMISSION_STATES).first()


# --- online version, gray release, visit status (VER-6, VER-7, B-5) -------------------------


@dataclass(frozen=True)
class OnlineVersion:
    """The online version card (VER-7) and the gray release running beside it."""

    release: Release
    gray: Release | None

    @property
    def user_version(self) -> str:
        return self.release.dev_version.user_version

    @property
    def user_desc(self) -> str:
        return self.release.dev_version.user_desc

    @property
    def released_by(self) -> str:
        return self.release.released_by_label

    @property
    def released_at(self):
        return self.release.released_at

    @property
    def dev_version(self) -> DevVersion:
        return self.release.dev_version


def _releases(miniprogram: MiniProgram) -> QuerySet[Release]:
    return Release.objects.filter(miniprogram=miniprogram).select_related(
        "dev_version__package", "submission"
    )


def online_version(miniprogram: MiniProgram) -> OnlineVersion | None:
    """The version online for everyone, or None before the first release."""
    current = _releases(miniprogram).filter(state=ReleaseState.CURRENT).first()
    if current is None:
        return None
    gray = _releases(miniprogram).filter(state=ReleaseState.GRAY).first()
    return OnlineVersion(release=current, gray=gray)


def gray_plan(miniprogram: MiniProgram) -> Release | None:
    """The running gray release, or None."""
    return _releases(miniprogram).filter(state=ReleaseState.GRAY).first()


def latest_gray_plan(miniprogram: MiniProgram) -> Release | None:
    """The last release that began in gray, whatever became of it (getgrayreleaseplan:
    running, finished or deleted), or None when no gray release was ever made."""
    return _releases(miniprogram).filter(gray_started_at__isnull=False).first()


def rollback_history(miniprogram: MiniProgram) -> list[Release]:
    """revertcoderelease?action=get_history_version: what a rollback may restore."""
    return rollback_targets(miniprogram)


def visit_open(miniprogram: MiniProgram) -> bool:
    """Whether users may open the mini program (getvisitstatus: 1 open, 0 paused)."""
    row = VisitStatus.objects.filter(miniprogram=miniprogram).first()
    return row.is_open if row is not None else True


# --- launch (B-3, issue 8 section 6) ------------------------------------------------------


@dataclass(frozen=True)
class LaunchManifest:
    """The package an identity may run: what /runtime/v1/launch answers."""

    env: str
    appid: str
    dev_version: DevVersion
    release: Release | None
    gray: bool

    @property
    def user_version(self) -> str:
        return self.dev_version.user_version

    @property
    def sha256(self) -> str:
        return self.dev_version.package.sha256

    @property
    def size(self) -> int:
        return self.dev_version.package.size

    @property
    def storage_name(self) -> str:
        return self.dev_version.package.storage_name


def gray_bucket(appid: str, openid: str) -> int:
    """The identity's place (0..99) in this mini program's gray releases: stable for the
    same identity and mini program, unrelated across mini programs."""
    mac = hmac.new(appid.encode(), openid.encode(), hashlib.sha256).digest()
    return int.from_bytes(mac[:8], "big") % 100


def _roles(miniprogram: MiniProgram, identity) -> set[str]:
    return mp_selectors.roles_of(identity, miniprogram) if identity is not None else set()


def launch_manifest(*, miniprogram: MiniProgram, identity, env: str) -> LaunchManifest:
    """Which package `identity` may run in `env`:
    - release: the online version, or the gray one when the identity falls in its
      percentage (`gray_bucket` < percentage) or, with members first, is a member;
      refused while the visit status is closed (VISIT_CLOSED) and before the first
      release (LAUNCH_NO_VERSION);
    - trial: the experience version, develop: the identity's own latest upload, else
      the mini program's latest; both only for project members and experience members
      (the permission table's `experience.use`, else LAUNCH_NOT_MEMBER).
    An unknown env: CoreError.FIELD_INVALID."""
    if env not in ENVS:
        raise PlatformError(CoreError.FIELD_INVALID, field="env", reason=", ".join(ENVS))
    if env == ENV_RELEASE:
        return release_plan(miniprogram).manifest_for(identity)
    if not permissions.allowed(_roles(miniprogram, identity), "experience.use"):
        raise PlatformError(ReleaseError.LAUNCH_NOT_MEMBER)
    if env == ENV_TRIAL:
        experience = experience_of(miniprogram)
        if experience is None:
            raise PlatformError(ReleaseError.LAUNCH_NO_VERSION)
        return LaunchManifest(env, miniprogram.appid, experience.dev_version, None, False)
    versions = dev_versions(miniprogram)
    version = versions.filter(developer_identity=identity).first() or versions.first()
    if version is None:
        raise PlatformError(ReleaseError.LAUNCH_NO_VERSION)
    return LaunchManifest(env, miniprogram.appid, version, None, False)


@dataclass(frozen=True)
class ReleasePlan:
    """What the release env of one mini program answers, read once (the visit status, the
    online release and the running gray release), and decided per identity without the
    database unless the gray release puts members first. The runtime keeps a plan while
    the database is unchanged: the launch is on every user's path."""

    miniprogram: MiniProgram
    visit_open: bool
    current: Release | None
    gray: Release | None

    def manifest_for(self, identity) -> LaunchManifest:
        if not self.visit_open:
            raise PlatformError(ReleaseError.VISIT_CLOSED)
        appid = self.miniprogram.appid
        gray = self.gray
        if gray is not None and _in_gray(self.miniprogram, identity, gray):
            return LaunchManifest(ENV_RELEASE, appid, gray.dev_version, gray, True)
        if self.current is None:
            raise PlatformError(ReleaseError.LAUNCH_NO_VERSION)
        return LaunchManifest(ENV_RELEASE, appid, self.current.dev_version, self.current, False)


def release_plan(miniprogram: MiniProgram) -> ReleasePlan:
    """The release env's plan of `miniprogram` (`launch_manifest` with env release)."""
    if not visit_open(miniprogram):
        return ReleasePlan(miniprogram, False, None, None)
    rows = {
        row.state: row
        for row in _releases(miniprogram).filter(
            state__in=(ReleaseState.CURRENT, ReleaseState.GRAY)
        )
    }
    return ReleasePlan(
        miniprogram, True, rows.get(ReleaseState.CURRENT), rows.get(ReleaseState.GRAY)
    )


def _in_gray(miniprogram: MiniProgram, identity, gray: Release) -> bool:
    if identity is None:
        return False
    if gray.members_first or gray.experiencers_first:
        roles = _roles(miniprogram, identity)
        if gray.members_first and roles - {permissions.EXPERIENCE}:
            return True
        if gray.experiencers_first and permissions.EXPERIENCE in roles:
            return True
    bucket = _identity_bucket(miniprogram.appid, identity.pk, settings.SECRET_KEY)
    return bucket < gray.gray_percentage


@lru_cache(maxsize=65536)
def _identity_bucket(appid: str, identity_pk: int, key: str) -> int:
    """`gray_bucket` of the identity's openid: pure (the openid is keyed by `key`, the
    secret key), so it is computed once per process and identity on the launch path."""
    return gray_bucket(appid, openid_for_identity_pk(identity_pk, appid))
