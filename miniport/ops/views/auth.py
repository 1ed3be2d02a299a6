"""Staff sign-in and sign-out."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login, logout
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from miniport.accounts.services.login import login_finish, ops_login_check_password
from miniport.core import origin
from miniport.core.errors import PlatformError
from miniport.ops.forms.auth import StaffLoginForm
from miniport.web.forms import add_platform_error


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/ops/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def login_view(request):
    if request.user.is_authenticated and request.user.is_staff and request.method == "GET":
        return redirect(_next_url(request) or "ops:registrations")
    form = StaffLoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account = ops_login_check_password(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
                ip=origin.client_ip(request),
            )
        except PlatformError as error:
            add_platform_error(form, error)
        else:
            login_finish(account=account)
            login(request, account, backend=settings.AUTHENTICATION_BACKENDS[0])
            return redirect(_next_url(request) or "ops:registrations")
    return render(request, "ops/auth/login.html", {"form": form, "next": _next_url(request)})


@require_POST
def logout_view(request):
    logout(request)
    return redirect("ops:login")
