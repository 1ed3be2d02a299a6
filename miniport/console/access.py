"""Who acts in the console, in which mini program, with which roles.

A console session is one of:
- an account that logged in with its password AND whose session was confirmed by
  the administrator's scan (REG-10): it acts in the account's own mini program;
- an identity that logged in by scan alone and chose one of the mini programs it
  holds roles in (member login): it acts in that mini program.

Either way the roles come from `miniprograms.selectors.roles_of` on every request,
so a removed member or a former administrator loses access at once, and every page
is decided by the one permission table (`miniprograms.permissions`). Console views use
`console_view(action=...)`, which sets `request.miniprogram` and `request.console`
(`ConsoleAccess`), load every object through `owned_or_404`, so objects of another mini
program answer 404, and name who acts with `actor_of(request)`.

Outcomes: no console session → the login page (or the page's own visitor page, the
home's landing page); a session whose identity holds no console role in the mini
program, or no right to see the page → 404 (outsiders learn nothing); a member who
sees the page but may not make the change → 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404
from django.shortcuts import redirect

from miniport.console import session, wizard
from miniport.core.actors import Actor
from miniport.identities.selectors import identity_by_id
from miniport.miniprograms import permissions, selectors
from miniport.miniprograms.models import MiniProgram

# The mini program an identity chose after a member login (no account in that session).
MEMBER_APPID = "console_member_appid"
ENTER = "console.enter"


@dataclass(frozen=True)
class ConsoleAccess:
    miniprogram: MiniProgram
    identity_id: int
    roles: frozenset[str]
    actor: Actor

    def may(self, action: str) -> bool:
        return permissions.allowed(self.roles, action)


def _session_miniprogram(request) -> MiniProgram | None:
    queryset = MiniProgram.objects.select_related("subject__registration", "admin_identity")
    user = request.user
    if user.is_authenticated:
        return None if user.is_staff else queryset.filter(account=user).first()
    appid = request.session.get(MEMBER_APPID)
    return queryset.filter(appid=appid).first() if isinstance(appid, str) and appid else None


def console_access(request) -> ConsoleAccess | None:
    """The console session of this request, or None when there is none. Its roles may be
    empty: the caller decides what an outsider gets."""
    cached = getattr(request, "_console_access", None)
    if cached is not None:
        return cached
    miniprogram = _session_miniprogram(request)
    identity = identity_by_id(session.identity_id(request))
    if miniprogram is None or identity is None:
        return None
    roles = frozenset(selectors.roles_of(identity, miniprogram))
    if request.user.is_authenticated and permissions.ADMINISTRATOR not in roles:
        # The account login is the administrator's (REG-10); after a hand-over the
        # old administrator's session is no console session any more.
        return None
    access = ConsoleAccess(miniprogram, identity.pk, roles, Actor.for_identity(identity))
    request._console_access = access
    return access


def identity_may_enter(miniprogram: MiniProgram, identity_id: int | None) -> bool:
    return permissions.allowed(selectors.roles_of(identity_id, miniprogram), ENTER)


def console_miniprogram(request) -> MiniProgram | None:
    """The mini program this request may manage, or None."""
    access = console_access(request)
    return access.miniprogram if access is not None and access.may(ENTER) else None


def remember_member(request, identity_id: int, miniprogram: MiniProgram) -> None:
    """Finish a member login: the session now acts as this identity in this mini program.
    The caller has cycled the session key."""
    session.remember_identity(request, identity_id)
    request.session[MEMBER_APPID] = miniprogram.appid


def console_view(view=None, *, action: str = ENTER, visible_with: str | None = None, visitor=None):
    """Decorator: the view runs with `request.miniprogram` and `request.console` when the
    session's roles allow `action`.

    Without a console session the visitor is sent to log in (or, for an account still
    registering, to its registration step); a page that has something to show visitors
    (the home's landing page) names it as `visitor`, which then answers a visitor who
    is not logged in at all. Roles without console access, or without `visible_with`
    (default: `action` itself), get 404: the page does not exist for them. Roles that
    see the page but lack `action` (a change on a page they may read) get 403.
    `console_action`, `console_visible_with` and `console_visitor` on the view name
    all three, for the permission matrix.
    """
    visible = visible_with or action
    for name in (action, visible):
        if name not in permissions.PERMISSIONS:
            raise ValueError(f"unknown permission action {name!r}")  # fails at import time

    def decorate(inner):
        @wraps(inner)
        def wrapper(request, *args, **kwargs):
            access = console_access(request)
            # What this gate decided, kept on the request for the permission matrix.
            request.console_gate = "login" if access is None else "open"
            if access is None:
                user = request.user
                if (
                    user.is_authenticated
                    and not user.is_staff
                    and not MiniProgram.objects.filter(account=user).exists()
                ):
                    return redirect(wizard.next_url(user))
                if visitor is not None and not user.is_authenticated:
                    request.console_gate = "visitor"
                    return visitor(request, *args, **kwargs)
                return redirect_to_login(request.get_full_path())
            if not (access.may(ENTER) and access.may(visible)):
                request.console_gate = "404"
                raise Http404
            if not access.may(action):
                request.console_gate = "403"
                raise PermissionDenied
            request.miniprogram = access.miniprogram
            request.console = access
            return inner(request, *args, **kwargs)

        # Marks read by the menu, the checklist and the permission-matrix test.
        marked: Any = wrapper
        marked.console_action = action
        marked.console_visible_with = visible
        marked.console_visitor = visitor is not None
        return marked

    return decorate(view) if view is not None else decorate


def actor_of(request) -> Actor:
    """Who acts in this request: on a `console_view` page the identity of the console
    session, elsewhere (the registration wizard) the logged-in account."""
    access = getattr(request, "console", None)
    if isinstance(access, ConsoleAccess):
        return access.actor
    return Actor.for_account(request.user)


def owned_or_404(
    request, source: type[Model] | QuerySet, *, owner_field: str = "miniprogram", **lookup
):
    """One object of the request's mini program; 404 for anything else, including
    objects that exist but belong to another mini program."""
    queryset = source if isinstance(source, QuerySet) else source._default_manager.all()
    found = queryset.filter(**{owner_field: request.miniprogram}, **lookup).first()
    if found is None:
        raise Http404
    return found
