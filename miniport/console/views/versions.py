"""Management › Version management (seed 004 "版本管理"): the online version, the review
version and the development versions, like WeChat's three cards.

- Development versions (VER-1): each developer's latest upload (version, developer, time,
  note) on the page, every upload on the history page, each package's file tree with a
  file viewer (text shown escaped up to `console.file_viewer_max_bytes`, binary files
  named with their size only); the upload form (`version_upload(source="console")`).
- Experience version (VER-2): choosing a development version (`experience_set`), its QR
  code (a real PNG) leading to the shareable phone page `mobile:trial`.
- The online and review cards are `versions/_online.html` and `versions/_review.html`
  of the release and review pages (`views/release.py`, `views/submission.py`); they load
  their own context through the `version_cards` template tags.

`versions.view` opens every page here (anyone else gets 404); `versions.upload` uploads,
`experience.set` chooses the experience version (403 for members who only see the page).
Forms in `console/forms/versions.py`, templates in `templates/console/versions/`.
"""

from __future__ import annotations

import codecs
import zipfile

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from miniport.console.access import actor_of, console_view
from miniport.console.forms.versions import UploadForm, attach_upload_error, oversize_form
from miniport.console.views.common import content_length, page
from miniport.core import policy, qr
from miniport.core.errors import PlatformError
from miniport.miniprograms.services import material
from miniport.releases import selectors
from miniport.releases.models import DevVersion, VersionSource
from miniport.releases.services import experience_set, version_upload

# --- the page and the history (VER-1) ----------------------------------------------------


def trial_url(miniprogram) -> str:
    """The shareable phone page of the experience version, as its QR code carries it."""
    return material.trial_url(miniprogram)


def _version_rows(request, versions, experience_id: int | None) -> list[dict]:
    return [
        {
            "version": version,
            "is_experience": version.pk == experience_id,
            "files_url": reverse("console:versions_files", kwargs={"pk": version.pk}),
        }
        for version in versions
    ]


@console_view(action="versions.view")
@require_GET
def versions_page(request):
    """VER-1, VER-2 (and the cards of VER-5, VER-7): the version management page."""
    mp = request.miniprogram
    experience = selectors.experience_of(mp)
    experience_id = experience.dev_version_id if experience else None
    return page(
        request,
        "console/versions/index.html",
        experience=experience,
        trial_url=trial_url(mp),
        rows=_version_rows(request, selectors.latest_per_developer(mp), experience_id),
        total=selectors.dev_versions(mp).count(),
        can_upload=request.console.may("versions.upload"),
        can_set_experience=request.console.may("experience.set"),
        can_submit=request.console.may("versions.submit"),
    )


@console_view(action="versions.view")
@require_GET
def versions_history(request):
    """VER-1: every upload is kept: the full history, newest first."""
    mp = request.miniprogram
    experience = selectors.experience_of(mp)
    pages = Paginator(selectors.dev_versions(mp), policy.value("console.versions_page_size"))
    current = pages.get_page(request.GET.get("page"))
    return page(
        request,
        "console/versions/history.html",
        page_obj=current,
        rows=_version_rows(
            request, current.object_list, experience.dev_version_id if experience else None
        ),
        can_set_experience=request.console.may("experience.set"),
        can_submit=request.console.may("versions.submit"),
    )


# --- the package's files (VER-1) ---------------------------------------------------------


def _version_or_404(request, pk: int) -> DevVersion:
    version = selectors.dev_version_of(request.miniprogram, pk)
    if version is None:
        raise Http404
    return version


def _listed_size(version: DevVersion, path: str) -> int | None:
    for item in (version.package.manifest or {}).get("files") or []:
        if str(item.get("path")) == path:
            return int(item.get("size") or 0)
    return None


