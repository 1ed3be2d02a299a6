"""Settings › Basic settings › Certification (CER-1, CER-2): the certification's state
(none, waiting for the fee with the pay QR, under review, more material requested with
the reasons and a supplement form, certified until a date, expired), applying and
renewing in the window. Forms in `console/forms/certification.py`, templates in
`templates/console/certification/`.

`certification.view` opens the pages (administrator and operators; anyone else gets
404); `certification.apply` (the administrator) applies, pays and adds material (403 for
those who only see).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from miniport.accounts.selectors import yuan
from miniport.console.access import actor_of, console_view
from miniport.console.forms.certification import ApplyForm, SupplementForm
from miniport.console.forms.common import attach_error
from miniport.console.views.common import page
from miniport.core import policy, qr
from miniport.core.errors import PlatformError
from miniport.payments.certification import documents, selectors, services
from miniport.payments.models import CertificationState, Order, TradeState

STATE_BADGES: dict[str, str] = {
    CertificationState.FEE_UNPAID: "warn",
    CertificationState.UNDER_REVIEW: "warn",
    CertificationState.MATERIAL_REQUESTED: "warn",
    CertificationState.APPROVED: "ok",
    CertificationState.REJECTED: "bad",
    CertificationState.WITHDRAWN: "",
}


def status_of(mp) -> dict:
    """The certification's state for the pages: what the basic settings row and the
    certification page show."""
    subject = mp.subject
    personal = not selectors.may_certify(subject)
    if personal:
        key = "personal"
    elif subject.is_certified:
        key = "certified"
    elif subject.certification_expired:
        key = "expired"
    else:
        key = "none"
    return {
        "key": key,
        "personal": personal,
        "certified": subject.is_certified,
        "until": subject.certified_until,
        "must": selectors.must_certify(subject),
        "renewal_opens": selectors.renewal_opens_at(subject),
        "renewal_open": selectors.renewal_open(subject),
        "pending_registration": subject.registration.status == "pending_certification",
    }


def may_apply_now(mp) -> bool:
    """Whether an application (first or renewal) would be taken now, apart from its
    contents."""
    status = status_of(mp)
    if status["personal"] or selectors.open_application(mp) is not None:
        return False
    if subject_blocked(mp):
        return False
    return status["until"] is None or status["renewal_open"]


def subject_blocked(mp) -> bool:
    return mp.subject.registration.status not in ("active", "pending_certification")


def pay_url(order: Order) -> str:
    return f"{settings.SITE_URL}{reverse('mobile:pay', args=[order.prepay_id])}"


def _payable_order(application) -> Order | None:
    order = Order.objects.filter(certification_application=application).first()
    return order if order is not None and services.payable(order) else None


def _page(request, *, supplement_form=None, status: int = 200):
    mp = request.miniprogram
    application = selectors.open_application(mp)
    latest = selectors.latest_application(mp)
    may_apply = request.console.may("certification.apply")
    order = _payable_order(application) if application is not None else None
    latest = latest if latest is not None and not latest.is_open else None
    context = {
        "cert": status_of(mp),
        "application": application,
        "application_badge": STATE_BADGES.get(application.state, "") if application else "",
        "latest": latest,
        "latest_badge": STATE_BADGES.get(latest.state, "") if latest else "",
        "states": CertificationState,
        "fee_yuan": yuan(
            application.fee_fen
            if application
            else policy.value("registration.certification_fee_fen")
        ),
        "order": order,
        "paid_on_phone": order is not None and order.trade_state == TradeState.SUCCESS,
        "pay_url": pay_url(order) if order is not None else "",
        "may_apply": may_apply,
        "can_apply": may_apply and may_apply_now(mp),
        "required": [documents.label(k) for k in documents.required_for(mp.subject.subject_type)],
        "supplement_form": supplement_form
        or (
            SupplementForm(subject_type=mp.subject.subject_type)
            if may_apply
            and application is not None
            and application.state == CertificationState.MATERIAL_REQUESTED
            else None
        ),
        "document_names": [
            documents.label(str(item.get("key", "")))
            for item in (application.documents if application else [])
            if isinstance(item, dict)
        ],
        "blocked": subject_blocked(mp),
        "window_days": selectors.renewal_window_days(),
    }
    return page(request, "console/certification/index.html", status=status, **context)


@console_view(action="certification.view")
@require_GET
def certification_page(request):
    return _page(request)


def _order_for(request, application) -> None:
    """Make (or keep) the fee order; a refusal is told, the application stays."""
    try:
        services.certification_fee_order(actor=actor_of(request), application=application)
    except PlatformError as error:
        messages.error(request, error.message())


@console_view(action="certification.apply", visible_with="certification.view")
@require_http_methods(["GET", "POST"])
def certification_apply(request):
    mp = request.miniprogram
    subject_type = mp.subject.subject_type
    if not selectors.may_certify(mp.subject):
        raise Http404  # personal accounts have no application: the page says why
    form = ApplyForm(request.POST or None, request.FILES or None, subject_type=subject_type)
    renewal = mp.subject.certified_until is not None
    refusal = services.apply_refusal(mp, renewal=renewal) if request.method == "GET" else None
    if request.method == "POST" and form.is_valid():
        try:
            application = services.certification_apply(
                actor=actor_of(request),
                miniprogram=mp,
                documents=form.uploads(),
                contact_name=form.cleaned_data["contact_name"],
                contact_phone=form.cleaned_data["contact_phone"],
                renewal=renewal,
            )
        except PlatformError as error:
            attach_error(form, error)
        else:
            messages.success(
                request, _("The application was submitted. Pay the fee to start the review.")
            )
            _order_for(request, application)
            return redirect("console:basic_certification")
    return page(
        request,
        "console/certification/apply.html",
        status=400 if form.errors else 200,
        form=form,
        renewal=renewal,
        fee_yuan=yuan(policy.value("registration.certification_fee_fen")),
        refusal=refusal.message() if refusal is not None else "",
    )


@console_view(action="certification.apply", visible_with="certification.view")
@require_POST
def certification_pay(request):
    """A new payment code when the last one expired (or none was made)."""
    application = selectors.open_application(request.miniprogram)
    if application is None or application.state != CertificationState.FEE_UNPAID:
        messages.error(request, _("There is no certification fee to pay."))
    else:
        _order_for(request, application)
    return redirect("console:basic_certification")


@console_view(action="certification.apply", visible_with="certification.view")
@require_GET
def certification_pay_qr(request):
    """The QR code of the fee order's phone page, scanned by the administrator."""
    application = selectors.open_application(request.miniprogram)
    if application is None or application.state != CertificationState.FEE_UNPAID:
        raise Http404
    order = _payable_order(application)
    if order is None:
        raise Http404
    response = HttpResponse(qr.png_bytes(pay_url(order)), content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    return response


@console_view(action="certification.apply", visible_with="certification.view")
@require_POST
def certification_supplement(request):
    mp = request.miniprogram
    application = selectors.open_application(mp)
    form = SupplementForm(request.POST, request.FILES, subject_type=mp.subject.subject_type)
    if application is not None and form.is_valid():
        try:
            services.certification_supplement(
                actor=actor_of(request), application=application, documents=form.uploads()
            )
        except PlatformError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("The material was added; the review goes on."))
            return redirect("console:basic_certification")
        return _page(request, supplement_form=form, status=400)
    if application is None:
        messages.error(request, _("There is no certification application waiting for material."))
        return redirect("console:basic_certification")
    return _page(request, supplement_form=form, status=400)


@console_view(action="certification.apply", visible_with="certification.view")
@require_POST
def certification_withdraw(request):
    """Take back an application still waiting for its fee; its payment code stops working."""
    application = selectors.open_application(request.miniprogram)
    if application is None:
        messages.error(request, _("There is no certification application to withdraw."))
        return redirect("console:basic_certification")
    try:
        services.certification_withdraw(actor=actor_of(request), application=application)
    except PlatformError as error:
        messages.error(request, error.message())
    else:
        messages.success(request, _("The application was withdrawn."))
    return redirect("console:basic_certification")
