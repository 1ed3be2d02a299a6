"""Plugin documentation (PLG-6): every upload of the `doc/` folder is kept. An upload is
a draft until it is published; the published ones are the history, the latest of them
the document users read."""

from __future__ import annotations

from django.db import models


class PluginDoc(models.Model):
    plugin = models.ForeignKey("plugins.Plugin", on_delete=models.CASCADE, related_name="docs")
    # doc/README.md as uploaded, and its HTML rendered and sanitised once at upload.
    markdown = models.TextField()
    html = models.TextField()
    # The images of doc/: [{"name": "picture.jpg", "file": storage name, "size": bytes}].
    images = models.JSONField(default=list, blank=True)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.CharField(max_length=200)
    uploaded_at = models.DateTimeField()
    published_by = models.CharField(max_length=200, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["plugin", "-published_at"], name="plugindoc_published_idx")]

    def __str__(self) -> str:
        state = "published" if self.published_at else "draft"
        return f"doc {self.pk} of plugin {self.plugin_id} ({state})"
