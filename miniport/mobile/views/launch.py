"""The launch page a mini program code opens in a phone's browser (INF-7)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from miniport.miniprograms.services import material
from miniport.mobile.auth import current_identity


@require_GET
def launch(request: HttpRequest, appid: str) -> HttpResponse:
    """What the mini program code opens in a phone's browser (INF-7): the mini
    program's name, avatar and introduction, and that it runs in the super-app."""
    mp = material.launch_target(appid)
    if mp is None:
        raise Http404
    context = {
        "identity": current_identity(request),
        "miniprogram": mp,
        "name": mp.name or mp.appid,
        "avatar_url": material.avatar_url(mp),
    }
    return render(request, "mobile/launch/index.html", context)
