"""REG-1..REG-3: the account form, "mail sent", and the activation link. Form in
`console/forms/signup.py`, templates in `templates/console/signup/`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import NON_FIELD_ERRORS
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from miniport.accounts.models import RegistrationStatus
from miniport.accounts.services import account_activate, account_register, activation_send
from miniport.accounts.services.signup import registration_refusals
from miniport.console import session, wizard
from miniport.console.forms.common import attach_error
from miniport.console.forms.signup import RegisterForm
from miniport.core import clock
from miniport.core.errors import PlatformError

# The web mailboxes of well-known providers: the "mail sent" page offers to open them.
MAILBOXES = {
    "qq.com": "https://mail.qq.com/",
    "vip.qq.com": "https://mail.qq.com/",
    "foxmail.com": "https://mail.qq.com/",
    "163.com": "https://mail.163.com/",
    "vip.163.com": "https://vip.163.com/",
    "126.com": "https://mail.126.com/",
    "yeah.net": "https://mail.yeah.net/",
    "sina.com": "https://mail.sina.com.cn/",
    "sina.cn": "https://mail.sina.com.cn/",
    "sohu.com": "https://mail.sohu.com/",
    "139.com": "https://mail.10086.cn/",
    "aliyun.com": "https://mail.aliyun.com/",
    "gmail.com": "https://mail.google.com/",
    "outlook.com": "https://outlook.live.com/mail/",
    "hotmail.com": "https://outlook.live.com/mail/",
    "live.com": "https://outlook.live.com/mail/",
    "yahoo.com": "https://mail.yahoo.com/",
    "icloud.com": "https://www.icloud.com/mail/",
}


def mailbox_url(email: str) -> str | None:
    """The web mailbox of the email's provider, when it is a well-known one."""
    domain = (email or "").rpartition("@")[2].strip().lower()
    return MAILBOXES.get(domain)


@require_http_methods(["GET", "POST"])
def register(request):
    form = RegisterForm()
    if request.method == "POST":
        if "refresh_captcha" in request.POST:
            # A new captcha image; keep what can be kept (passwords are never echoed back).
            form = RegisterForm(
                initial={
                    "email": request.POST.get("email", "")[:254],
                    "agree": bool(request.POST.get("agree")),
                }
            )
        else:
            form = RegisterForm(request.POST)
            # Every refusal at once: the form's own checks (captcha, sizes) and every
            # rule of the service, each on its field. Passwords are never echoed back and
            # the captcha is a new one; the email and the agreement tick stay.
            valid = form.is_valid()
            data = form.cleaned_data
            refusals = registration_refusals(
                email=data.get("email", ""),
                password=data.get("password", ""),
                password_confirm=data.get("password_confirm", ""),
                agreed=bool(data.get("agree")),
            )
            for refusal in refusals:
                if not form.has_error(refusal.field or NON_FIELD_ERRORS):
                    attach_error(form, refusal)
            if valid and not refusals:
                try:
                    account = account_register(
                        email=data["email"],
                        password=data["password"],
                        password_confirm=data["password_confirm"],
                        agreed=data["agree"],
                    )
                except PlatformError as error:
                    attach_error(form, error)
                else:
                    session.remember_signup(request, account)
                    return redirect("console:register_sent")
    return render(request, "console/signup/index.html", {"form": form, "step": 1})


@require_http_methods(["GET", "POST"])
def register_sent(request):
    account = session.signup_account(request)
    if account is None:
        return redirect("console:register")
    if account.is_active:
        if request.user.is_authenticated and request.user.pk == account.pk:
            return redirect(wizard.next_url(account))
        messages.info(request, _("This account is already activated. Log in to continue."))
        return redirect("console:login")
    error = None
    if request.method == "POST":
        try:
            activation_send(account=account)
        except PlatformError as refused:
            error = refused.message()
        else:
            messages.success(request, _("The activation mail has been sent again."))
            return redirect("console:register_sent")
    context = {
        "account": account,
        "error": error,
        "step": 2,
        "mailbox_url": mailbox_url(account.email),
    }
    return render(request, "console/signup/sent.html", context)


@require_http_methods(["GET"])
def register_activate(request, token: str):
    started = clock.now()
    try:
        account = account_activate(token=token[:200])
    except PlatformError as error:
        context = {"error": error, "pending": session.signup_account(request), "step": 2}
        return render(request, "console/signup/activation_failed.html", context, status=400)
    registration = wizard.registration_of(account)
    activated_now = account.activated_at is not None and account.activated_at >= started
    if request.user.is_authenticated and request.user.pk == account.pk:
        return redirect(wizard.next_url(account))
    if (
        activated_now
        and registration is not None
        and registration.status == RegistrationStatus.PENDING_INFORMATION
    ):
        # Single factor is enough here: no administrator is bound to the account yet.
        login(request, account)
        request.session.pop(session.SIGNUP_ACCOUNT, None)
        messages.success(
            request, _("Your account is activated. Continue with the information registration.")
        )
        return redirect(wizard.next_url(account))
    # An old link clicked again never logs anyone in; the password does.
    messages.info(request, _("This account is already activated. Log in to continue."))
    return redirect("console:login")
