"""Forgot account or password ("忘记帐号或密码", issue 10 item 2), from the login page.

- Forgotten password: the email and the captcha; the same "mail sent" page whatever the
  email. The link of the mail is taken out of the address bar at once (kept in the
  session, as Django's own reset view does) and opens the new password form. Setting the
  password logs nobody in: the login page follows, and the administrator's scan with it.
- Forgotten email: a QR code the administrator identity scans on the phone; this browser
  is then shown, partly hidden, the email of each account whose mini program that
  identity administers.

Forms in `console/forms/recovery.py`, templates in `templates/console/recovery/`.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from miniport.accounts.errors import AccountError
from miniport.accounts.models import Account
from miniport.accounts.services import (
    account_recovery_complete,
    account_recovery_request,
    password_reset_check,
    password_reset_complete,
    password_reset_request,
)
from miniport.console import session
from miniport.console.forms.common import attach_error
from miniport.console.forms.recovery import ForgotPasswordForm, ResetPasswordForm
from miniport.console.tickets import ALIVE
from miniport.core import policy
from miniport.core.errors import PlatformError
from miniport.core.origin import client_ip
from miniport.identities import selectors as identity_selectors
from miniport.identities import services as identity_services
from miniport.identities.models import Identity
from miniport.miniprograms.models import MiniProgram
from miniport.miniprograms.selectors import login_bound_identity
from miniport.web.sessions import session_key_of

# The email typed in the forgot-password form, shown back on the "mail sent" page.
FORGOT_EMAIL = "console_forgot_email"
# The token of the reset link being used, out of the address bar.
RESET_TOKEN = "console_reset_token"
RECOVERY_TICKET = "console_recovery_ticket"
# The partly hidden emails the administrator's scan recovered.
RECOVERY_FOUND = "console_recovery_found"
_LINK_REFUSALS = (AccountError.PASSWORD_RESET_INVALID, AccountError.PASSWORD_RESET_EXPIRED)


@require_http_methods(["GET", "POST"])
def forgot_password(request):
    form = ForgotPasswordForm()
    if request.method == "POST":
        if "refresh_captcha" in request.POST:
            form = ForgotPasswordForm(initial={"email": request.POST.get("email", "")[:254]})
        else:
            form = ForgotPasswordForm(request.POST)
            if form.is_valid():
                email = form.cleaned_data["email"]
                try:
                    password_reset_request(email=email, ip=client_ip(request))
                except PlatformError as error:
                    attach_error(form, error)
                else:
                    request.session[FORGOT_EMAIL] = email.strip()[:254]
                    return redirect("console:forgot_password_sent")
    return render(request, "console/recovery/forgot.html", {"form": form})


@require_GET
def forgot_password_sent(request):
    email = request.session.get(FORGOT_EMAIL)
    if not isinstance(email, str):
        return redirect("console:forgot_password")
    context = {"email": email, "minutes": policy.value("password_reset.link_ttl_minutes")}
    return render(request, "console/recovery/sent.html", context)


def _link_refused(request, error: PlatformError):
    request.session.pop(RESET_TOKEN, None)
    return render(request, "console/recovery/invalid.html", {"error": error}, status=400)


@require_GET
def password_reset_link(request, token: str):
    """The link of the mail: checked (not used), then out of the address bar."""
    try:
        password_reset_check(token=token[:200])
    except PlatformError as error:
        return _link_refused(request, error)
    request.session[RESET_TOKEN] = token[:200]
    return redirect("console:password_reset")


@require_http_methods(["GET", "POST"])
def password_reset(request):
    token = request.session.get(RESET_TOKEN)
    if not isinstance(token, str) or not token:
        return redirect("console:forgot_password")
    try:
        account = password_reset_check(token=token)
    except PlatformError as error:
        return _link_refused(request, error)
    form = ResetPasswordForm()
    if request.method == "POST":
        form = ResetPasswordForm(request.POST)
        if form.is_valid():
            try:
                password_reset_complete(
                    token=token,
                    password=form.cleaned_data["password"],
                    password_confirm=form.cleaned_data["password_confirm"],
                )
            except PlatformError as error:
                if error.code in _LINK_REFUSALS:
                    return _link_refused(request, error)
                attach_error(form, error)
            else:
                request.session.pop(RESET_TOKEN, None)
                # A login this browser had half done belongs to the old password.
                session.forget_login(request)
                messages.success(
                    request,
                    _(
                        "The password has been changed. Log in with the new password; the "
                        "administrator's scan is still needed."
                    ),
                )
                return redirect("console:login")
    return render(request, "console/recovery/reset.html", {"form": form, "account": account})


# -- forgotten email ------------------------------------------------------------------------


def _administered(identity: Identity) -> list[Account]:
    """The accounts whose login this identity's scan completes (the login's own rule,
    `login_bound_identity`): those of the mini programs it administers."""
    programs = MiniProgram.objects.select_related("account").filter(admin_identity=identity)
    accounts = [program.account for program in programs if program.account_id is not None]
    return [account for account in accounts if login_bound_identity(account) == identity]


def _recovery_ticket(request):
    key = session_key_of(request)
    token = request.session.get(RECOVERY_TICKET)
    if isinstance(token, str) and token:
        ticket = identity_selectors.session_ticket(token=token, session_key=key)
        if ticket is not None:
            try:
                state = identity_services.ticket_status(token=token, session_key=key)
            except PlatformError:
                state = None
            if state in ALIVE:
                return ticket
    ticket = account_recovery_request(session_key=key)
    request.session[RECOVERY_TICKET] = ticket.token
    return ticket


def _recovery_page(request, *, error: str = ""):
    ticket = _recovery_ticket(request)
    context = {
        "ticket": ticket,
        "scan_url": identity_services.scan_url(ticket),
        "ticket_error": error,
        "confirm_url": reverse("console:account_recovery_complete"),
    }
    return render(request, "console/recovery/account.html", context)


@require_GET
def account_recovery(request):
    # The ticket is bound to a session key only this browser knows (see member login).
    session.renew_key(request)
    return _recovery_page(request)


@require_POST
def account_recovery_done(request):
    token = request.session.get(RECOVERY_TICKET) or ""
    try:
        found = account_recovery_complete(
            token=str(token), session_key=session_key_of(request), administered=_administered
        )
    except PlatformError as error:
        request.session.pop(RECOVERY_TICKET, None)
        return _recovery_page(request, error=error.message())
    request.session.pop(RECOVERY_TICKET, None)
    request.session[RECOVERY_FOUND] = found
    return redirect("console:account_recovery_found")


@require_GET
def account_recovery_found(request):
    found = request.session.get(RECOVERY_FOUND)
    if not isinstance(found, list):
        return redirect("console:account_recovery")
    return render(request, "console/recovery/found.html", {"emails": found})
