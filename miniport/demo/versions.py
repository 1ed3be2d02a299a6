"""Demo code versions of the personal demo mini program: something in every card of the
console's version page and a code review waiting on the ops desk.

- 1.0.0: uploaded by the developer, submitted, approved by the desk (a system reviewer)
  and released: the online version;
- 1.1.0: uploaded and chosen as the experience version;
- 1.2.0: uploaded and submitted, its review left open in the ops desk's queue.

The package is built here in memory: app.json with three pages, each with its four files,
and a request to the configured server domain, so the pre-checks find nothing. Every step
goes through the domain services (audit rows, events) and is taken only when it was never
taken before, so a second run creates nothing and a version a person moved on since (the
open review decided on the desk, another experience version chosen) is left as it is.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from typing import Any

from miniport.core.actors import Actor

# A category approved at once (no qualification material): 工具 / 信息查询.
CATEGORY = (1, 101)
SERVER_DOMAIN = "https://api.miniport-demo.example"
ONLINE, EXPERIENCE, IN_REVIEW = "1.0.0", "1.1.0", "1.2.0"
VERSIONS = (
    (ONLINE, "首个正式版本：首页、服务列表与关于页"),
    (EXPERIENCE, "服务列表支持下拉刷新（体验版）"),
    (IN_REVIEW, "关于页新增联系方式（审核中）"),
)
PAGES = (
    ("pages/index/index", "首页"),
    ("pages/services/services", "服务"),
    ("pages/about/about", "关于"),
)


def package_bytes(user_version: str) -> bytes:
    """A small valid package; each version's bytes differ (its own sha256)."""
    files: dict[str, bytes] = {
        "app.json": json.dumps(
            {
                "pages": [page for page, _title in PAGES],
                "window": {"navigationBarTitleText": "迷你港演示"},
            },
            ensure_ascii=False,
            indent=2,
        ).encode(),
        "app.js": f"App({{ globalData: {{ version: '{user_version}' }} }})\n".encode(),
        "app.wxss": b"page { margin: 0; font-size: 16px; }\n",
    }
    for page, title in PAGES:
        name = page.rsplit("/", 1)[-1]
        if name == "index":
            script = (
                "Page({\n"
                "  data: { greeting: '' },\n"
                "  onLoad() {\n"
                "    wx.request({\n"
                f"      url: '{SERVER_DOMAIN}/hello',\n"
                "      success: (res) => this.setData({ greeting: res.data.text }),\n"
                "    })\n"
                "  },\n"
                "})\n"
            )
        else:
            script = f"Page({{ data: {{ title: '{title}' }} }})\n"
        files[f"{page}.js"] = script.encode()
        files[f"{page}.wxml"] = f'<view class="{name}">{title} {{{{greeting}}}}</view>\n'.encode()
        files[f"{page}.wxss"] = f".{name} {{ padding: 24rpx; }}\n".encode()
        files[f"{page}.json"] = json.dumps(
            {"navigationBarTitleText": title}, ensure_ascii=False
        ).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o100644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def versions_present(miniprogram: Any) -> bool:
    """Whether every demo version is there, with the steps taken on it."""
    from miniport.releases.models import DevVersion, Experience

    made = set(
        DevVersion.objects.filter(miniprogram=miniprogram, submissions__isnull=False)
        .values_list("user_version", flat=True)
        .distinct()
    )
    return (
        {ONLINE, IN_REVIEW} <= made
        and DevVersion.objects.filter(miniprogram=miniprogram, user_version=EXPERIENCE).exists()
        and Experience.objects.filter(miniprogram=miniprogram).exists()
    )


def summary(miniprogram: Any) -> str:
    """The mini program's code versions as they are now, in one line ("" when none)."""
    from miniport.releases.models import (
        OPEN_SUBMISSION_STATES,
        Experience,
        Release,
        ReleaseState,
        Submission,
    )

    parts = []
    online = (
        Release.objects.filter(miniprogram=miniprogram, state=ReleaseState.CURRENT)
        .select_related("dev_version")
        .first()
    )
    if online is not None:
        parts.append(f"{online.dev_version.user_version} online")
    experience = (
        Experience.objects.filter(miniprogram=miniprogram).select_related("dev_version").first()
    )
    if experience is not None:
        parts.append(f"{experience.dev_version.user_version} experience")
    parts += [
        f"{user_version} in review"
        for user_version in Submission.objects.filter(
            miniprogram=miniprogram, state__in=OPEN_SUBMISSION_STATES
        ).values_list("dev_version__user_version", flat=True)
    ]
    return f"code {', '.join(parts)}" if parts else ""


