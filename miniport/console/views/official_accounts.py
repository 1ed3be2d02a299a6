"""The official-account console (OA-1, OA-3), at /oa/<appid>/: its administrator is an
identity signed in by one scan (`console/linked_access.py`). Every page loads the
official account through `selectors.managed_official_account`, so anyone else gets 404.

- Profile: name and introduction; reset the AppSecret (shown once on the next page).
- Menu: the buttons (a web page, or an associated mini program with page path and the
  fallback URL), as many as the policy allows.
- Mini programs: the associations and requests; associate one by AppID, which waits for
  that mini program administrator's scan (the ticket shows on their phone); unlink.
"""

from __future__ import annotations

import re

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from miniport.console.forms.common import attach_error
from miniport.console.forms.official_accounts import AppIdForm, MenuForm, ProfileForm
from miniport.console.linked_access import linked_actor, linked_view
from miniport.console.views.common import keep_for_one_display, take_for_display
from miniport.core.errors import PlatformError
from miniport.links.official_accounts import credentials, links, selectors, services
from miniport.links.official_accounts.models import LIVE_STATES, LinkStatus, OfficialAccount

GET_POST = ["GET", "POST"]
_BUTTON_FIELD = re.compile(r"^button_(\d+)_(\w+)\Z")
SECRET_SHOWN = "linked_oa_secret_shown"


def _official_account(request, appid: str) -> OfficialAccount:
    oa = selectors.managed_official_account(request.linked_identity, appid)
    if oa is None:
        raise Http404("no such official account")
    return oa


def _render(request, template: str, oa: OfficialAccount, tab: str, status=200, **context):
    return render(
        request,
        template,
        {"oa": oa, "tab": tab, "identity": request.linked_identity, **context},
        status=status,
    )


@linked_view
@require_http_methods(GET_POST)
def official_account_profile(request, appid: str):
    """OA-1: the official account's name and introduction."""
    oa = _official_account(request, appid)
    initial = {"name": oa.name, "introduction": oa.introduction}
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.official_account_profile_update(
                actor=linked_actor(request),
                official_account=oa,
                name=form.cleaned_data["name"],
                introduction=form.cleaned_data["introduction"],
            )
        except PlatformError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("The profile is saved."))
            return redirect("console:official_account_profile", appid=oa.appid)
    status = 400 if form.errors else 200
    return _render(
        request, "console/official_accounts/profile.html", oa, "profile", status, form=form
    )


@linked_view
@require_http_methods(GET_POST)
def official_account_secret_reset(request, appid: str):
    """OA-1: a new AppSecret for the administrator (already signed in by scan); the old
    one stops working, issued tokens live until they expire. The secret waits, sealed,
    for its one display. The profile's button leads to a confirmation (GET) that says
    so; its button resets (POST)."""
    oa = _official_account(request, appid)
    if request.method == "GET":
        return _render(request, "console/official_accounts/secret_confirm.html", oa, "profile")
    secret = credentials.secret_reset(actor=linked_actor(request), official_account=oa)
    keep_for_one_display(request, SECRET_SHOWN, secret, owner=oa.appid)
    return redirect("console:official_account_secret_shown", appid=oa.appid)


@never_cache
@linked_view
@require_GET
def official_account_secret_shown(request, appid: str):
    """The new AppSecret, shown once: a reload finds it gone and says so."""
    oa = _official_account(request, appid)
    secret, _facts = take_for_display(request, SECRET_SHOWN, owner=oa.appid)
    if not secret:
        messages.info(
            request,
            _(
                "The AppSecret is shown only once and cannot be shown again. "
                "If you did not save it, reset it."
            ),
        )
        return redirect("console:official_account_profile", appid=oa.appid)
    return _render(
        request, "console/official_accounts/secret_shown.html", oa, "profile", secret=secret
    )


