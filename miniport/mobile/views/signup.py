"""Sign-up on the phone pages (issue 10 item 1): a new super-app identity with a WeChat
ID, a password, a phone verified by an SMS code and a real-name check of its name and ID
number, signed in once created. The "get code" button posts the same form to the same
page; what was typed is kept (the passwords excepted: a page never sends them back)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from miniport.core import masking, policy
from miniport.core.actors import Actor
from miniport.core.errors import PlatformError
from miniport.core.origin import client_ip
from miniport.identities import signup
from miniport.mobile.auth import current_identity, safe_next, sign_in
from miniport.mobile.forms.signup import SendCodeForm, SignUpForm
from miniport.web.forms import add_platform_error

SEND_CODE = "send_code"


def _form(data=None, *, initial=None) -> SignUpForm:
    form = SignUpForm(data, initial=initial)
    form.fields["password"].help_text = _(
        "At least %(min)d letters, digits or symbols; not digits alone."
    ) % {"min": policy.value("signup.password_min_length")}
    return form


def _send_code(request: HttpRequest) -> tuple[SignUpForm, str]:
    """Send the code; the form comes back with what was typed, and the refusal (if any)
    on the phone field."""
    kept = {
        name: request.POST.get(name, "")
        for name in SignUpForm.SIGN_UP_FIELDS
        if name not in ("password", "password_confirm", "sms_code")
    }
    form = _form(initial=kept)
    phone = SendCodeForm(request.POST)
    problem = ""
    if not phone.is_valid():
        problem = "; ".join(str(e) for e in phone.errors.get("phone", []))
    else:
        try:
            signup.signup_send_sms(
                actor=Actor.anonymous(), phone=phone.cleaned_data["phone"], ip=client_ip(request)
            )
        except PlatformError as error:
            problem = error.message()
        else:
            return form, ""
    return form, problem or _("Enter the mobile phone number.")


def _sign_up(request: HttpRequest, form: SignUpForm):
    """The new identity, or None with every refusal on its field."""
    given = {name: request.POST.get(name, "") for name in SignUpForm.SIGN_UP_FIELDS}
    form_valid = form.is_valid()
    for error in signup.sign_up_problems(**{k: v for k, v in given.items() if k != "sms_code"}):
        if error.field in form.fields and not form.has_error(error.field):
            add_platform_error(form, error)
    if not form_valid or form.errors:
        return None
    if not form.cleaned_data["sms_code"]:
        form.add_error("sms_code", _("Enter the SMS verification code."))
        return None
    try:
        return signup.identity_sign_up(actor=Actor.anonymous(), **given)
    except PlatformError as error:
        add_platform_error(form, error)
        return None


@require_http_methods(["GET", "POST"])
def signup_page(request: HttpRequest) -> HttpResponse:
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    sent_to = ""
    phone_problem = ""
    if request.method == "POST" and request.POST.get("action") == SEND_CODE:
        form, phone_problem = _send_code(request)
        if not phone_problem:
            sent_to = masking.mask(request.POST.get("phone", "").strip())
    elif request.method == "POST":
        form = _form(request.POST)
        identity = _sign_up(request, form)
        if identity is not None:
            sign_in(request, identity, method="signup")
            messages.success(
                request,
                _("Welcome, %(wechat_id)s. Your account is real-name verified.")
                % {"wechat_id": identity.wechat_id},
            )
            return HttpResponseRedirect(next_url)
    else:
        form = _form()
    context = {
        "form": form,
        "next": next_url,
        "identity": current_identity(request),
        "sent_to": sent_to,
        "phone_problem": phone_problem,
        "send_code": SEND_CODE,
    }
    return render(request, "mobile/signup/index.html", context)
