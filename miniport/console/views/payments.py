"""Features › WeChat Pay (PAY-1): the merchant page. Without a merchant: the application
(business information, settlement account, documents), its status, the reviewer's
reasons and the supplement they ask for. With one: its mch_id, state and balance, the API
key (shown once after the administrator's scan, rotated after another) and the daily
reconciliation bill as CSV.

The permission table decides: `payments.view` opens the pages (anyone else gets 404),
`payments.apply` applies, supplements and withdraws, `payments.key` shows and rotates the
key (both the administrator only). The orders are `console/views/orders.py`.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from miniport.accounts.models import SubjectType
from miniport.console.access import actor_of, console_view
from miniport.console.forms.payments import (
    BillForm,
    MerchantApplicationForm,
    MerchantSupplementForm,
)
from miniport.console.views.common import (
    complete_scan,
    keep_for_one_display,
    page,
    take_for_display,
)
from miniport.core import clock
from miniport.core.errors import PlatformError
from miniport.identities import selectors as identity_selectors
from miniport.identities import services as identity_services
from miniport.payments.merchants import keys, services
from miniport.payments.merchants import selectors as merchant_selectors
from miniport.payments.merchants.errors import MerchantError
from miniport.payments.merchants.orders import yuan
from miniport.payments.merchants.review_kind import masked
from miniport.payments.models import MerchantApplicationState
from miniport.payments.sandbox import ledger
from miniport.web.sessions import session_key_of

KEY_TICKET = "console_merchant_key_ticket"
KEY_SHOWN = "console_merchant_key_shown"


def _overview(request, *, supplement_form=None, bill_form=None, status: int = 200):
    mp = request.miniprogram
    merchant = merchant_selectors.merchant_of(mp)
    application = merchant_selectors.latest_application(mp) if merchant is None else None
    context = {
        "merchant": merchant,
        "application": application,
        "account_masked": masked(application.settlement_account_number) if application else "",
        "personal": mp.subject.subject_type == SubjectType.PERSONAL,
        "certified": mp.is_certified,
        "can_apply": request.console.may("payments.apply"),
        "can_key": request.console.may("payments.key"),
        "can_orders": request.console.may("orders.view"),
        "states": MerchantApplicationState,
    }
    if merchant is not None:
        context["balance"] = yuan(ledger.merchant_balance(merchant))
        context["bill_form"] = bill_form or BillForm(initial={"day": clock.today()})
    elif (
        application is not None and application.state == MerchantApplicationState.MATERIAL_REQUESTED
    ):
        context["supplement_form"] = supplement_form or MerchantSupplementForm()
    return page(request, "console/payments/index.html", status=status, **context)


@console_view(action="payments.view")
@require_GET
def payments(request):
    """PAY-1: the merchant, or the application for one."""
    return _overview(request)


@console_view(action="payments.apply", visible_with="payments.view")
@require_http_methods(["GET", "POST"])
def payments_apply(request):
    """PAY-1: the application form; refused for personal and uncertified mini programs."""
    mp = request.miniprogram
    form = MerchantApplicationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.merchant_apply(
                actor=actor_of(request),
                miniprogram=mp,
                documents=form.uploads(),
                **form.service_fields(),
            )
        except PlatformError as error:
            form.attach(error)
        else:
            messages.success(request, _("The application was submitted for review."))
            return redirect("console:payments")
    refusal = ""
    try:
        services.require_eligible(mp)
        if merchant_selectors.open_application(mp) is not None:
            raise PlatformError(MerchantError.APPLICATION_OPEN)
    except PlatformError as error:
        refusal = error.message()
    return page(request, "console/payments/apply.html", form=form, refusal=refusal)


@console_view(action="payments.apply", visible_with="payments.view")
@require_POST
def payments_supplement(request):
    """PAY-1: add the material the reviewer asked for; the review goes on."""
    form = MerchantSupplementForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.merchant_supplement(
                actor=actor_of(request),
                miniprogram=request.miniprogram,
                documents=form.uploads(),
                note=form.cleaned_data.get("note", ""),
            )
        except PlatformError as error:
            form.attach(error)
        else:
            messages.success(request, _("The material was added; the review goes on."))
            return redirect("console:payments")
    return _overview(request, supplement_form=form, status=400)


@console_view(action="payments.apply", visible_with="payments.view")
@require_POST
def payments_withdraw(request):
    try:
        services.merchant_withdraw(actor=actor_of(request), miniprogram=request.miniprogram)
    except PlatformError as error:
        messages.error(request, error.message())
    else:
        messages.success(request, _("The application was withdrawn."))
    return redirect("console:payments")


@console_view(action="payments.key", visible_with="payments.view")
@require_POST
def payments_key_start(request):
    """PAY-1: ask the administrator to confirm by scan before the key is shown or rotated."""
    rotate = request.POST.get("action") == "rotate"
    try:
        ticket = keys.merchant_key_request(
            actor=actor_of(request),
            miniprogram=request.miniprogram,
            session_key=session_key_of(request),
            rotate=rotate,
        )
    except PlatformError as error:
        messages.error(request, error.message())
        return redirect("console:payments")
    request.session[KEY_TICKET] = {"token": ticket.token, "rotate": rotate}
    return redirect("console:payments_key_confirm")


@never_cache
@console_view(action="payments.key", visible_with="payments.view")
@require_http_methods(["GET", "POST"])
def payments_key_confirm(request):
    """PAY-1: the QR for the administrator; once confirmed, the key, shown once."""
    asked = request.session.get(KEY_TICKET)
    asked = asked if isinstance(asked, dict) else {}
    key = session_key_of(request)
    ticket = identity_selectors.session_ticket(token=str(asked.get("token", "")), session_key=key)
    if ticket is None or ticket.payload.get("appid") != request.miniprogram.appid:
        return redirect("console:payments")
    rotate = bool(asked.get("rotate"))
    error = ""
    if request.method == "POST":
        complete = keys.merchant_key_rotate if rotate else keys.merchant_key_reveal

        def show_once(api_key: str):
            keep_for_one_display(request, KEY_SHOWN, api_key, rotated=rotate)
            return redirect("console:payments_key_shown")

        answer, error = complete_scan(
            request,
            ticket_key=KEY_TICKET,
            back="console:payments",
            complete=lambda: complete(
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
        "console/payments/key_confirm.html",
        ticket=ticket,
        rotate=rotate,
        scan_url=identity_services.scan_url(ticket),
        ticket_error=error,
        confirm_url=reverse("console:payments_key_confirm"),
    )


@never_cache
@console_view(action="payments.key", visible_with="payments.view")
@require_GET
def payments_key_shown(request):
    """PAY-1: the key, shown once: the first display takes it out of the session."""
    api_key, shown = take_for_display(request, KEY_SHOWN)
    if not api_key:
        messages.info(
            request,
            _(
                "The API key is shown only once and cannot be shown again. If you did not save it, rotate it."
            ),
        )
        return redirect("console:payments")
    return page(
        request,
        "console/payments/key_shown.html",
        api_key=api_key,
        rotated=bool(shown.get("rotated")),
        merchant=merchant_selectors.merchant_of(request.miniprogram),
    )


@console_view(action="payments.view")
@require_GET
def payments_bill(request):
    """PAY-1: the day's reconciliation statement in WeChat's download-bill format."""
    merchant = merchant_selectors.merchant_of(request.miniprogram)
    if merchant is None:
        return redirect("console:payments")
    form = BillForm(request.GET)
    if not form.is_valid():
        return _overview(request, bill_form=form, status=400)
    day = form.cleaned_data["day"]
    body = ledger.bill_csv(merchant, day)
    if body is None:
        messages.info(
            request,
            _("No bill for %(day)s: nothing was paid or refunded that day.")
            % {"day": day.isoformat()},
        )
        return redirect("console:payments")
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="bill-{merchant.mch_id}-{day.isoformat()}.csv"'
    )
    return response
