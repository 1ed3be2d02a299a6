"""REG-11: the state of a registration, always visible."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from miniport.accounts.errors import AccountError
from miniport.accounts.models import REMITTANCE_OVERDUE_REASON, RegistrationStatus
from miniport.accounts.selectors import RegistrationState, registration_state
from miniport.console import session, wizard
from miniport.console.access import console_miniprogram
from miniport.payments.certification.selectors import latest_application

BADGES: dict[str, str] = {
    RegistrationStatus.ACTIVE: "ok",
    RegistrationStatus.FAILED: "bad",
}


def badge_of(state: RegistrationState) -> str:
    return BADGES.get(state.status, "warn")


def fail_message(state: RegistrationState) -> str:
    """Why it failed, in the reader's language when the platform itself failed it."""
    if not state.is_failed:
        return ""
    if state.fail_reason == REMITTANCE_OVERDUE_REASON:
        return AccountError.REMITTANCE_EXPIRED.message()
    return state.fail_reason


@require_GET
def register_status(request):
    user = request.user
    account = user if user.is_authenticated and not user.is_staff else None
    account = account or session.signup_account(request)
    registration = wizard.registration_of(account) if account is not None else None
    if account is None or registration is None:
        return redirect("console:login")
    state = registration_state(registration)
    miniprogram = console_miniprogram(request)
    # REG-6b / REG-7: the fee and the review are the certification application's now.
    application = (
        latest_application(miniprogram)
        if miniprogram is not None and state.status == RegistrationStatus.PENDING_CERTIFICATION
        else None
    )
    context = {
        "account": account,
        "state": state,
        "badge": badge_of(state),
        "fail_message": fail_message(state),
        "statuses": RegistrationStatus,
        "next_url": wizard.next_url(account),
        "console_open": miniprogram is not None,
        "application": application,
    }
    return render(request, "console/status/index.html", context)
