"""The console home (INF-9) and, for visitors, the landing page."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from miniport.console import checklist
from miniport.console.access import console_view
from miniport.console.views.common import page

# The home page's permission; its menu entry names the same one (`menu.MENU`).
HOME = "home.view"


def landing(request):
    """Visitors without any console session (member logins have no account but do have
    one) see the landing page with register and log in."""
    return render(request, "console/home/landing.html")


@require_GET
@console_view(action=HOME, visitor=landing)
def home(request):
    return page(
        request,
        "console/home/index.html",
        checklist=checklist.build(request.miniprogram, request.console.roles),
    )
