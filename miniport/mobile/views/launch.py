"""The launch page a mini program code opens in a phone's browser (INF-7), with the
released version the super-app launches (VER-6): `releases.selectors.launch_manifest`
with env release, the same answer /runtime/v1/launch gives for this identity (or for
a visitor who is not signed in, who never falls in a gray release)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from miniport.core.errors import PlatformError
from miniport.miniprograms.services import material
from miniport.mobile.auth import current_identity
from miniport.releases import selectors


@require_GET
def launch(request: HttpRequest, appid: str) -> HttpResponse:
    """What the mini program code opens in a phone's browser (INF-7): the mini
    program's name, avatar and introduction, that it runs in the super-app, and which
    released version it launches (or why none: nothing released yet, or paused)."""
    mp = material.launch_target(appid)
    if mp is None:
        raise Http404
    identity = current_identity(request)
    context: dict[str, Any] = {
        "identity": identity,
        "miniprogram": mp,
        "name": mp.name or mp.appid,
        "avatar_url": material.avatar_url(mp),
    }
    try:
        context["manifest"] = selectors.launch_manifest(
            miniprogram=mp, identity=identity, env="release"
        )
    except PlatformError as error:
        context["release_error"] = error.message()
    return render(request, "mobile/launch/index.html", context)