def _menu_form(request, oa: OfficialAccount, stale: dict[int, dict[str, str]]) -> MenuForm:
    linked = [
        (link.miniprogram.appid, f"{link.miniprogram} ({link.miniprogram.appid})")
        for link in selectors.links_of_official_account(oa)
        if link.effective == LinkStatus.LINKED  # type: ignore[attr-defined]
    ]
    # A button whose mini program is no longer associated keeps showing its AppID (not
    # "—"), marked as such; saving it unchanged is refused on that field (MENU_NOT_LINKED).
    for appid in dict.fromkeys(button["appid"] for button in stale.values()):
        name = next(b["miniprogram"] for b in stale.values() if b["appid"] == appid)
        label = _("%(name)s (%(appid)s), no longer associated") % {
            "name": name or appid,
            "appid": appid,
        }
        linked.append((appid, label))
    count = services.menu_limits()["buttons"]
    initial = MenuForm.initial_for(oa.menu or [])
    return MenuForm(request.POST or None, initial=initial, buttons=count, linked=linked)


def _attach_menu_error(form: MenuForm, error: PlatformError, rows: list[int]) -> None:
    """The service counts the buttons entered; the form's rows may have gaps."""
    match = _BUTTON_FIELD.match(error.field or "")
    if match and int(match[1]) < len(rows):
        error.field = f"button_{rows[int(match[1])]}_{match[2]}"
    attach_error(form, error)


@linked_view
@require_http_methods(GET_POST)
def official_account_menu(request, appid: str):
    """OA-1, OA-3: the menu editor."""
    oa = _official_account(request, appid)
    stale = selectors.stale_menu_buttons(oa)
    form = _menu_form(request, oa, stale)
    count = len(form.rows)
    if request.method == "POST" and form.is_valid():
        buttons = form.buttons(count)
        rows = [i for i in range(count) if form.cleaned_data.get(f"button_{i}_type")]
        try:
            services.official_account_menu_update(
                actor=linked_actor(request), official_account=oa, buttons=buttons
            )
        except PlatformError as error:
            _attach_menu_error(form, error, rows)
        else:
            messages.success(request, _("The menu is saved."))
            return redirect("console:official_account_menu", appid=oa.appid)
    status = 400 if form.errors else 200
    return _render(
        request,
        "console/official_accounts/menu.html",
        oa,
        "menu",
        status,
        form=form,
        rows=[{"fields": fields, "stale": stale.get(i)} for i, fields in enumerate(form.rows)],
        stale=list(stale.values()),
        limits=services.menu_limits(),
    )


@linked_view
@require_http_methods(GET_POST)
def official_account_links(request, appid: str):
    """OA-3: the associated mini programs and the requests; associate one by AppID."""
    oa = _official_account(request, appid)
    form = AppIdForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            links.link_request(
                actor=linked_actor(request), official_account=oa, appid=form.cleaned_data["appid"]
            )
        except PlatformError as error:
            attach_error(form, error)
        else:
            messages.success(
                request, _("Request sent: the mini program's administrator confirms it by scan.")
            )
            return redirect("console:official_account_links", appid=oa.appid)
    status = 400 if form.errors else 200
    return _render(
        request,
        "console/official_accounts/links.html",
        oa,
        "links",
        status,
        form=form,
        rows=[
            row
            for row in selectors.links_of_official_account(oa)
            if row.effective in LIVE_STATES  # type: ignore[attr-defined]
        ],
        history=selectors.ended_links_of_official_account(oa),
        limits=services.link_limits(),
    )


@linked_view
@require_http_methods(GET_POST)
def official_account_unlink(request, appid: str, pk: int):
    """Unlink an associated mini program, or withdraw a waiting request: the list's
    button leads to a confirmation naming the mini program (GET); its button acts (POST)."""
    oa = _official_account(request, appid)
    link = oa.links.select_related("miniprogram").filter(pk=pk).first()
    if link is None:
        raise Http404("no such association")
    if request.method == "GET":
        effective = selectors.effective_status(link)
        if effective not in LIVE_STATES:
            return redirect("console:official_account_links", appid=oa.appid)
        return _render(
            request,
            "console/official_accounts/unlink_confirm.html",
            oa,
            "links",
            link=link,
            waiting=effective == LinkStatus.WAITING,
        )
    try:
        links.unlink(actor=linked_actor(request), link=link)
    except PlatformError as error:
        messages.error(request, error.message())
    else:
        messages.success(request, _("The association has ended."))
    return redirect("console:official_account_links", appid=oa.appid)
