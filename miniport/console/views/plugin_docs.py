"""The plugin's documentation pages (PLG-6): the published document, the upload of the
doc/ folder, the preview of the draft, publishing it, the history of published documents
and each one, and the document's images.

`plugin.view` opens the pages, `plugin.develop` uploads, `plugin.edit` publishes. The
document's HTML was sanitised at upload and is sanitised again on the way out; the
console's Content-Security-Policy (no inline script) covers these pages. Images are served
from storage with their checked type and `nosniff`."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from PIL import Image

from miniport.console.access import actor_of, console_view
from miniport.console.forms.common import attach_error
from miniport.console.forms.plugin_docs import DocUploadForm
from miniport.console.views.common import page
from miniport.console.views.plugin_common import plugin_context, plugin_or_404
from miniport.core.errors import PlatformError
from miniport.plugins.docs import selectors, services
from miniport.plugins.docs.render import display_html
from miniport.plugins.models import PluginDoc


def _shown(doc: PluginDoc | None) -> str:
    if doc is None:
        return ""
    html = display_html(
        doc.html,
        lambda index: reverse("console:plugin_doc_image", kwargs={"pk": doc.pk, "index": index}),
    )
    return mark_safe(html)  # noqa: S308 - sanitised by nh3 at upload and here again


def _doc_or_404(plugin, pk: int) -> PluginDoc:
    doc = selectors.doc_of(plugin, pk)
    if doc is None:
        raise Http404
    return doc


def _index(request, plugin, form=None, status: int = 200):
    published = selectors.published_doc(plugin)
    context = plugin_context(
        request,
        plugin,
        "docs",
        published=published,
        published_html=_shown(published),
        draft=selectors.latest_draft(plugin),
        history=selectors.history(plugin),
        form=form or DocUploadForm(),
        can_upload=request.console.may("plugin.develop"),
        can_publish=request.console.may("plugin.edit"),
    )
    return page(request, "console/plugin/docs/index.html", status=status, **context)


@console_view(action="plugin.view")
@require_GET
def plugin_docs(request):
    """PLG-6: the published document, the draft waiting, the upload and the history."""
    return _index(request, plugin_or_404(request))


@console_view(action="plugin.develop", visible_with="plugin.view")
@require_http_methods(["POST"])
def plugin_doc_upload(request):
    """PLG-6: upload the doc/ folder as a zip; it becomes the draft to preview."""
    plugin = plugin_or_404(request)
    form = DocUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.plugin_doc_upload(
                actor=actor_of(request), plugin=plugin, upload=form.cleaned_data["doc"]
            )
        except PlatformError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("The document was uploaded: check the preview."))
            return redirect("console:plugin_doc_preview")
    return _index(request, plugin, form=form, status=400)


def _doc_page(request, plugin, doc: PluginDoc, *, preview: bool):
    context = plugin_context(
        request,
        plugin,
        "docs",
        doc=doc,
        doc_html=_shown(doc),
        preview=preview,
        can_publish=request.console.may("plugin.edit") and doc.published_at is None,
    )
    return page(request, "console/plugin/docs/doc.html", **context)


@console_view(action="plugin.view")
@require_GET
def plugin_doc_preview(request):
    """PLG-6: the uploaded draft as it will be shown, before publishing it."""
    plugin = plugin_or_404(request)
    draft = selectors.latest_draft(plugin)
    if draft is None:
        raise Http404
    return _doc_page(request, plugin, draft, preview=True)


@console_view(action="plugin.view")
@require_GET
def plugin_doc(request, pk: int):
    """PLG-6: one document of the history (or an upload) as it was published."""
    plugin = plugin_or_404(request)
    return _doc_page(request, plugin, _doc_or_404(plugin, pk), preview=False)


@console_view(action="plugin.edit", visible_with="plugin.view")
@require_POST
def plugin_doc_publish(request, pk: int):
    """PLG-6: publish an uploaded document (its own step)."""
    plugin = plugin_or_404(request)
    doc = _doc_or_404(plugin, pk)
    try:
        services.plugin_doc_publish(actor=actor_of(request), doc=doc)
    except PlatformError as error:
        messages.error(request, error.message())
    else:
        messages.success(request, _("The document was published."))
    return redirect("console:plugin_docs")


@console_view(action="plugin.view")
@require_GET
def plugin_doc_image(request, pk: int, index: int):
    """An image of a document, typed by its checked content."""
    plugin = plugin_or_404(request)
    found = selectors.doc_image(_doc_or_404(plugin, pk), index)
    if found is None:
        raise Http404
    data, fmt = found
    content_type = Image.MIME.get(fmt, "")
    if not content_type.startswith("image/"):
        raise Http404
    response = HttpResponse(data, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, max-age=3600"
    return response
