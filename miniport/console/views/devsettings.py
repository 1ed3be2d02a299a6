"""Settings › Development settings (DEV-1..DEV-3): the AppID, the AppSecret (generated or
reset after the administrator's scan, shown once), the API IP whitelist, server and
web-view domains, and message push.

The permission table decides: `devsettings.view` opens the page (anyone else gets 404),
`devsettings.edit` changes whitelist, domains and push, `secret.reset` generates or
resets the AppSecret (the administrator only). The AppSecret and a new IP whitelist
both wait for the administrator's scan, confirmed from the browser session that asked. Every change is one devsettings service.
Forms in `console/forms/devsettings.py`, templates in `templates/console/devsettings/`.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from miniport.console.access import actor_of, console_view
from miniport.console.forms.common import attach_error
from miniport.console.forms.devsettings import (
    DOMAIN_LABELS,
    DomainsForm,
    IpWhitelistForm,
    PushForm,
    WebviewForm,
)
from miniport.console.views.common import (
    complete_scan,
    keep_for_one_display,
    page,
    take_for_display,
)
from miniport.core import policy
from miniport.core.errors import ErrorCode, PlatformError
from miniport.identities import selectors as identity_selectors
from miniport.identities import services as identity_services
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.models.devsettings import DOMAIN_FIELDS
from miniport.miniprograms.services import devsettings, push
from miniport.web.sessions import session_key_of

SECRET_TICKET = "console_secret_reset_ticket"
SECRET_SHOWN = "console_secret_shown"
WHITELIST_TICKET = "console_ip_whitelist_ticket"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


@console_view(action="devsettings.view")
@require_GET
def dev_settings(request):
    """DEV-1..DEV-3: the overview of the development settings."""
    mp = request.miniprogram
    dev = devsettings.settings_for(mp)
    domains = devsettings.current_domains(dev)
    return page(
        request,
        "console/devsettings/index.html",
        dev=dev,
        domain_rows=[(DOMAIN_LABELS[name], domains[name]) for name in DOMAIN_FIELDS],
        modifications_left=devsettings.domain_modifications_left(mp),
        modifications_limit=policy.value("dev.domain_modifications_per_month"),
        personal=mp.subject.subject_type == "personal",
        can_edit=request.console.may("devsettings.edit"),
        can_reset_secret=request.console.may("secret.reset"),
        can_manage_upload_keys=request.console.may("upload_keys.manage"),
    )


@console_view(action="secret.reset", visible_with="devsettings.view")
@require_POST
def dev_secret_start(request):
    """DEV-2: ask the administrator to confirm by scan before a secret is issued."""
    ticket = devsettings.secret_reset_request(
        actor=actor_of(request),
        miniprogram=request.miniprogram,
        session_key=session_key_of(request),
    )
    request.session[SECRET_TICKET] = ticket.token
    return redirect("console:dev_secret_confirm")


@never_cache
@console_view(action="secret.reset", visible_with="devsettings.view")
@require_http_methods(["GET", "POST"])
def dev_secret_confirm(request):
    """DEV-2: the QR for the administrator; once confirmed, the new secret, shown once."""
    key = session_key_of(request)
    ticket = identity_selectors.session_ticket(
        token=request.session.get(SECRET_TICKET, ""), session_key=key
    )
    if ticket is None:
        return redirect("console:dev_settings")
    error = ""
    if request.method == "POST":
        first = request.miniprogram.secret_set_at is None

        def show_once(secret: str):
            keep_for_one_display(request, SECRET_SHOWN, secret, first=first)
            return redirect("console:dev_secret_shown")

        answer, error = complete_scan(
            request,
            back="console:dev_settings",
            ticket_key=SECRET_TICKET,
            complete=lambda: devsettings.secret_reset_complete(
                actor=actor_of(request),
                miniprogram=request.miniprogram,
                ticket_token=ticket.token,
                session_key=key,
            ),
            done=show_once,
        )
        if answer is not None:
            return answer
    return page(
        request,
        "console/devsettings/secret_confirm.html",
        ticket=ticket,
        scan_url=identity_services.scan_url(ticket),
        ticket_error=error,
        confirm_url=reverse("console:dev_secret_confirm"),
    )


@never_cache
@console_view(action="secret.reset", visible_with="devsettings.view")
@require_GET
def dev_secret_shown(request):
    """DEV-2: the new secret, shown once: the first display takes it out of the session;
    a reload finds it gone and says so. The sentence tells a first generation from a reset."""
    secret, shown = take_for_display(request, SECRET_SHOWN)
    if not secret:
        messages.info(
            request,
            _(
                "The AppSecret is shown only once and cannot be shown again. "
                "If you did not save it, reset it."
            ),
        )
        return redirect("console:dev_settings")
    return page(
        request,
        "console/devsettings/secret_shown.html",
        secret=secret,
        first=bool(shown.get("first")),
    )


def _edit_page(request, form, *, title: str, intro: str = ""):
    return page(request, "console/devsettings/edit.html", form=form, title=title, intro=intro)


def _save(request, form, save, *, done: str, unchanged: tuple[ErrorCode, str] | None = None):
    """Run one devsettings service with the bound form's data. Success: the message and
    back to the overview; a refusal is attached to the form and None returned.

    `unchanged` is the service's "nothing to change" code with the page's sentence for
    it: the wire keeps the API's errmsg (wechat-api 6.1, 6.2), but on the page saving the
    lists as they are is no mistake, so it is said as information, not as an error, and
    nothing is spent."""
    if not form.is_valid():
        return None
    try:
        save(form.cleaned_data)
    except PlatformError as error:
        if unchanged is not None and error.code == unchanged[0]:
            messages.info(request, unchanged[1])
            return redirect("console:dev_settings")
        attach_error(form, error)
        return None
    messages.success(request, done)
    return redirect("console:dev_settings")


def _edit(
    request,
    form_class,
    save,
    *,
    done: str,
    initial,
    title: str,
    intro,
    unchanged: tuple[ErrorCode, str] | None = None,
):
    """One settings form: on POST the bound form runs `save` (see `_save`); otherwise the
    form starts from `initial()`. The page shows `intro()` under the title."""
    if request.method == "POST":
        form = form_class(request.POST)
        saved = _save(request, form, save, done=done, unchanged=unchanged)
        if saved:
            return saved
    else:
        form = form_class(initial=initial())
    return _edit_page(request, form, title=title, intro=intro())


@console_view(action="devsettings.edit", visible_with="devsettings.view")
@require_http_methods(["GET", "POST"])
def dev_ip_whitelist(request):
    """DEV-2: the addresses allowed to fetch the access_token with the AppSecret. A new
    list takes effect only once the administrator confirms it by scan (issue 9 item 9)."""
    mp = request.miniprogram

    if request.method == "POST":
        form = IpWhitelistForm(request.POST)
        if form.is_valid():
            try:
                ticket = devsettings.ip_whitelist_request(
                    actor=actor_of(request),
                    miniprogram=mp,
                    entries=_lines(form.cleaned_data["ip_whitelist"]),
                    session_key=session_key_of(request),
                )
            except PlatformError as error:
                attach_error(form, error)
            else:
                request.session[WHITELIST_TICKET] = ticket.token
                return redirect("console:dev_ip_whitelist_confirm")
    else:
        current = devsettings.settings_for(mp).ip_whitelist or []
        form = IpWhitelistForm(initial={"ip_whitelist": "\n".join(current)})
    return _edit_page(
        request,
        form,
        title=_("IP whitelist"),
        intro=_("At most %(limit)d entries. The administrator confirms a change by scan.")
        % {"limit": policy.value("dev.ip_whitelist_max")},
    )


@never_cache
@console_view(action="devsettings.edit", visible_with="devsettings.view")
@require_http_methods(["GET", "POST"])
def dev_ip_whitelist_confirm(request):
    """DEV-2: the QR for the administrator; once confirmed, the new whitelist applies."""
    key = session_key_of(request)
    ticket = identity_selectors.session_ticket(
        token=request.session.get(WHITELIST_TICKET, ""), session_key=key
    )
    if ticket is None or ticket.payload.get("appid") != request.miniprogram.appid:
        return redirect("console:dev_ip_whitelist")
    error = ""
    if request.method == "POST":

        def saved(_result):
            messages.success(request, _("The IP whitelist was saved."))
            return redirect("console:dev_settings")

        answer, error = complete_scan(
            request,
            back="console:dev_settings",
            ticket_key=WHITELIST_TICKET,
            complete=lambda: devsettings.ip_whitelist_complete(
                actor=actor_of(request),
                miniprogram=request.miniprogram,
                ticket_token=ticket.token,
                session_key=key,
            ),
            done=saved,
        )
        if answer is not None:
            return answer
    return page(
        request,
        "console/devsettings/ip_whitelist_confirm.html",
        ticket=ticket,
        entries=ticket.payload.get("ip_whitelist") or [],
        scan_url=identity_services.scan_url(ticket),
        ticket_error=error,
        confirm_url=reverse("console:dev_ip_whitelist_confirm"),
    )


@console_view(action="devsettings.edit", visible_with="devsettings.view")
@require_http_methods(["GET", "POST"])
def dev_domains(request):
    """DEV-3: the six server-domain lists; each save uses one of the month's changes."""
    mp = request.miniprogram

    def initial():
        current = devsettings.current_domains(devsettings.settings_for(mp))
        return {name: "\n".join(current[name]) for name in DOMAIN_FIELDS}

    def intro():
        return _(
            "Each list holds at most %(limit)d domains. "
            "Changes left this month: %(left)d of %(total)d."
        ) % {
            "limit": policy.value("dev.domains_per_type_max"),
            "left": devsettings.domain_modifications_left(mp),
            "total": policy.value("dev.domain_modifications_per_month"),
        }

    return _edit(
        request,
        DomainsForm,
        lambda data: devsettings.domains_modify(
            actor=actor_of(request),
            miniprogram=mp,
            action="set",
            requested={name: _lines(data[name]) for name in DOMAIN_FIELDS},
            strict=True,
        ),
        done=_("The server domains were saved."),
        unchanged=(
            MiniProgramError.DOMAIN_NOTHING_TO_MODIFY,
            _("Nothing changed: the server domains are the same as before."),
        ),
        initial=initial,
        title=_("Server domains"),
        intro=intro,
    )


