"""What every console view shares: `page` renders a page inside the console shell (the
menu by the session's roles, the mini program, its registration badge), `refused` the
page of an action the platform refused outright.

Each area of the console is `console/views/<area>.py` (views only), its forms
`console/forms/<area>.py` and its templates `templates/console/<area>/`; every route is
in `console/urls.py`. Who acts is `console.access.actor_of`; putting a refusal on a form
is `console.forms.common.attach_error`.
"""

from __future__ import annotations

from django.shortcuts import render

from miniport.accounts.selectors import registration_state
from miniport.console import menu
from miniport.console.views.status import badge_of
from miniport.core.errors import PlatformError


def shell_context(request) -> dict:
    """What every page inside the console shell needs: the menu and the mini program."""
    match = getattr(request, "resolver_match", None)
    miniprogram = request.miniprogram
    state = registration_state(miniprogram.subject.registration)
    return {
        "menu": menu.build(
            match.view_name if match else None, request.console.roles, path=request.path
        ),
        "miniprogram": miniprogram,
        "registration_state": state,
        "registration_badge": badge_of(state),
    }


def page(request, template: str, *, status: int = 200, **context):
    """A page inside the console shell (views behind `console_view` only)."""
    return render(request, template, {**shell_context(request), **context}, status=status)


def refused(request, error: PlatformError, *, back_url: str, back_label: str, status: int = 409):
    """A page for an action the platform refused outright (e.g. editing a confirmed subject)."""
    context = {
        "error": error,
        "message": error.message(),
        "back_url": back_url,
        "back_label": back_label,
    }
    return render(request, "console/refused.html", context, status=status)
