"""The phone page where an identity pays an order of the payment sandbox (PAY-1, CER-2):
`/m/pay/<prepay_id>/`, opened from the host app's payment sheet (the runtime's
`pay_url`) or from the QR code of a certification fee in the console.

It shows who is paid (the merchant), the amount in yuan and what for (the order's body).
Confirm pays it through the sandbox (`order_pay`, which sends the merchant its payment
notification); cancel changes nothing. Only the order's payer may pay: the identity whose
openid for the order's appid is the order's openid; anyone else is told so and offered to
switch identity. A paid order says it is paid; a closed or expired one says it can no
longer be paid; an unknown prepay_id is a 404 page, never a server error."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from miniport.core.actors import Actor
from miniport.core.errors import PlatformError
from miniport.identities.models import Identity
from miniport.mobile.auth import identity_required
from miniport.mobile.forms.pay import CANCEL, CONFIRM, PayDecisionForm
from miniport.payments.models import Order
from miniport.payments.notifications import paying
from miniport.payments.sandbox.errors import PayError

# Refusals another identity could get past: offer to switch.
IDENTITY_REFUSALS = {PayError.PAYER_MISMATCH}


@require_http_methods(["GET", "POST"])
@identity_required
def pay(request: HttpRequest, identity: Identity, prepay_id: str) -> HttpResponse:
    try:
        order = paying.order_for_payer(prepay_id=prepay_id, identity=identity)
    except PlatformError as error:
        return _refused(request, identity, error)
    if request.method == "POST":
        return _decide(request, identity, order)
    if order.trade_state in paying.PAID_STATES:
        return _render(request, identity, order, "mobile/pay/done.html", outcome="already_paid")
    try:
        paying.check_payable(order)
    except PlatformError as error:
        return _refused(request, identity, error, order=order)
    return _render(request, identity, order, "mobile/pay/confirm.html", form=PayDecisionForm())


def _decide(request: HttpRequest, identity: Identity, order: Order) -> HttpResponse:
    form = PayDecisionForm(request.POST)
    if not form.is_valid():
        return _render(request, identity, order, "mobile/pay/confirm.html", form=form, status=400)
    if form.cleaned_data["decision"] == CANCEL:
        return _render(request, identity, order, "mobile/pay/done.html", outcome="cancelled")
    assert form.cleaned_data["decision"] == CONFIRM
    try:
        confirmed = paying.pay_confirm(
            actor=Actor.for_identity(identity), prepay_id=order.prepay_id, identity=identity
        )
    except PlatformError as error:
        return _refused(request, identity, error, order=order)
    outcome = "paid" if confirmed.paid_now else "already_paid"
    return _render(request, identity, confirmed.order, "mobile/pay/done.html", outcome=outcome)


def _facts(order: Order) -> dict:
    return {
        "order": order,
        "merchant_name": paying.merchant_name(order),
        "amount_yuan": paying.yuan(order.total_fee),
    }


def _render(
    request: HttpRequest,
    identity: Identity,
    order: Order,
    template: str,
    *,
    status: int = 200,
    **extra,
) -> HttpResponse:
    context = {"identity": identity, **_facts(order), **extra}
    return render(request, template, context, status=status)


def _refused(
    request: HttpRequest, identity: Identity, error: PlatformError, *, order: Order | None = None
) -> HttpResponse:
    status = 404 if error.code is PayError.ORDER_NOT_FOUND else 200
    context = {
        "identity": identity,
        "error": error,
        "error_message": error.message(),
        "offer_switch": error.code in IDENTITY_REFUSALS,
        "here": request.path,
        **(_facts(order) if order is not None and error.code not in IDENTITY_REFUSALS else {}),
    }
    return render(request, "mobile/pay/refused.html", context, status=status)