@console_view(action="devsettings.edit", visible_with="devsettings.view")
@require_http_methods(["GET", "POST"])
def dev_webview(request):
    """DEV-3: business (web-view) domains; not for personal mini programs."""
    mp = request.miniprogram
    return _edit(
        request,
        WebviewForm,
        lambda data: devsettings.webview_domains_modify(
            actor=actor_of(request),
            miniprogram=mp,
            action="set",
            domains=_lines(data["webviewdomain"]),
        ),
        done=_("The business domains were saved."),
        unchanged=(
            MiniProgramError.WEBVIEW_NO_CHANGE,
            _("Nothing changed: the business domains are the same as before."),
        ),
        initial=lambda: {
            "webviewdomain": "\n".join(devsettings.settings_for(mp).webview_domains or [])
        },
        title=_("Business domains"),
        intro=lambda: (
            _("At most %(limit)d domains. Changes left this month: %(left)d.")
            % {
                "limit": policy.value("dev.webview_domains_max"),
                "left": devsettings.domain_modifications_left(mp),
            }
        ),
    )


@console_view(action="devsettings.edit", visible_with="devsettings.view")
@require_http_methods(["GET", "POST"])
def dev_push(request):
    """DEV-3: message push; saved only after the server passes the URL verification."""
    mp = request.miniprogram

    def initial():
        dev = devsettings.settings_for(mp)
        return {
            "push_url": dev.push_url,
            "push_token": dev.push_token,
            "push_aes_key": dev.push_aes_key or push.new_aes_key(),
            "push_mode": dev.push_mode,
            "push_format": dev.push_format,
        }

    return _edit(
        request,
        PushForm,
        lambda data: push.push_configure(
            actor=actor_of(request),
            miniprogram=mp,
            url=data["push_url"],
            token=data["push_token"],
            aes_key=data["push_aes_key"],
            mode=data["push_mode"],
            data_format=data.get("push_format") or "xml",
        ),
        done=_("The server answered the verification: message push is on."),
        initial=initial,
        title=_("Message push"),
        intro=lambda: _(
            "The platform sends a GET request with signature, timestamp, nonce and echostr to "
            "the URL; the server proves it knows the Token by answering the echostr."
        ),
    )


@console_view(action="devsettings.edit", visible_with="devsettings.view")
@require_POST
def dev_push_disable(request):
    push.push_disable(actor=actor_of(request), miniprogram=request.miniprogram)
    messages.success(request, _("Message push is off."))
    return redirect("console:dev_settings")
