"""The experience version's shareable phone page (VER-2, seed 004 "前往体验版"): what the
QR code of the console's version management page opens.

Only project members and experience members may open it: the permission table's
`experience.use`, asked by `releases.selectors.launch_manifest(env="trial")`, the same
answer the runtime gives the super-app. A visitor signs in on the phone pages first and
comes back; anyone else gets a refusal page that says why. An unknown or inactive mini
program has no page."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from miniport.core.errors import PlatformError
from miniport.identities.models import Identity
from miniport.miniprograms.services import material
from miniport.mobile.auth import identity_required
from miniport.releases import selectors
from miniport.releases.errors import ReleaseError

# What launch_manifest's refusals mean on this page: the version is not there yet (the
# member may come back later), or the identity may not open it.
NOT_YET = {ReleaseError.LAUNCH_NO_VERSION}


@require_GET
@identity_required
def trial(request: HttpRequest, identity: Identity, appid: str) -> HttpResponse:
    """VER-2: the experience version of `appid` for a member or an experience member."""
    mp = material.launch_target(appid)
    if mp is None:
        raise Http404
    context = {
        "identity": identity,
        "miniprogram": mp,
        "name": mp.name or mp.appid,
        "here": request.get_full_path(),
    }
    try:
        manifest = selectors.launch_manifest(miniprogram=mp, identity=identity, env="trial")
    except PlatformError as error:
        not_yet = error.code in NOT_YET
        context.update(error=error, error_message=error.message(), not_yet=not_yet)
        return render(request, "mobile/trial/refused.html", context, status=200 if not_yet else 403)
    launch_query = urlencode({"appid": mp.appid, "env": manifest.env})
    context.update(
        manifest=manifest,
        version=manifest.dev_version,
        launch_request=f"/runtime/v1/launch?{launch_query}",
    )
    return render(request, "mobile/trial/index.html", context)
