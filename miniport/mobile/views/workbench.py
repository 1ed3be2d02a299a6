"""The enterprise workbench on the phone (WW-4), at /m/work/: per enterprise the signed-in
identity belongs to, the released mini programs whose visibility range includes it
(directly or through a department, subdepartments included). Opening one goes through
the launch context "enterprise" (`miniport.links.launch`, the same check
/runtime/v1/launch runs with via=enterprise&via_id=<corp_id>) and then the released
version's launch, so a member outside the range, a non-member, an ended association or
an unreleased mini program gets the refusal on the page, never the mini program."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from miniport.core.errors import PlatformError
from miniport.identities.models import Identity
from miniport.links import launch as launch_contexts
from miniport.links.enterprise import selectors
from miniport.links.enterprise.launch import VIA
from miniport.miniprograms.services import material
from miniport.mobile.auth import identity_required
from miniport.releases import selectors as release_selectors


@require_GET
@identity_required
def workbench(request: HttpRequest, identity: Identity) -> HttpResponse:
    entries = selectors.workbench(identity)
    return render(
        request, "mobile/workbench/index.html", {"identity": identity, "entries": entries}
    )


@require_GET
@identity_required
def workbench_open(request: HttpRequest, identity: Identity, corp_id: str, appid: str):
    enterprise = selectors.by_corp_id(corp_id)
    mp = material.launch_target(appid)
    if enterprise is None or mp is None:
        raise Http404
    context = {
        "identity": identity,
        "enterprise": enterprise,
        "miniprogram": mp,
        "name": mp.name or mp.appid,
        "avatar_url": material.avatar_url(mp),
    }
    try:
        launch_contexts.launch_check(
            via=VIA, via_id=enterprise.corp_id, identity=identity, miniprogram=mp
        )
        context["manifest"] = release_selectors.launch_manifest(
            miniprogram=mp, identity=identity, env="release"
        )
    except PlatformError as error:
        context["refusal"] = error.message()
        return render(request, "mobile/workbench/open.html", context, status=403)
    return render(request, "mobile/workbench/open.html", context)


# Included by mobile/urls.py under "work/".
urlpatterns = [
    path("", workbench, name="workbench"),
    path("<str:corp_id>/<str:appid>/", workbench_open, name="workbench_open"),
]
