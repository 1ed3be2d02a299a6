"""Writes of plugin versions (PLG-7, PLG-8).

- `plugin_version_upload`: a plugin package validated like a mini program's (every
  `ENTRY_*`/`PACKAGE_*` refusal) with plugin.json instead of app.json, stored once per
  sha256 as a `CodePackage`; nothing is stored on a refusal. The version number is
  WeChat's plugin rule: x.y.z, three numbers (VERSION_NUMBER_INVALID), higher than the
  latest released version (VERSION_NOT_HIGHER), on the `user_version` field. There is no
  experience version: the latest upload is what the development assistant runs.
- `plugin_version_submit_for_review`: a version to the review desk (kind "plugin") with a
  service category, tags, preview images (re-encoded) and a description. Refused when the
  basic information is incomplete (PLG-5), a submission is open, the version is released,
  or its number could never be released (not x.y.z, not higher than the latest release).
- `plugin_submission_withdraw`: take an open submission back.
- `plugin_version_release`: an approved submission put online; every released version
  stays loadable by its number. Refused (`selectors.release_refusal`) when its number was
  released already or is not higher than the latest release.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, Any

from django.db import IntegrityError, transaction

from miniport.core import audit, clock, events, policy
from miniport.core.actors import Actor
from miniport.core.errors import CoreError, PlatformError, Words
from miniport.identities.models import Identity
from miniport.miniprograms.services import images, media
from miniport.plugins.models import (
    Plugin,
    PluginRelease,
    PluginSubmission,
    PluginSubmissionState,
    PluginVersion,
)
from miniport.releases.models import VersionSource
from miniport.releases.packages.manifest import PackageManifest
from miniport.releases.services.common import label_of
from miniport.releases.services.upload import (
    checked_fields,
    developer_of,
    stored_package,
    validated_archive,
)
from miniport.review import services as review_services

from . import selectors
from .errors import PluginVersionError

PREVIEW_FIELD = "preview_images"


def _lock(plugin: Plugin) -> Plugin:
    return Plugin.objects.select_for_update().get(pk=plugin.pk)


# --- upload (PLG-7) ----------------------------------------------------------------------


def plugin_version_upload(
    *,
    actor: Actor,
    plugin: Plugin,
    archive: Any,
    user_version: str,
    user_desc: str,
    developer: Identity | None = None,
    source: str = VersionSource.CONSOLE,
) -> PluginVersion:
    """Validate the plugin package, store it once by sha256 and record the upload."""
    version_text, desc_text = checked_fields(user_version, user_desc, source)
    _check_number(plugin, version_text, field="user_version")
    with validated_archive(archive, kind="plugin") as (fileobj, manifest):
        return _record(
            actor,
            plugin,
            fileobj,
            manifest,
            version_text,
            desc_text,
            developer_of(actor, developer),
            source,
        )


def _record(
    actor: Actor,
    plugin: Plugin,
    fileobj: IO[bytes],
    manifest: PackageManifest,
    user_version: str,
    user_desc: str,
    developer: Identity | None,
    source: str,
) -> PluginVersion:
    with stored_package(fileobj, manifest) as package:
        version = PluginVersion.objects.create(
            plugin=plugin,
            package=package,
            user_version=user_version,
            user_desc=user_desc,
            developer_identity=developer,
            developer_label=(developer.wechat_id if developer else label_of(actor))[:200],
            source=source,
            uploaded_at=clock.now(),
        )
        after = {
            "plugin_appid": plugin.appid,
            "version": version.pk,
            "user_version": user_version,
            "user_desc": user_desc,
            "sha256": package.sha256,
            "size": package.size,
            "source": source,
            "developer": version.developer_label,
        }
        audit.record(actor, "plugin.upload", target=version, appid=plugin.owner.appid, after=after)
        events.emit("plugin.uploaded", after, appid=plugin.owner.appid)
    return version


def _check_number(plugin: Plugin, text: str, *, field: str) -> None:
    """PLG-7: a plugin version number is x.y.z, higher than the latest released one."""
    refusal = selectors.version_number_refusal(plugin, text)
    if refusal is not None:
        code, params = refusal
        raise PlatformError(code, field=field, **params)


# --- submission (PLG-8) ------------------------------------------------------------------


def _category(plugin: Plugin, category: Any) -> tuple[str, str]:
    """`category` as (first, second) names, one of the categories available to the plugin;
    given as a pair or as "first/second"."""
    if isinstance(category, str):
        parts = [part.strip() for part in category.split("/", 1)]
    elif isinstance(category, tuple | list):
        parts = [str(part).strip() for part in category]
    else:
        parts = []
    pair = (parts[0], parts[1]) if len(parts) == 2 and all(parts) else None
    if pair is None:
        raise PlatformError(CoreError.FIELD_REQUIRED, field="category")
    if pair not in selectors.categories_available(plugin):
        raise PlatformError(
            PluginVersionError.CATEGORY_UNAVAILABLE, field="category", category="/".join(pair)
        )
    return pair


def clean_tags(tags: Any) -> list[str]:
    """1..`plugin_version.max_tags` distinct tags of at most `max_tag_chars` each; given
    as a list or as one text separated by commas or spaces."""
    if isinstance(tags, str):
        raw = tags.replace("，", ",").replace(",", " ").split()
    else:
        raw = [str(tag) for tag in tags or ()]
    cleaned: list[str] = []
    for tag in raw:
        tag = " ".join(tag.split())
        if tag and tag not in cleaned:
            cleaned.append(tag)
    most, chars = (
        policy.value("plugin_version.max_tags"),
        policy.value("plugin_version.max_tag_chars"),
    )
    if not cleaned:
        raise PlatformError(CoreError.FIELD_REQUIRED, field="tags")
    if len(cleaned) > most:
        raise PlatformError(
            PluginVersionError.TAGS_INVALID,
            field="tags",
            reason=Words(f"最多 {most} 个标签", f"at most {most} tags"),
        )
    for tag in cleaned:
        if len(tag) > chars:
            raise PlatformError(
                PluginVersionError.TAGS_INVALID,
                field="tags",
                reason=Words(
                    f"标签“{tag[:20]}”超过 {chars} 个字符",
                    f"the tag '{tag[:20]}' is longer than {chars} characters",
                ),
            )
    return cleaned


def _preview_images(uploads: Iterable[Any], keeper: media.Keeper) -> list[str]:
    """Each image checked by content and re-encoded from its pixels, then kept."""
    given = [upload for upload in uploads or () if upload not in (None, b"")]
    most = policy.value("plugin_version.max_preview_images")
    if not given:
        raise PlatformError(CoreError.FIELD_REQUIRED, field=PREVIEW_FIELD)
    if len(given) > most:
        raise PlatformError(
            PluginVersionError.PREVIEW_IMAGES_INVALID,
            field=PREVIEW_FIELD,
            reason=Words(f"最多 {most} 张", f"at most {most} images"),
        )
    kept = []
    for upload in given:
        data = images.read_capped(
            upload, policy.value("media.image_max_bytes"), field=PREVIEW_FIELD
        )
        inspected = images.inspect(
            data,
            formats=media.IMAGE_FORMATS,
            field=PREVIEW_FIELD,
            max_side=policy.value("media.image_max_side_pixels"),
        )
        clean = images.reencode(inspected, field=PREVIEW_FIELD)
        stored = media.Media(media_id="", type=media.IMAGE, created_at=clock.now(), data=clean)
        kept.append(keeper.keep(stored, field=PREVIEW_FIELD))
    return kept


def _missing_basic_info(plugin: Plugin) -> list[str]:
    try:
        from miniport.plugins.development.services import plugin_is_complete
    except ImportError:
        return [
            name
            for name in ("name", "introduction", "service_contact", "category_first_name")
            if not getattr(plugin, name)
        ]
    return list(plugin_is_complete(plugin))


def plugin_version_submit_for_review(
    *,
    actor: Actor,
    plugin: Plugin,
    version: PluginVersion | None,
    category: Any,
    tags: Any,
    preview_images: Iterable[Any],
    description: str,
) -> PluginSubmission:
    """Send an uploaded version to the review desk (a review of kind "plugin")."""
    if version is None or version.plugin_id != plugin.pk:
        raise PlatformError(PluginVersionError.VERSION_NOT_FOUND, field="version")
    missing = _missing_basic_info(plugin)
    if missing:
        raise PlatformError(PluginVersionError.BASIC_INFO_INCOMPLETE, missing=", ".join(missing))
    if PluginRelease.objects.filter(version=version).exists():
        raise PlatformError(
            PluginVersionError.ALREADY_RELEASED, field="version", version=version.user_version
        )
    _check_number(plugin, version.user_version, field="version")
    first, second = _category(plugin, category)
    cleaned_tags = clean_tags(tags)
    text = str(description or "").strip()
    if not text:
        raise PlatformError(CoreError.FIELD_REQUIRED, field="description")
    limit = policy.value("plugin_version.max_description_chars")
    if len(text) > limit:
        raise PlatformError(
            CoreError.FIELD_INVALID,
            field="description",
            reason=Words(f"最多 {limit} 个字符", f"at most {limit} characters"),
        )
    with media.Keeper(plugin.owner) as keeper, transaction.atomic():
        locked = _lock(plugin)
        if selectors.open_submission(locked) is not None:
            raise PlatformError(PluginVersionError.SUBMISSION_OPEN)
        kept = _preview_images(preview_images, keeper)
        try:
            with transaction.atomic():
                submission = PluginSubmission.objects.create(
                    plugin=locked,
                    version=version,
                    category_first_name=first,
                    category_second_name=second,
                    tags=cleaned_tags,
                    preview_images=kept,
                    description=text,
                    state=PluginSubmissionState.PENDING,
                    submitted_by=label_of(actor),
                    submitted_at=clock.now(),
                )
        except IntegrityError:  # plugin_submission_one_open_per_plugin
            raise PlatformError(PluginVersionError.SUBMISSION_OPEN) from None
        review = review_services.review_open(
            actor=actor,
            kind=selectors.PLUGIN_KIND,
            target_id=submission.pk,
            appid=plugin.owner.appid,
            material={
                "plugin_appid": plugin.appid,
                "version": version.pk,
                "user_version": version.user_version,
                "sha256": version.package.sha256,
            },
        )
        submission.review = review
        submission.save(update_fields=["review"])
        after = {
            "plugin_appid": plugin.appid,
            "submission": submission.pk,
            "version": version.pk,
            "user_version": version.user_version,
            "category": f"{first}/{second}",
            "tags": cleaned_tags,
            "images": len(kept),
        }
        audit.record(
            actor, "plugin.submit", target=submission, appid=plugin.owner.appid, after=after
        )
        events.emit("plugin.submitted", after, appid=plugin.owner.appid)
    return submission


def plugin_submission_withdraw(
    *, actor: Actor, plugin: Plugin, submission: PluginSubmission
) -> PluginSubmission:
    """Take the open submission back from the desk."""
    with transaction.atomic():
        _lock(plugin)
        current = (
            PluginSubmission.objects.select_related("review")
            .filter(pk=submission.pk, plugin=plugin)
            .first()
        )
        if current is None or not current.is_open or current.review is None:
            raise PlatformError(PluginVersionError.NOTHING_OPEN)
        before = current.state
        # The kind's withdraw callback mirrors the state onto the submission.
        review_services.review_withdraw(actor=actor, review=current.review)
        current.refresh_from_db()
        after = {"plugin_appid": plugin.appid, "submission": current.pk, "state": current.state}
        audit.record(
            actor,
            "plugin.withdraw",
            target=current,
            appid=plugin.owner.appid,
            before={"state": before},
            after=after,
        )
        events.emit("plugin.withdrawn", after, appid=plugin.owner.appid)
    return current


# --- release (PLG-8) ---------------------------------------------------------------------


def plugin_version_release(
    *, actor: Actor, plugin: Plugin, submission: PluginSubmission
) -> PluginRelease:
    """Put an approved submission's version online; earlier releases stay loadable."""
    with transaction.atomic():
        _lock(plugin)
        current = (
            PluginSubmission.objects.select_related("version")
            .filter(pk=submission.pk, plugin=plugin)
            .first()
        )
        if current is None or current.state != PluginSubmissionState.APPROVED:
            raise PlatformError(PluginVersionError.NOT_APPROVED)
        version = current.version
        refusal = selectors.release_refusal(plugin, current)
        if refusal is not None:
            raise refusal
        try:
            with transaction.atomic():
                release = PluginRelease.objects.create(
                    plugin=plugin,
                    version=version,
                    submission=current,
                    user_version=version.user_version,
                    released_by_label=label_of(actor),
                    released_at=clock.now(),
                )
        except IntegrityError:  # plugin_release_version_once, one release per version
            raise PlatformError(
                PluginVersionError.ALREADY_RELEASED, version=version.user_version
            ) from None
        after = {
            "plugin_appid": plugin.appid,
            "release": release.pk,
            "version": version.pk,
            "user_version": version.user_version,
        }
        audit.record(actor, "plugin.release", target=release, appid=plugin.owner.appid, after=after)
        events.emit("plugin.released", after, appid=plugin.owner.appid)
    return release
