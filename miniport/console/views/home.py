"""The console home (INF-9) and, for visitors, the landing page."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from miniport.accounts.selectors import registration_state
from miniport.console import checklist, menu
from miniport.console.access import console_access, console_view
from miniport.console.views.status import badge_of


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


@require_GET
def home(request):
    # Member logins (scan only) have no account but a console session.
    if not request.user.is_authenticated and console_access(request) is None:
        return render(request, "console/landing.html")
    return _home(request)


@console_view
def _home(request):
    context = shell_context(request)
    context["checklist"] = checklist.build(request.miniprogram, request.console.roles)
    return render(request, "console/home.html", context)
