"""Who may use the ops desk: signed-in staff accounts only.

Anonymous visitors are sent to the staff sign-in; a signed-in console account gets a
404, so the desk does not even admit it exists to outsiders.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.urls import reverse

from miniport.core.actors import Actor


def staff_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("ops:login"))
        if not (user.is_staff and user.is_active):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def actor_of(request) -> Actor:
    return Actor.for_account(request.user)