def _as_text(data: bytes, *, complete: bool) -> str | None:
    """The bytes as text, or None when they are no UTF-8 text (a binary file). A file cut
    at the viewer's limit may end inside a character; that tail is dropped."""
    if b"\x00" in data:
        return None
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    try:
        return decoder.decode(data, final=complete)
    except UnicodeDecodeError:
        return None


@console_view(action="versions.view")
@require_GET
def versions_files(request, pk: int):
    """VER-1: the package's file tree; `?path=` opens one file in the viewer: text shown
    escaped (the template escapes it) up to the policy's limit, a binary file named with
    its size only. Only files the manifest lists are opened."""
    version = _version_or_404(request, pk)
    path = request.GET.get("path", "")
    viewer = None
    status = 200
    if path:
        size = _listed_size(version, path)
        if size is None:
            raise Http404
        limit = policy.value("console.file_viewer_max_bytes")
        viewer = {"path": path, "size": size, "limit": limit, "text": None, "error": ""}
        try:
            data = selectors.read_package_file(version, path, limit=limit) or b""
        except (OSError, zipfile.BadZipFile, KeyError, RuntimeError):
            viewer["error"] = _("The stored package could not be read.")
            status = 503
        else:
            viewer["text"] = _as_text(data, complete=size <= limit)
            viewer["truncated"] = size > limit
    return page(
        request,
        "console/versions/files.html",
        status=status,
        version=version,
        tree=selectors.file_tree(version),
        viewer=viewer,
    )


# --- upload (VER-1) ----------------------------------------------------------------------


def _upload_page(request, form: UploadForm, *, status: int = 200):
    return page(request, "console/versions/upload.html", form=form, status=status)


# CSRF is checked by `_upload` (csrf_protect) after the size check: the middleware would
# read the whole body first, before the view could refuse it unread (Django's documented
# pattern for views that decide how an upload is read).
@csrf_exempt
@console_view(action="versions.upload", visible_with="versions.view")
@require_http_methods(["GET", "POST"])
def versions_upload(request):
    """VER-1: upload a code package from the console. A request larger than
    `console.upload_max_bytes` is refused (413) before its body is read (Django never
    reads past the Content-Length); a refused package shows the entry and the rule next
    to the field, and leaves nothing behind."""
    if request.method == "POST":
        limit = policy.value("console.upload_max_bytes")
        if content_length(request) > limit:
            return _upload_page(request, oversize_form(limit), status=413)
        return _upload(request)
    return _upload_page(request, UploadForm())


@csrf_protect
def _upload(request):
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _upload_page(request, form, status=400)
    try:
        version = version_upload(
            actor=actor_of(request),
            miniprogram=request.miniprogram,
            archive=form.cleaned_data["archive"],
            user_version=form.cleaned_data["user_version"],
            user_desc=form.cleaned_data["user_desc"],
            source=VersionSource.CONSOLE,
        )
    except PlatformError as error:
        attach_upload_error(form, error)
        return _upload_page(request, form, status=400)
    messages.success(
        request, _("Version %(version)s was uploaded.") % {"version": version.user_version}
    )
    return redirect("console:versions")


# --- the experience version (VER-2) -------------------------------------------------------


@console_view(action="experience.set", visible_with="versions.view")
@require_POST
def versions_experience_set(request, pk: int):
    """VER-2: make this development version the experience version."""
    version = _version_or_404(request, pk)
    try:
        experience_set(
            actor=actor_of(request), miniprogram=request.miniprogram, dev_version=version
        )
    except PlatformError as error:
        messages.error(request, error.message())
    else:
        messages.success(
            request,
            _("Version %(version)s is now the experience version.")
            % {"version": version.user_version},
        )
    return redirect("console:versions")


@console_view(action="versions.view")
@require_GET
def versions_experience_qr(request):
    """VER-2: the QR code of the experience version's phone page (a PNG)."""
    response = HttpResponse(qr.png_bytes(trial_url(request.miniprogram)), content_type="image/png")
    response["Cache-Control"] = "private, max-age=300"
    return response
