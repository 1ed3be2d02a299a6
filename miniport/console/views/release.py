"""Version management › release, gray release, rollback, visit status (VER-6, VER-7, B-5).

Every change is a POST with the CSRF token, gated by the permission table
(`versions.release`; the card is seen with `versions.view`), and one releases service:
- `versions_release`: after a confirmation page (GET), the approved version goes online
  (`release_publish`; a running gray release goes to everyone). Refused while the
  operator's public-beta switch is on.
- `versions_gray`: start a gray release of the approved version or raise its percentage
  (only upward), members first or not; a refused percentage comes back on the field of
  the gray release form (`versions/gray.html`). `versions_gray_cancel` cancels it after
  a confirmation page (GET), which asks `gray_to_cancel` as the cancellation does.
- `versions_rollback`: the last `release.rollback_depth` released versions (GET) and
  the rollback to one of them (POST); each version's button leads to
  `versions_rollback_confirm` (GET, `?release=<pk>`), whose button posts the rollback.
- `versions_visit`: pause or resume the service, after a confirmation page (GET).
A refusal shows the coded message and changes nothing.

`online_context(request)` is what the online version card `console/versions/_online.html`
shows; the version management page includes it with this context as `online`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from miniport.console.access import actor_of, console_view
from miniport.console.forms.submission import GrayForm, RollbackForm, VisitForm
from miniport.console.views.common import page
from miniport.console.views.submission import versions_url
from miniport.core import policy
from miniport.core.errors import PlatformError
from miniport.releases import selectors, services
from miniport.releases.errors import ReleaseError
from miniport.releases.models import DevVersion, Release


def _done(request, action, success: str):
    """Run one service; its refusal becomes the page's coded message."""
    try:
        action()
    except PlatformError as error:
        messages.error(request, error.message())
    else:
        messages.success(request, success)
    return redirect(versions_url())


@console_view(action="versions.release", visible_with="versions.view")
@require_http_methods(["GET", "POST"])
def versions_release(request):
    """VER-6: release is a manual action after approval; never while in public beta. The
    card's button leads to a confirmation page (GET) naming the version that goes online
    for every user and the one it replaces; its button releases (POST)."""
    mp = request.miniprogram
    if request.method == "POST":
        return _done(
            request,
            lambda: services.release_publish(actor=actor_of(request), miniprogram=mp),
            _("The version is online."),
        )
    gray = selectors.gray_plan(mp)
    refusal = None
    candidate: DevVersion | None
    if gray is not None:
        candidate = gray.dev_version
    else:
        submission, refusal = selectors.releasable(mp)
        candidate = submission.dev_version if submission is not None else None
        if refusal is ReleaseError.ALREADY_RELEASED:
            # The page names no version, so "this version is already released" reads as
            # nonsense: what it means here is that no approved version waits to go online.
            refusal = ReleaseError.NOTHING_APPROVED
    if policy.value("release.public_beta"):
        refusal = ReleaseError.PUBLIC_BETA
    return page(
        request,
        "console/versions/release_confirm.html",
        candidate=candidate,
        gray=gray,
        online=selectors.online_version(mp),
        refusal=refusal.message() if refusal is not None else "",
        status=409 if refusal is not None else 200,
        back_url=versions_url(),
    )


@console_view(action="versions.release", visible_with="versions.view")
@require_POST
def versions_gray(request):
    """B-5: gray release by percentage, only upward, members first if chosen. The cards'
    forms post here. A refused percentage is said on its field: the answer is the gray
    release form again, with what was typed (400); a refusal about no field (nothing
    online, nothing approved, public beta) is the version page's message."""
    mp = request.miniprogram
    form = GrayForm(request.POST)
    form.is_valid()  # the percentage is the service's rule; the form only reads it
    data = getattr(form, "cleaned_data", {})
    try:
        services.gray_release(
            actor=actor_of(request),
            miniprogram=mp,
            percentage=data.get("percentage", ""),
            # The console's one choice puts both kinds of member first.
            members_first=bool(data.get("members_first")),
            experiencers_first=bool(data.get("members_first")),
        )
    except PlatformError as error:
        if not form.attach(error):
            messages.error(request, error.message())
            return redirect(versions_url())
        return page(
            request,
            "console/versions/gray.html",
            form=form,
            gray=selectors.gray_plan(mp),
            status=400,
            back_url=versions_url(),
        )
    messages.success(
        request,
        _("The gray release now reaches %(percentage)s%% of users.")
        % {"percentage": data.get("percentage", "")},
    )
    return redirect(versions_url())


@console_view(action="versions.release", visible_with="versions.view")
@require_http_methods(["GET", "POST"])
def versions_gray_cancel(request):
    """B-5: cancel the running gray release; everyone gets the online version again. The
    card's button leads to a confirmation page (GET) naming the version in gray release
    and the one its users get back; its button cancels (POST)."""
    mp = request.miniprogram
    if request.method == "GET":
        gray, refusal = None, ""
        try:
            # The cancellation asks the same under its lock: the page refuses what it would.
            gray = services.gray_to_cancel(mp)
        except PlatformError as error:
            refusal = error.message()
        return page(
            request,
            "console/versions/gray_cancel_confirm.html",
            gray=gray,
            online=selectors.online_version(mp),
            refusal=refusal,
            status=409 if refusal else 200,
            back_url=versions_url(),
        )
    return _done(
        request,
        lambda: services.gray_revert(actor=actor_of(request), miniprogram=mp),
        _("The gray release was cancelled."),
    )


