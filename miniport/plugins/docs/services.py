"""Plugin documentation (PLG-6): uploading the `doc/` folder (a draft, rendered and
sanitised once), publishing a draft as its own step, as many times as the developer
likes; every published document stays in the history.

Refusals (`DocError` unless noted; after which nothing is stored):
- the zip: the code packages' entry checks (`ReleaseError`: traversal, symbolic links,
  special files, duplicates, bombs, too many entries, not a zip);
- a file other than README.md and png/jpg/jpeg/gif images: FILE_NOT_ALLOWED naming it;
- README.md missing, not UTF-8, too large: README_MISSING, README_NOT_UTF8,
  README_TOO_LARGE; an image too large, not an image, too many: IMAGE_TOO_LARGE,
  IMAGE_INVALID, TOO_MANY_IMAGES;
- a network image (http(s):// or //, Markdown or HTML): NETWORK_IMAGE naming its line;
  another scheme (data:, javascript:): IMAGE_NOT_LOCAL; a file doc/ does not hold:
  IMAGE_MISSING, naming the line and the name;
- publishing a published document again: ALREADY_PUBLISHED.
"""

from __future__ import annotations

import hashlib
import os
from typing import BinaryIO
from urllib.parse import unquote

from django.db import transaction

from miniport.core import audit, clock, policy
from miniport.core.actors import Actor
from miniport.core.errors import PlatformError
from miniport.miniprograms.services import images as image_checks
from miniport.miniprograms.services import media
from miniport.plugins.docs import archive, render
from miniport.plugins.docs.errors import DocError
from miniport.plugins.models import Plugin, PluginDoc

FIELD = "doc"
IMAGE_FORMATS = frozenset({image_checks.PNG, image_checks.JPEG, image_checks.GIF})


def _readme_text(data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PlatformError(DocError.README_NOT_UTF8, field=FIELD) from None
    if "\x00" in text:
        raise PlatformError(DocError.README_NOT_UTF8, field=FIELD)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _clean_images(folder: archive.DocFolder) -> dict[str, bytes]:
    """Each image opened and re-encoded from its pixels, in name order."""
    max_side = policy.value("plugin.doc_image_max_side")
    clean: dict[str, bytes] = {}
    for name in sorted(folder.images):
        try:
            inspected = image_checks.inspect(
                folder.images[name], formats=IMAGE_FORMATS, field=FIELD, max_side=max_side
            )
            clean[name] = image_checks.reencode(inspected, field=FIELD)
        except PlatformError as error:
            reason = str(error.params.get("reason") or error.message())
            raise PlatformError(
                DocError.IMAGE_INVALID, field=FIELD, entry=name, reason=reason
            ) from None
    return clean


def _reference_name(src: str) -> str:
    return archive.normalised(unquote(src.split("#", 1)[0].split("?", 1)[0]))


def check_references(markdown: str, available: set[str]) -> None:
    """PLG-6: network images refused naming their line; a local one must be in doc/."""
    for reference in render.image_references(markdown):
        if reference.network:
            raise PlatformError(DocError.NETWORK_IMAGE, field=FIELD, line=reference.line)
        if not reference.local:
            raise PlatformError(DocError.IMAGE_NOT_LOCAL, field=FIELD, line=reference.line)
        name = _reference_name(reference.src)
        if name not in available:
            raise PlatformError(
                DocError.IMAGE_MISSING,
                field=FIELD,
                line=reference.line,
                name=(name or reference.src)[:100],
            )


def _store(*, actor: Actor, plugin: Plugin, folder: archive.DocFolder, digest: str) -> PluginDoc:
    readme_limit = policy.value("plugin.doc_readme_max_bytes")
    if len(folder.readme) > readme_limit:
        raise PlatformError(
            DocError.README_TOO_LARGE, field=FIELD, entry=archive.README, limit=readme_limit
        )
    markdown = _readme_text(folder.readme)
    clean = _clean_images(folder)
    check_references(markdown, set(clean))
    order = list(clean)

    def image_index(src: str) -> int | None:
        name = _reference_name(src)
        return order.index(name) if name in clean else None

    html = render.render(markdown, image_index)
    with media.Keeper(plugin) as keeper, transaction.atomic():
        kept = []
        for name in order:
            stored = media.Media(
                media_id="", type=media.IMAGE, created_at=clock.now(), data=clean[name]
            )
            kept.append(
                {"name": name, "file": keeper.keep(stored, field=FIELD), "size": len(clean[name])}
            )
        doc = PluginDoc.objects.create(
            plugin=plugin,
            markdown=markdown,
            html=html,
            images=kept,
            sha256=digest,
            uploaded_by=actor.label,
            uploaded_at=clock.now(),
        )
        audit.record(
            actor,
            "plugin.doc_upload",
            target=doc,
            appid=plugin.appid,
            after={"sha256": digest, "images": [item["name"] for item in kept]},
        )
    return doc


def plugin_doc_upload(*, actor: Actor, plugin: Plugin, upload: BinaryIO | bytes) -> PluginDoc:
    """PLG-6: a zip of the `doc/` folder becomes a draft (shown in the preview)."""
    if upload is None:
        raise PlatformError(DocError.README_MISSING, field=FIELD)
    if isinstance(upload, bytes | bytearray):
        data = bytes(upload)
    else:
        upload.seek(0)
        data = upload.read(policy.value("plugin.doc_max_zip_bytes") + 1)
    try:
        folder = archive.read_zip(data)
    except PlatformError as error:
        if error.field is None:
            raise PlatformError(error.code, field=FIELD, **error.params) from None
        raise
    return _store(
        actor=actor, plugin=plugin, folder=folder, digest=hashlib.sha256(data).hexdigest()
    )


def plugin_doc_upload_folder(
    *, actor: Actor, plugin: Plugin, path: str | os.PathLike[str]
) -> PluginDoc:
    """PLG-6 for a command line: the `doc/` folder on disk, zipped and checked alike."""
    folder = archive.read_folder(path)
    digest = hashlib.sha256(folder.readme).hexdigest()
    return _store(actor=actor, plugin=plugin, folder=folder, digest=digest)


def plugin_doc_publish(*, actor: Actor, doc: PluginDoc) -> PluginDoc:
    """PLG-6: publish an uploaded draft; it becomes the document users read and joins
    the history."""
    with transaction.atomic():
        doc = PluginDoc.objects.select_for_update().select_related("plugin").get(pk=doc.pk)
        if doc.published_at is not None:
            raise PlatformError(DocError.ALREADY_PUBLISHED)
        doc.published_at = clock.now()
        doc.published_by = actor.label
        doc.save(update_fields=["published_at", "published_by"])
        audit.record(
            actor,
            "plugin.doc_publish",
            target=doc,
            appid=doc.plugin.appid,
            after={"doc": doc.pk, "sha256": doc.sha256},
        )
    return doc
