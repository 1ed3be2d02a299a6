"""Where a registering account stands, and which page shows that step."""

from __future__ import annotations

from django.urls import reverse

from miniport.accounts.models import Account, Draft, Registration, RegistrationStatus

SUBJECT = "subject"
ADMIN = "admin"
CONFIRM = "confirm"


def registration_of(account: Account) -> Registration | None:
    return Registration.objects.filter(account=account).first()


def draft_of(registration: Registration) -> Draft | None:
    return Draft.objects.filter(registration=registration).select_related("admin_identity").first()


def information_step(draft: Draft | None) -> str:
    """The first information sub-step that is not done yet."""
    if draft is None or not draft.data.get("subject_type"):
        return SUBJECT
    if not draft.phone_verified or draft.admin_identity_id is None:
        return ADMIN
    return CONFIRM


_STEP_URLS = {
    SUBJECT: "console:register_info",
    ADMIN: "console:register_admin",
    CONFIRM: "console:register_confirm",
}


def next_url(account: Account) -> str:
    """The page a registering account continues on."""
    registration = registration_of(account)
    if registration is None:
        return reverse("console:home")
    if registration.status == RegistrationStatus.PENDING_ACTIVATION:
        return reverse("console:register_sent")
    if registration.status == RegistrationStatus.PENDING_INFORMATION:
        return reverse(_STEP_URLS[information_step(draft_of(registration))])
    return reverse("console:register_status")
