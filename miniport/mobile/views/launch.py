"""The launch page a mini program code opens in a phone's browser (INF-7), with the
version the super-app launches (VER-6): `releases.selectors.launch_manifest` for the
code's version, the same answer /runtime/v1/launch gives for this identity (or for a
visitor who is not signed in, who never falls in a gray release).

A code made through the server API carries what it opens in its query (see
`releases.services.wxacode`): `path` (getwxacode, createwxaqrcode), or `scene` and
`page` (getwxacodeunlimit), and `env_version` off the released version. The page shows
them as they came (escaped, as text), and for `env_version` trial or develop the
experience or development version, which only members and experience members may open:
a visitor is asked to sign in first, anyone else is told why not."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from miniport.core.errors import PlatformError
from miniport.miniprograms.services import material
from miniport.mobile.auth import current_identity, login_url
from miniport.releases import selectors
from miniport.releases.services import wxacode

# What the code was made with, in the order the page lists them: the query parameter
# and its label.
OPENED_WITH = (
    ("path", _("Page")),
    ("page", _("Page")),
    ("scene", _("Scene")),
)
# No code holds more (getwxacode's path); a longer value was not made by a code.
SHOWN_CHARS = wxacode.MAX_PATH_CHARS


def _env(request: HttpRequest) -> str:
    """The version the code opens: `env_version` when it names one, else the released."""
    value = request.GET.get("env_version", "")
    return value if value in selectors.ENVS else selectors.ENV_RELEASE


def _opened_with(request: HttpRequest) -> list[dict[str, Any]]:
    shown = []
    for key, label in OPENED_WITH:
        value = request.GET.get(key)
        if value:
            shown.append({"key": key, "label": label, "value": value[:SHOWN_CHARS]})
    return shown


@require_GET
def launch(request: HttpRequest, appid: str) -> HttpResponse:
    """What the mini program code opens in a phone's browser (INF-7): the mini
    program's name, avatar and introduction, that it runs in the super-app, the page
    and scene the code opens, and which version it launches (or why none: nothing
    released yet, paused, no experience version, not a member, not signed in)."""
    mp = material.launch_target(appid)
    if mp is None:
        raise Http404
    identity = current_identity(request)
    env = _env(request)
    context: dict[str, Any] = {
        "identity": identity,
        "miniprogram": mp,
        "name": mp.name or mp.appid,
        "avatar_url": material.avatar_url(mp),
        "env": env,
        "opened_with": _opened_with(request),
    }
    if env != selectors.ENV_RELEASE and identity is None:
        # Only members and experience members open these versions: who is asking?
        context["sign_in_url"] = login_url(request.get_full_path())
        return render(request, "mobile/launch/index.html", context)
    try:
        context["manifest"] = selectors.launch_manifest(miniprogram=mp, identity=identity, env=env)
    except PlatformError as error:
        context["release_error"] = error.message()
    return render(request, "mobile/launch/index.html", context)