@console_view(action="versions.release", visible_with="versions.view")
@require_http_methods(["GET", "POST"])
def versions_rollback(request):
    """B-5: roll back to one of the last released versions, chosen from the list."""
    mp = request.miniprogram
    error = ""
    if request.method == "POST":
        form = RollbackForm(request.POST)
        target = None
        if form.is_valid():
            target = Release.objects.filter(miniprogram=mp, pk=form.cleaned_data["release"]).first()
        try:
            if target is None:
                raise PlatformError(
                    ReleaseError.ROLLBACK_FORBIDDEN, limit=policy.value("release.rollback_depth")
                )
            restored = services.release_rollback(
                actor=actor_of(request), miniprogram=mp, release=target
            )
        except PlatformError as refused:
            error = refused.message()
        else:
            messages.success(
                request,
                _("Version %(version)s is online again.")
                % {"version": restored.dev_version.user_version},
            )
            return redirect(versions_url())
    online = selectors.online_version(mp)
    return page(
        request,
        "console/versions/release_rollback.html",
        online=online,
        targets=selectors.rollback_history(mp),
        depth=policy.value("release.rollback_depth"),
        gray_running=selectors.gray_plan(mp) is not None,
        error=error,
        status=409 if error else 200,
        back_url=versions_url(),
    )


@console_view(action="versions.release", visible_with="versions.view")
@require_GET
def versions_rollback_confirm(request):
    """B-5: the rollback list's button leads here (`?release=<pk>`): a page naming the
    version that goes back online for every user and the one it replaces; its button
    posts the rollback to `versions_rollback`."""
    mp = request.miniprogram
    form = RollbackForm(request.GET)
    target = None
    if form.is_valid():
        target = (
            Release.objects.select_related("dev_version")
            .filter(miniprogram=mp, pk=form.cleaned_data["release"])
            .first()
        )
    refusal = None
    try:
        services.rollback_target(mp, target)
    except PlatformError as refused:
        refusal = refused
    if refusal is None and target is None:
        # No release named, or not this mini program's: none the list offers.
        refusal = PlatformError(
            ReleaseError.ROLLBACK_FORBIDDEN, limit=policy.value("release.rollback_depth")
        )
    return page(
        request,
        "console/versions/rollback_confirm.html",
        target=target,
        online=selectors.online_version(mp),
        refusal=refusal.message() if refusal is not None else "",
        status=409 if refusal is not None else 200,
        back_url=reverse("console:versions_rollback"),
    )


@console_view(action="versions.release", visible_with="versions.view")
@require_http_methods(["GET", "POST"])
def versions_visit(request):
    """Pause or resume the service (change_visitstatus), after a confirmation."""
    mp = request.miniprogram
    if request.method == "POST":
        form = VisitForm(request.POST)
        if form.is_valid():
            wanted = form.cleaned_data["open"]
            return _done(
                request,
                lambda: services.visit_status_set(
                    actor=actor_of(request), miniprogram=mp, open=wanted
                ),
                _("The mini program is open to its users again.")
                if wanted
                else _("The mini program is paused: users cannot open it."),
            )
        wanted_text = request.POST.get("open", "")
    else:
        wanted_text = request.GET.get("open", "")
    is_open = selectors.visit_open(mp)
    # Without a choice, the confirmation offers the change from the current state.
    wanted_open = wanted_text == "1" if wanted_text in ("0", "1") else not is_open
    return page(
        request,
        "console/versions/release_visit.html",
        wanted_open=wanted_open,
        is_open=is_open,
        unconfirmed=request.method == "POST",
        status=400 if request.method == "POST" else 200,
        back_url=versions_url(),
    )


# --- the online version card (VER-7) ------------------------------------------------------


def online_context(request) -> dict[str, Any]:
    """What the online version card shows: version, publisher, time, note, details; the
    running gray release; the visit status; the actions the session may take."""
    mp = request.miniprogram
    online = selectors.online_version(mp)
    gray = online.gray if online is not None else selectors.gray_plan(mp)
    public_beta = bool(policy.value("release.public_beta"))
    may_release = request.console.may("versions.release")
    return {
        "online": online,
        "gray": gray,
        "gray_form": GrayForm(initial={"percentage": gray.gray_percentage if gray else ""}),
        "visit_open": selectors.visit_open(mp),
        "can_release": may_release,
        "public_beta": public_beta,
        "public_beta_message": ReleaseError.PUBLIC_BETA.message() if public_beta else "",
        "has_rollback": online is not None and bool(selectors.rollback_history(mp)),
        "depth": policy.value("release.rollback_depth"),
    }
