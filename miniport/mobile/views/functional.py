"""The phone page of a plugin's functional page (FP-3, FP-5, FP-11): what a super-app user
sees after tapping a plugin's `<functional-page-navigator>`, at `/m/functional/` with the
navigator's attributes as query parameters (`appid` of the mini program using the plugin,
`plugin_appid`, `name`, `version`, `args` as JSON).

It shows the plugin, the owner mini program whose page it is, and what is asked: for
loginAndGetUserInfo the nickname and the openid for the owner that the plugin will get; for
requestPayment the payee, the amount and the item of the order the owner's
`beforeRequestPayment` named. Confirm signs in (a login code of the owner) or pays; cancel
changes nothing. Every FP-11 outcome (nothing happens, page not found, development
version expired, function unavailable, left at once, back button only, owner not
released, callback error) and every coded refusal has its own page, never a server
error. The same services as `POST /runtime/v1/functional-pages/navigate`
(`plugins.functional.services.open_page` and `confirm`).

`/m/functional/preview/<appid>/` is FP-7's "scan the owner's preview and enter it once":
a project or experience member of the owner mini program confirms, and its development
version is what `version="develop"` navigators reach until it expires; anyone else gets
the refusal (LAUNCH_NOT_MEMBER) on the page."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from miniport.core.actors import Actor
from miniport.core.errors import PlatformError
from miniport.identities.models import Identity
from miniport.miniprograms.services import material
from miniport.mobile.auth import identity_required
from miniport.mobile.forms.pay import CANCEL, CONFIRM, PayDecisionForm
from miniport.plugins.development.selectors import plugin_by_appid
from miniport.plugins.functional import services

FIELDS = ("appid", "plugin_appid", "name", "version", "args")


@require_http_methods(["GET", "POST"])
@identity_required
def functional_page(request: HttpRequest, identity: Identity) -> HttpResponse:
    source = request.POST if request.method == "POST" else request.GET
    navigator = {name: source.get(name, "").strip() for name in FIELDS}
    context = {"identity": identity, "navigator": navigator, "here": request.get_full_path()}
    try:
        page = services.open_page(identity=identity, **navigator)
    except PlatformError as error:
        return _refused(request, context, error)
    if isinstance(page, services.Outcome):
        return _outcome(request, context, page)
    context.update(_facts(page))
    if request.method == "GET":
        return render(request, "mobile/functional/page.html", {**context, "form": None})
    form = PayDecisionForm(request.POST)
    if not form.is_valid():
        return render(request, "mobile/functional/page.html", {**context, "form": form}, status=400)
    if form.cleaned_data["decision"] == CANCEL:
        return render(request, "mobile/functional/done.html", {**context, "cancelled": True})
    assert form.cleaned_data["decision"] == CONFIRM
    try:
        outcome = services.confirm(actor=Actor.for_identity(identity), page=page)
    except PlatformError as error:
        return _refused(request, context, error)
    return render(request, "mobile/functional/done.html", {**context, "outcome": outcome})


def _facts(page: services.Page) -> dict:
    return {
        "page": page,
        "plugin": page.plugin,
        "owner": page.owner,
        "owner_name": page.owner.name or page.owner.appid,
        "is_login": page.name == services.LOGIN,
        "payment": page.payment,
    }


# Outcomes a member fixes by entering the owner's development version again (FP-7).
PREVIEW_FIXES = ("page_not_found", "develop_expired")


def _outcome(request: HttpRequest, context: dict, outcome: services.Outcome) -> HttpResponse:
    context.update(outcome=outcome, outcome_message=outcome.message())
    navigator = context["navigator"]
    if outcome.outcome in PREVIEW_FIXES and navigator["version"] == services.DEVELOP:
        plugin = plugin_by_appid(navigator["plugin_appid"])
        context["preview_appid"] = plugin.owner.appid if plugin is not None else ""
    return render(request, "mobile/functional/outcome.html", context)


def _refused(request: HttpRequest, context: dict, error: PlatformError) -> HttpResponse:
    context.update(error=error, error_message=error.message())
    return render(request, "mobile/functional/refused.html", context)


@require_http_methods(["GET", "POST"])
@identity_required
def functional_preview(request: HttpRequest, identity: Identity, appid: str) -> HttpResponse:
    """FP-7: enter the owner mini program's development version once."""
    owner = material.launch_target(appid)
    if owner is None:
        raise Http404
    context = {"identity": identity, "owner": owner, "owner_name": owner.name or owner.appid}
    if request.method == "GET":
        return render(request, "mobile/functional/preview.html", context)
    try:
        preview = services.functional_preview_open(
            actor=Actor.for_identity(identity), identity=identity, owner=owner
        )
    except PlatformError as error:
        return _refused(request, context, error)
    context.update(
        preview=preview,
        expires_at=services.selectors.preview_expires_at(preview),
        functional_pages=services.selectors.has_functional_pages(preview.dev_version),
    )
    return render(request, "mobile/functional/preview.html", context)
