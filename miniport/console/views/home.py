"""The console home (INF-9) and, for visitors, the landing page."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from miniport.accounts.selectors import registration_state
from miniport.console import checklist, menu
from miniport.console.access import console_view
from miniport.console.views.status import badge_of

# The home page's permission; its menu entry names the same one (`menu.MENU`).
HOME = "home.view"


def shell_context(request) -> dict:
    """What every page inside the console shell needs: the menu and the mini program."""
    match = getattr(request, "resolver_match", None)
    miniprogram = request.miniprogram
    state = registration_state(miniprogram.subject.registration)
    return {
        "menu": menu.build(match.view_name if match else None, request.console.roles),
        "miniprogram": miniprogram,
        "registration_state": state,
        "registration_badge": badge_of(state),
    }


def landing(request):
    """Visitors without any console session (member logins have no account but do have
    one) see the landing page with register and log in."""
    return render(request, "console/landing.html")


@require_GET
@console_view(action=HOME, visitor=landing)
def home(request):
    context = shell_context(request)
    context["checklist"] = checklist.build(request.miniprogram, request.console.roles)
    return render(request, "console/home.html", context)
