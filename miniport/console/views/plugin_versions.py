"""The plugin's Versions tab (PLG-7, PLG-8): the uploads with the upload form, the open
submission with its state (withdraw), the submit form, the approved submission to
release, and the released versions.

`plugin.view` opens the page (others 404), `plugin.develop` uploads, `plugin.release`
submits, withdraws and releases (403 for members who only see the page). Forms in
`console/forms/plugin_versions.py`, templates in `templates/console/plugin/versions/`.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from miniport.console.access import actor_of, console_view
from miniport.console.forms.plugin_versions import (
    PluginSubmitForm,
    PluginUploadForm,
    attach_submit_error,
)
from miniport.console.forms.versions import attach_upload_error, oversize_form
from miniport.console.views.common import content_length, page
from miniport.console.views.plugin_common import plugin_context, plugin_or_404
from miniport.core import policy
from miniport.core.errors import PlatformError
from miniport.plugins.models import PluginSubmissionState
from miniport.plugins.versions import selectors, services
from miniport.plugins.versions.errors import PluginVersionError
from miniport.releases.models import VersionSource

TAB = "versions"


def _uploads(plugin) -> tuple[list, set[int]]:
    """The latest uploads the page lists, and the ids of the released versions."""
    released_ids = {release.version_id for release in selectors.releases_of(plugin)}
    return list(selectors.versions_of(plugin)[:50]), released_ids


def _submit_form(plugin, *args) -> PluginSubmitForm:
    """The submit form; its version choices are the uploads listed not released yet."""
    versions, released_ids = _uploads(plugin)
    return PluginSubmitForm(
        *args,
        categories=selectors.categories_available(plugin),
        versions=[(v.pk, v.user_version) for v in versions if v.pk not in released_ids],
    )


def _page(request, plugin, *, status: int = 200, submit_form=None, **extra):
    open_submission = selectors.open_submission(plugin)
    releases = list(selectors.releases_of(plugin))
    versions, released_ids = _uploads(plugin)
    last_submission = selectors.submissions_of(plugin).first()
    # Approved and not released: Release is offered only when it can succeed; one that
    # never can (its number released already, or not higher than the latest release)
    # says why while it is the latest submission, and is gone once another follows.
    approved = []
    for submission in selectors.submissions_of(plugin).filter(state=PluginSubmissionState.APPROVED):
        if submission.version_id in released_ids:
            continue
        refusal = selectors.release_refusal(plugin, submission)
        if refusal is None or submission == last_submission:
            approved.append((submission, refusal.message() if refusal else ""))
    if submit_form is None:
        submit_form = _submit_form(plugin)
    return page(
        request,
        "console/plugin/versions/index.html",
        status=status,
        **plugin_context(
            request,
            plugin,
            TAB,
            versions=versions,
            released_ids=released_ids,
            open_submission=open_submission,
            last_submission=last_submission,
            approved=approved,
            releases=releases,
            submit_form=submit_form,
            can_upload=request.console.may("plugin.develop"),
            can_release=request.console.may("plugin.release"),
            **extra,
        ),
    )


@console_view(action="plugin.view")
@require_GET
def plugin_versions(request):
    """PLG-7, PLG-8: the plugin's versions page."""
    return _page(request, plugin_or_404(request))


def _upload_page(request, plugin, form, *, status: int = 200):
    return page(
        request,
        "console/plugin/versions/upload.html",
        status=status,
        **plugin_context(request, plugin, TAB, form=form),
    )


# CSRF is checked by `_upload` after the size check (see console/views/versions.py).
@csrf_exempt
@console_view(action="plugin.develop", visible_with="plugin.view")
@require_http_methods(["GET", "POST"])
def plugin_versions_upload(request):
    """PLG-7: upload a plugin package from the console; a refused package names the
    entry and the rule on the archive field and leaves nothing behind."""
    plugin = plugin_or_404(request)
    if request.method == "POST":
        limit = policy.value("console.upload_max_bytes")
        if content_length(request) > limit:
            return _upload_page(request, plugin, oversize_form(limit, PluginUploadForm), status=413)
        return _upload(request, plugin)
    return _upload_page(request, plugin, PluginUploadForm())


@csrf_protect
def _upload(request, plugin):
    form = PluginUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _upload_page(request, plugin, form, status=400)
    try:
        version = services.plugin_version_upload(
            actor=actor_of(request),
            plugin=plugin,
            archive=form.cleaned_data["archive"],
            user_version=form.cleaned_data["user_version"],
            user_desc=form.cleaned_data["user_desc"],
            source=VersionSource.CONSOLE,
        )
    except PlatformError as error:
        attach_upload_error(form, error)
        return _upload_page(request, plugin, form, status=400)
    messages.success(
        request, _("Plugin version %(version)s was uploaded.") % {"version": version.user_version}
    )
    return redirect("console:plugin_versions")


@console_view(action="plugin.release", visible_with="plugin.view")
@require_POST
def plugin_versions_submit(request):
    """PLG-8: submit an uploaded version for review."""
    plugin = plugin_or_404(request)
    form = _submit_form(plugin, request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, plugin, status=400, submit_form=form)
    version = selectors.version_of(plugin, form.cleaned_data["version"])
    try:
        services.plugin_version_submit_for_review(
            actor=actor_of(request),
            plugin=plugin,
            version=version,
            category=form.cleaned_data["category"],
            tags=form.cleaned_data["tags"],
            preview_images=form.cleaned_data["preview_images"],
            description=form.cleaned_data["description"],
        )
    except PlatformError as error:
        attach_submit_error(form, error)
        return _page(request, plugin, status=400, submit_form=form)
    messages.success(request, _("The plugin version was submitted for review."))
    return redirect("console:plugin_versions")


def _submission_or_404(plugin, pk: int):
    submission = selectors.submission_of(plugin, pk)
    if submission is None:
        raise Http404("no such submission")
    return submission


@console_view(action="plugin.release", visible_with="plugin.view")
@require_http_methods(["GET", "POST"])
def plugin_versions_withdraw(request, pk: int):
    """PLG-8: take the open submission back from the desk. The Withdraw button leads to a
    confirmation page (GET) naming the submission that leaves the desk; its button
    withdraws (POST)."""
    plugin = plugin_or_404(request)
    submission = _submission_or_404(plugin, pk)
    if request.method == "GET":
        refusal = (
            None
            if submission.is_open and submission.review_id is not None
            else PlatformError(PluginVersionError.NOTHING_OPEN)
        )
        return page(
            request,
            "console/plugin/versions/withdraw_confirm.html",
            status=409 if refusal is not None else 200,
            **plugin_context(
                request,
                plugin,
                TAB,
                submission=submission,
                refusal=refusal.message() if refusal is not None else "",
            ),
        )
    try:
        services.plugin_submission_withdraw(
            actor=actor_of(request), plugin=plugin, submission=submission
        )
    except PlatformError as error:
        messages.error(request, error.message())
        return redirect("console:plugin_versions")
    messages.success(request, _("The submission was withdrawn."))
    return redirect("console:plugin_versions")


@console_view(action="plugin.release", visible_with="plugin.view")
@require_POST
def plugin_versions_release(request, pk: int):
    """PLG-8: release an approved version."""
    plugin = plugin_or_404(request)
    submission = _submission_or_404(plugin, pk)
    try:
        release = services.plugin_version_release(
            actor=actor_of(request), plugin=plugin, submission=submission
        )
    except PlatformError as error:
        messages.error(request, error.message())
        return redirect("console:plugin_versions")
    messages.success(
        request, _("Plugin version %(version)s was released.") % {"version": release.user_version}
    )
    return redirect("console:plugin_versions")
