"""Reading plugin documentation (PLG-6): the published document, the latest draft, the
history, one document's stored image."""

from __future__ import annotations

from miniport.miniprograms.services import media
from miniport.plugins.models import Plugin, PluginDoc


def published_doc(plugin: Plugin) -> PluginDoc | None:
    """The document users read: the latest published."""
    return (
        PluginDoc.objects.filter(plugin=plugin, published_at__isnull=False)
        .order_by("-published_at", "-id")
        .first()
    )


def latest_draft(plugin: Plugin) -> PluginDoc | None:
    """The newest upload not published yet, if it is newer than every published one."""
    latest = PluginDoc.objects.filter(plugin=plugin).order_by("-id").first()
    return latest if latest is not None and latest.published_at is None else None


def history(plugin: Plugin) -> list[PluginDoc]:
    """Every published document, newest first."""
    return list(
        PluginDoc.objects.filter(plugin=plugin, published_at__isnull=False).order_by(
            "-published_at", "-id"
        )
    )


def doc_of(plugin: Plugin, pk: int) -> PluginDoc | None:
    return PluginDoc.objects.filter(plugin=plugin, pk=pk).first()


def doc_image(doc: PluginDoc, index: int) -> tuple[bytes, str] | None:
    """The bytes and image format of the document's image number `index`, or None."""
    images = doc.images or []
    if not 0 <= index < len(images) or not isinstance(images[index], dict):
        return None
    return media.kept_read(images[index].get("file"))
