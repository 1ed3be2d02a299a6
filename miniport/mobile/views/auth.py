"""Signing a super-app identity in and out of the phone pages: WeChat ID and password,
the one-click demo identities (demo mode only), and sign-out."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from miniport.core.errors import PlatformError
from miniport.core.origin import client_ip
from miniport.identities import selectors, services
from miniport.mobile.auth import current_identity, login_url, safe_next, sign_in, sign_out
from miniport.mobile.forms.auth import SignInForm
from miniport.web.forms import add_platform_error


@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    form = SignInForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            identity = services.identity_check_password(
                wechat_id=form.cleaned_data["wechat_id"],
                password=form.cleaned_data["password"],
                ip=client_ip(request),
            )
        except PlatformError as error:
            add_platform_error(form, error)
        else:
            sign_in(request, identity, method="password")
            return HttpResponseRedirect(next_url)
    context = {
        "form": form,
        "next": next_url,
        "identity": current_identity(request),
        "demo_identities": list(selectors.demo_identities()) if settings.DEMO_MODE else None,
    }
    return render(request, "mobile/auth/login.html", context)


def demo_login(request: HttpRequest) -> HttpResponse:
    """One-click sign-in as a demo identity; does not exist outside demo mode."""
    if not settings.DEMO_MODE:
        raise Http404
    if request.method != "POST":
        return HttpResponse(status=405, headers={"Allow": "POST"})
    identity = selectors.identity_by_id(request.POST.get("identity"))
    if identity is None or not identity.is_demo:
        raise Http404
    sign_in(request, identity, method="demo")
    return HttpResponseRedirect(safe_next(request, request.POST.get("next")))


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    sign_out(request)
    next_path = request.POST.get("next")
    if next_path and safe_next(request, next_path) == next_path:
        return HttpResponseRedirect(login_url(next_path))
    return HttpResponseRedirect(reverse("mobile:login"))