def ensure_versions(
    *, actor: Actor, miniprogram: Any, developer: Any, say: Callable[[str], None]
) -> bool:
    """Create whatever demo version step is missing; return whether anything was created.

    `actor` is the system actor of the demo data (it decides the review as the desk
    would); `developer` the identity who uploads and submits."""
    admin = Actor.for_identity(miniprogram.admin_identity)
    developer_actor = Actor.for_identity(developer)
    created = _ensure_category(admin, miniprogram, say)
    created |= _ensure_server_domain(admin, miniprogram, say)
    notes = dict(VERSIONS)

    online, made = _ensure_upload(developer_actor, miniprogram, ONLINE, notes[ONLINE], say)
    created |= made
    if not online.submissions.exists():
        submission = _submit(developer_actor, miniprogram, online, say)
        _approve(actor, submission, say)
        created = True
    created |= _ensure_released(admin, miniprogram, online, say)

    experience, made = _ensure_upload(
        developer_actor, miniprogram, EXPERIENCE, notes[EXPERIENCE], say
    )
    created |= made
    created |= _ensure_experience(developer_actor, miniprogram, experience, say)

    in_review, made = _ensure_upload(developer_actor, miniprogram, IN_REVIEW, notes[IN_REVIEW], say)
    created |= made
    if not in_review.submissions.exists():
        _submit(developer_actor, miniprogram, in_review, say)
        created = True
    return created


def _ensure_category(admin: Actor, miniprogram: Any, say: Callable[[str], None]) -> bool:
    from miniport.miniprograms.models import MiniProgramCategory
    from miniport.miniprograms.services import categories

    first, second = CATEGORY
    if MiniProgramCategory.objects.filter(
        miniprogram=miniprogram, first_id=first, second_id=second
    ).exists():
        return False
    row = categories.category_add(actor=admin, miniprogram=miniprogram, first=first, second=second)
    say(f"category {row.first_name} / {row.second_name}: {row.status}")
    return True


def _ensure_server_domain(admin: Actor, miniprogram: Any, say: Callable[[str], None]) -> bool:
    from miniport.miniprograms.services import devsettings
    from miniport.miniprograms.services.changes import settings_for

    configured = devsettings.current_domains(settings_for(miniprogram))
    if SERVER_DOMAIN in configured["requestdomain"]:
        return False
    devsettings.domains_modify(
        actor=admin,
        miniprogram=miniprogram,
        action="add",
        requested={"requestdomain": [SERVER_DOMAIN]},
        strict=True,
    )
    say(f"request domain {SERVER_DOMAIN}")
    return True


def _ensure_upload(
    developer: Actor, miniprogram: Any, user_version: str, note: str, say: Callable[[str], None]
) -> tuple[Any, bool]:
    from miniport.releases import services
    from miniport.releases.models import DevVersion

    existing = (
        DevVersion.objects.filter(miniprogram=miniprogram, user_version=user_version)
        .order_by("id")
        .first()
    )
    if existing is not None:
        return existing, False
    version = services.version_upload(
        actor=developer,
        miniprogram=miniprogram,
        archive=io.BytesIO(package_bytes(user_version)),
        user_version=user_version,
        user_desc=note,
    )
    say(f"code version {user_version} uploaded by {version.developer_label}")
    return version, True


def _items(miniprogram: Any) -> list[dict[str, Any]]:
    from miniport.miniprograms.models import MiniProgramCategory

    first, second = CATEGORY
    category = MiniProgramCategory.objects.get(
        miniprogram=miniprogram, first_id=first, second_id=second
    )
    return [
        {
            "address": page,
            "tag": "工具 演示",
            "first_class": category.first_name,
            "second_class": category.second_name,
            "first_id": first,
            "second_id": second,
            "title": title,
        }
        for page, title in PAGES[:2]
    ]


def _submit(developer: Actor, miniprogram: Any, version: Any, say: Callable[[str], None]) -> Any:
    from miniport.releases import services

    submission = services.version_submit_for_review(
        actor=developer,
        miniprogram=miniprogram,
        dev_version=version,
        items=_items(miniprogram),
        description=f"迷你港演示小程序 {version.user_version}",
    )
    say(f"code version {version.user_version} submitted for review (auditid {submission.auditid})")
    return submission


def _approve(actor: Actor, submission: Any, say: Callable[[str], None]) -> None:
    from miniport.review import services as review_services
    from miniport.review.models import Review

    review = Review.objects.get(pk=submission.review_id)
    review_services.review_approve(actor=actor, review=review, note="demo data")
    say(f"code review {submission.auditid} approved")


def _ensure_released(
    admin: Actor, miniprogram: Any, version: Any, say: Callable[[str], None]
) -> bool:
    from miniport.releases import services

    if version.releases.exists():
        return False
    submission, _why = services.releasable(miniprogram)
    if submission is None or submission.dev_version_id != version.pk:
        return False
    services.release_publish(actor=admin, miniprogram=miniprogram)
    say(f"code version {version.user_version} released")
    return True


def _ensure_experience(
    developer: Actor, miniprogram: Any, version: Any, say: Callable[[str], None]
) -> bool:
    from miniport.releases import services
    from miniport.releases.models import Experience

    if Experience.objects.filter(miniprogram=miniprogram).exists():
        return False
    services.experience_set(actor=developer, miniprogram=miniprogram, dev_version=version)
    say(f"code version {version.user_version} is the experience version")
    return True
