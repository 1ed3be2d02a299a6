"""REG-10: email and password, then the bound administrator's scan. Form in
`console/forms/login.py`, templates in `templates/console/login/`; the member login by
scan alone is `console/views/member_login.py`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, logout
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from miniport.accounts import purposes as account_purposes
from miniport.accounts.errors import AccountError
from miniport.accounts.models import Account
from miniport.accounts.services import (
    login_check_password,
    login_complete_scan,
    login_finish,
    login_request_scan,
)
from miniport.console import devices, session, wizard
from miniport.console.access import console_miniprogram
from miniport.console.forms.common import attach_error
from miniport.console.forms.login import LoginForm
from miniport.console.tickets import ALIVE
from miniport.core.errors import PlatformError
from miniport.core.origin import client_ip
from miniport.identities import services as identity_services
from miniport.identities.models import QrTicket
from miniport.miniprograms.models import MiniProgram
from miniport.miniprograms.selectors import login_bound_identity
from miniport.web.sessions import session_key_of

LOGIN_NEXT = "console_login_next"


def _safe_next(request, candidate: str) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


@require_http_methods(["GET", "POST"])
def login_view(request):
    if console_miniprogram(request) is not None:
        return redirect("console:home")
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next", ""))
    form = LoginForm(request.POST) if request.method == "POST" else LoginForm()
    not_activated = False
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        try:
            account = login_check_password(
                email=email,
                password=form.cleaned_data["password"],
                ip=client_ip(request),
                second_factor=login_bound_identity,
                known_device=lambda account: devices.is_known(request, account),
            )
        except PlatformError as error:
            attach_error(form, error)
            if error.code == AccountError.ACCOUNT_NOT_ACTIVATED:
                # The password was right: this browser may ask for the mail again.
                pending = Account.objects.filter(email=email.strip().lower()).first()
                if pending is not None:
                    session.remember_signup(request, pending)
                    not_activated = True
        else:
            miniprogram = MiniProgram.objects.filter(account=account).first()
            if miniprogram is not None:
                # Not logged in yet: only the pending account id waits for the scan, under
                # a new session key (the QR ticket is bound to that one).
                session.remember_login(request, account)
                request.session[LOGIN_NEXT] = next_url
                return redirect("console:login_scan")
            # No administrator is bound before the registration is confirmed.
            login(request, account)
            login_finish(account=account)
            response = redirect(wizard.next_url(account))
            devices.remember(request, response, account)
            return response
    context = {"form": form, "next": next_url, "not_activated": not_activated}
    return render(request, "console/login/index.html", context)


def _pending(request) -> tuple[Account, MiniProgram] | None:
    account = session.login_account(request)
    if account is None:
        return None
    miniprogram = (
        MiniProgram.objects.select_related("admin_identity").filter(account=account).first()
    )
    if miniprogram is None:
        session.forget_login(request)
        return None
    return account, miniprogram


def _login_ticket(request, account: Account) -> QrTicket:
    """This session's live login ticket, or a new one."""
    key = session_key_of(request)
    token = request.session.get(session.LOGIN_TICKET)
    if token:
        try:
            state = identity_services.ticket_status(
                token=token, session_key=key, purpose=account_purposes.LOGIN
            )
        except PlatformError:
            state = None
        if state in ALIVE:
            ticket = QrTicket.objects.filter(token=token).first()
            if ticket is not None:
                return ticket
    ticket = login_request_scan(
        account=account, admin_identity=login_bound_identity(account), session_key=key
    )
    request.session[session.LOGIN_TICKET] = ticket.token
    return ticket


def _scan_page(request, account: Account, miniprogram: MiniProgram, *, error: str = ""):
    ticket = _login_ticket(request, account)
    context = {
        "account": account,
        "miniprogram": miniprogram,
        "ticket": ticket,
        "scan_url": identity_services.scan_url(ticket),
        "ticket_error": error,
    }
    return render(request, "console/login/scan.html", context)


@require_http_methods(["GET"])
def login_scan(request):
    pending = _pending(request)
    if pending is None:
        return redirect("console:login")
    return _scan_page(request, *pending)


@require_POST
def login_scan_complete(request):
    pending = _pending(request)
    if pending is None:
        return redirect("console:login")
    account, miniprogram = pending
    token = request.session.get(session.LOGIN_TICKET) or ""
    try:
        identity = login_complete_scan(
            account=account,
            admin_identity=miniprogram.admin_identity,
            token=token,
            session_key=session_key_of(request),
        )
    except PlatformError as error:
        return _scan_page(request, account, miniprogram, error=error.message())
    next_url = request.session.get(LOGIN_NEXT, "")
    session.forget_login(request)
    request.session.pop(LOGIN_NEXT, None)
    # Django's login gives the session a new key, so a key seen before the scan is useless.
    login(request, account)
    session.remember_identity(request, identity.pk)
    response = redirect(next_url or "console:home")
    devices.remember(request, response, account)
    return response


@require_POST
def logout_view(request):
    logout(request)
    messages.info(request, _("You have logged out."))
    return redirect("console:home")
