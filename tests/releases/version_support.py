"""A mini program with its administrator, a developer, an experience member and an
outsider, an approved category and a reviewer, and helpers to upload, submit, decide and
release the way the surfaces do (VER-1..VER-7)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import pytest

from miniport.core.actors import Actor
from miniport.core.errors import PlatformError
from miniport.core.models import AuditEntry, OutboxEvent, QuotaCounter
from miniport.identities import services as identity_services
from miniport.miniprograms.services import categories
from miniport.miniprograms.services import members as member_services
from miniport.releases import services
from miniport.releases.models import (
    CodePackage,
    DevVersion,
    Experience,
    Release,
    Submission,
    VisitStatus,
)
from miniport.releases.packages import storage
from miniport.review import services as review_services
from miniport.review.models import Review, ReviewHistory
from tests.releases.zips import app_files, make_zip

SESSION = "releases-test-browser-session"
TOOLS = (1, 101)  # a category approved at once (no qualification needed)
REVIEWER = Actor("staff", "9001", "reviewer@miniport.example")


@dataclass
class App:
    miniprogram: Any
    admin: Any
    developer: Any
    tester: Any  # an experience member
    outsider: Any

    @property
    def admin_actor(self) -> Actor:
        return Actor.for_identity(self.admin)

    @property
    def developer_actor(self) -> Actor:
        return Actor.for_identity(self.developer)

    @property
    def appid(self) -> str:
        return self.miniprogram.appid

    def fresh(self):
        return type(self.miniprogram).objects.get(pk=self.miniprogram.pk)


def add_member(mp, identity, *, kind: str, roles=("developer",)) -> None:
    admin_actor = Actor.for_identity(mp.admin_identity)
    _member, ticket = member_services.member_request_add(
        actor=admin_actor,
        miniprogram=mp,
        wechat_id=identity.wechat_id,
        kind=kind,
        roles=roles if kind == "project" else (),
        session_key=SESSION,
    )
    identity_services.ticket_confirm(identity=mp.admin_identity, token=ticket.token)
    member_services.member_confirm(
        actor=admin_actor, miniprogram=mp, token=ticket.token, session_key=SESSION
    )


def make_app(provision, make_identity) -> App:
    mp = provision("personal").miniprogram
    developer, tester, outsider = make_identity(), make_identity(), make_identity()
    add_member(mp, developer, kind="project", roles=("developer",))
    add_member(mp, tester, kind="experience")
    categories.category_add(
        actor=Actor.for_identity(mp.admin_identity),
        miniprogram=mp,
        first=TOOLS[0],
        second=TOOLS[1],
    )
    return App(mp, mp.admin_identity, developer, tester, outsider)


@pytest.fixture(name="app")
def app_fixture(provision, make_identity) -> App:
    return make_app(provision, make_identity)


def package_bytes(marker: str = "", pages=("pages/index/index", "pages/logs/logs")) -> bytes:
    """A valid package; a different marker gives different bytes (a different sha256)."""
    files = app_files(pages)
    files["app.js"] = f"App({{}}) // {marker}\n".encode()
    return make_zip(files)


def upload(app: App, version: str = "1.0.0", *, data: bytes | None = None, actor=None, **kw):
    import io

    return services.version_upload(
        actor=actor or app.developer_actor,
        miniprogram=app.miniprogram,
        archive=io.BytesIO(data if data is not None else package_bytes(version)),
        user_version=version,
        user_desc=kw.pop("user_desc", f"note of {version}"),
        **kw,
    )


def item(**changes) -> dict:
    group = {
        "address": "pages/index/index",
        "tag": "工具 效率",
        "first_class": "工具",
        "second_class": "信息查询",
        "first_id": TOOLS[0],
        "second_id": TOOLS[1],
        "title": "首页",
    }
    group.update(changes)
    return group


_DEFAULT: Any = object()


def submit(app: App, version=_DEFAULT, *, items=_DEFAULT, actor=None, **kw) -> Submission:
    """Submit `version` (a fresh upload by default) with one item group by default."""
    version = upload(app) if version is _DEFAULT else version
    return services.version_submit_for_review(
        actor=actor or app.developer_actor,
        miniprogram=app.miniprogram,
        dev_version=version,
        items=[item()] if items is _DEFAULT else items,
        **kw,
    )


def review_of(submission: Submission) -> Review:
    return Review.objects.get(pk=submission.review_id)


def approve(submission: Submission, actor: Actor = REVIEWER) -> Submission:
    review_services.review_approve(actor=actor, review=review_of(submission))
    return Submission.objects.get(pk=submission.pk)


def reject(submission: Submission, reasons, actor: Actor = REVIEWER) -> Submission:
    review_services.review_reject(actor=actor, review=review_of(submission), reasons=reasons)
    return Submission.objects.get(pk=submission.pk)


def delay(submission: Submission, reasons, actor: Actor = REVIEWER) -> Submission:
    review_services.review_delay(actor=actor, review=review_of(submission), reasons=reasons)
    return Submission.objects.get(pk=submission.pk)


def approved_version(app: App, version: str = "1.0.0") -> Submission:
    return approve(submit(app, upload(app, version)))


def released(app: App, version: str = "1.0.0") -> Release:
    approved_version(app, version)
    return services.release_publish(actor=app.admin_actor, miniprogram=app.miniprogram)


def stored_files() -> list[str]:
    """Every file the package storage holds, by name."""
    store = storage.package_storage()
    root = getattr(store, "location", None)
    if root is None or not os.path.isdir(root):
        return []
    return sorted(
        os.path.relpath(os.path.join(folder, name), root)
        for folder, _dirs, names in os.walk(root)
        for name in names
    )


def snapshot() -> dict:
    """What a refused action must leave as it was."""
    return {
        "packages": sorted(CodePackage.objects.values_list("sha256", "storage_name")),
        "versions": sorted(DevVersion.objects.values_list("id", "user_version")),
        "experience": sorted(Experience.objects.values_list("miniprogram_id", "dev_version_id")),
        "submissions": sorted(Submission.objects.values_list("id", "state", "auditid")),
        "releases": sorted(
            Release.objects.values_list("id", "state", "gray_percentage", "members_first")
        ),
        "visit": sorted(VisitStatus.objects.values_list("miniprogram_id", "is_open")),
        "reviews": sorted(Review.objects.values_list("id", "state")),
        "review_history": ReviewHistory.objects.count(),
        "quotas": sorted(QuotaCounter.objects.values_list("scope", "rule", "window", "used")),
        "audit": AuditEntry.objects.count(),
        "events": OutboxEvent.objects.count(),
        "files": stored_files(),
    }


def refused(call, code, **params) -> PlatformError:
    """Run `call`, expect the coded refusal and nothing changed."""
    before = snapshot()
    with pytest.raises(PlatformError) as caught:
        call()
    assert caught.value.code == code, caught.value
    for key, value in params.items():
        assert caught.value.params.get(key) == value, caught.value.params
    assert snapshot() == before
    return caught.value


def events_of(kind: str) -> list[dict]:
    return [e.payload for e in OutboxEvent.objects.filter(kind=kind).order_by("id")]
