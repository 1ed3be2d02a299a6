"""REG-4..REG-9: information registration, administrator, confirmation. Forms in
`console/forms/information.py`, templates in `templates/console/information/`."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from miniport.accounts import purposes as account_purposes
from miniport.accounts.models import (
    Account,
    Registration,
    RegistrationStatus,
    SubjectType,
    VerificationMethod,
)
from miniport.accounts.services import (
    registration_complete_admin_check,
    registration_request_admin_check,
    registration_save_admin,
    registration_save_subject,
    registration_send_sms,
)
from miniport.accounts.subject_types import COUNTRIES, SUBJECT_TYPES, methods_for
from miniport.console import session, wizard
from miniport.console.access import actor_of
from miniport.console.forms.common import attach_error
from miniport.console.forms.information import AdminForm, ConfirmForm, SubjectForm
from miniport.console.tickets import ALIVE
from miniport.console.views.common import refused
from miniport.core.errors import PlatformError
from miniport.core.masking import mask
from miniport.identities import services as identity_services
from miniport.identities.models import QrTicket
from miniport.miniprograms.services import registration_confirm
from miniport.web.sessions import session_key_of


def _registering(request) -> tuple[Account, Registration] | None:
    user = request.user
    if not user.is_authenticated or user.is_staff:
        return None
    registration = wizard.registration_of(user)
    return (user, registration) if registration is not None else None


def _not_registering(request):
    if request.user.is_authenticated:
        return redirect("console:home")
    return redirect("console:login")


def _refused(request, error: PlatformError):
    return refused(
        request,
        error,
        back_url=reverse("console:register_status"),
        back_label=_("View the registration status"),
    )


def _editing(registration: Registration) -> bool:
    return registration.status == RegistrationStatus.PENDING_INFORMATION


def _country_choices() -> list[tuple[str, str]]:
    english = (get_language() or "").startswith("en")
    return [(code, names[1] if english else names[0]) for code, names in COUNTRIES.items()]


def _subject_choices(selected: str) -> list[dict]:
    return [
        {
            "value": spec.value,
            "label": spec.label,
            "explanation": spec.explanation,
            "abilities": spec.capabilities,
            "checked": spec.value == selected,
        }
        for spec in SUBJECT_TYPES.values()
    ]


def _certification_only(subject_type: str, country: str) -> bool:
    spec = SUBJECT_TYPES.get(subject_type)
    if spec is None or spec.is_personal:
        return False
    return methods_for(subject_type, country) == {VerificationMethod.CERTIFICATION}


def _info_page(request, *, country: str, subject_type: str, form, selection_error=None):
    context = {
        "step": 3,
        "substep": wizard.SUBJECT,
        "countries": _country_choices(),
        "country": country,
        "subject_types": _subject_choices(subject_type),
        "subject_type": subject_type,
        "subject_label": SubjectType(subject_type).label
        if subject_type in SubjectType.values
        else "",
        "form": form,
        "selection_error": selection_error,
        "certification_only": _certification_only(subject_type, country),
    }
    return render(request, "console/information/subject.html", context)


@require_http_methods(["GET", "POST"])
def register_info(request):
    found = _registering(request)
    if found is None:
        return _not_registering(request)
    account, registration = found
    if request.method == "POST":
        country = request.POST.get("country", "")[:10].strip().upper()
        subject_type = request.POST.get("subject_type", "")[:30].strip()
        form = SubjectForm(request.POST, subject_type=subject_type, country=country)
        selection_error = None
        if form.is_valid() or not _editing(registration):
            data = {**form.cleaned_data, "country": country, "subject_type": subject_type}
            try:
                registration_save_subject(
                    actor=actor_of(request), registration=registration, data=data
                )
            except PlatformError as error:
                if not _editing(registration):
                    return _refused(request, error)
                if error.field in ("country", "subject_type"):
                    selection_error = error.message()
                attach_error(form, error)
                form.flag_empty_required()
            else:
                return redirect("console:register_admin")
        shown_type = subject_type if subject_type in SubjectType.values else ""
        shown_country = country if country in COUNTRIES else "CN"
        return _info_page(
            request,
            country=shown_country,
            subject_type=shown_type,
            form=form if shown_type else None,
            selection_error=selection_error,
        )
    if not _editing(registration):
        return redirect(wizard.next_url(account))
    draft = wizard.draft_of(registration)
    saved = draft.data if draft is not None else {}
    country = request.GET.get("country", "")[:10].upper() or saved.get("country", "CN")
    country = country if country in COUNTRIES else "CN"
    subject_type = request.GET.get("subject_type", "")[:30] or saved.get("subject_type", "")
    subject_type = subject_type if subject_type in SubjectType.values else ""
    chosen: SubjectForm | None = None
    if subject_type:
        same = saved.get("subject_type") == subject_type and saved.get("country") == country
        initial = dict(saved) if same else {}
        initial.update(country=country, subject_type=subject_type)
        chosen = SubjectForm(initial=initial, subject_type=subject_type, country=country)
    return _info_page(request, country=country, subject_type=subject_type, form=chosen)


def _admin_ticket(request, registration: Registration, draft) -> QrTicket | None:
    """The live administrator-check ticket of this browser session, made when needed.
    Only once the administrator and phone are saved and no identity has confirmed yet."""
    if not draft.phone_verified or not draft.data.get("admin_id_number"):
        return None
    if draft.admin_identity_id is not None:
        return None
    key = session_key_of(request)
    token = draft.admin_check_ticket
    if token:
        try:
            state = identity_services.ticket_status(
                token=token, session_key=key, purpose=account_purposes.ADMIN_CHECK
            )
        except PlatformError:
            state = None  # made by another browser session: this one gets its own
        if state in ALIVE:
            return QrTicket.objects.filter(token=token).first()
    return registration_request_admin_check(registration=registration, session_key=key)


def _admin_page(
    request, registration: Registration, draft, form, *, ticket_error=None, sms_sent=""
):
    personal = draft.data.get("subject_type") == SubjectType.PERSONAL
    ticket = _admin_ticket(request, registration, draft)
    context = {
        "step": 3,
        "substep": wizard.ADMIN,
        "form": form,
        "personal": personal,
        "draft": draft,
        "admin_name": draft.data.get("admin_name", ""),
        "admin_id_masked": mask(draft.data.get("admin_id_number", "")),
        "ticket": ticket,
        "scan_url": identity_services.scan_url(ticket) if ticket else "",
        "ticket_error": ticket_error,
        "sms_sent": sms_sent,
        "checked_identity": draft.admin_identity,
    }
    return render(request, "console/information/admin.html", context)


def _admin_draft(request):
    """(account, registration, draft) for the administrator pages, or a redirect."""
    found = _registering(request)
    if found is None:
        return None, _not_registering(request)
    account, registration = found
    draft = wizard.draft_of(registration)
    if _editing(registration) and wizard.information_step(draft) == wizard.SUBJECT:
        return None, redirect("console:register_info")
    return (account, registration, draft), None


@require_http_methods(["GET", "POST"])
def register_admin(request):
    found, response = _admin_draft(request)
    if response is not None:
        return response
    account, registration, draft = found
    if request.method == "GET" and not _editing(registration):
        return redirect(wizard.next_url(account))
    personal = draft is not None and draft.data.get("subject_type") == SubjectType.PERSONAL
    if request.method == "POST":
        form = AdminForm(request.POST, personal=personal)
        if form.is_valid() or not _editing(registration):
            data = form.cleaned_data
            try:
                registration_save_admin(
                    actor=actor_of(request),
                    registration=registration,
                    admin_name=data.get("admin_name", ""),
                    admin_id_number=data.get("admin_id_number", ""),
                    phone=data.get("phone", ""),
                    sms_code=data.get("sms_code", ""),
                )
            except PlatformError as error:
                if not _editing(registration):
                    return _refused(request, error)
                attach_error(form, error)
            else:
                messages.success(
                    request,
                    _("The administrator information is saved. Verify the administrator by scan."),
                )
                return redirect("console:register_admin")
        return _admin_page(request, registration, draft, form)
    initial = {"phone": draft.data.get("admin_phone", "")}
    if not personal:
        initial.update(
            admin_name=draft.data.get("admin_name", ""),
            admin_id_number=draft.data.get("admin_id_number", ""),
        )
    return _admin_page(request, registration, draft, AdminForm(initial=initial, personal=personal))


@require_POST
def register_sms(request):
    found, response = _admin_draft(request)
    if response is not None:
        return response
    account, registration, draft = found
    personal = draft is not None and draft.data.get("subject_type") == SubjectType.PERSONAL
    form = AdminForm(request.POST, personal=personal)
    phone = request.POST.get("phone", "")[:20]
    sms_sent = ""
    try:
        registration_send_sms(actor=actor_of(request), registration=registration, phone=phone)
    except PlatformError as error:
        if not _editing(registration):
            return _refused(request, error)
        attach_error(form, error)
    else:
        sms_sent = phone.strip()
    return _admin_page(request, registration, draft, form, sms_sent=sms_sent)


@require_POST
def register_admin_check(request):
    found, response = _admin_draft(request)
    if response is not None:
        return response
    account, registration, draft = found
    try:
        registration_complete_admin_check(
            actor=actor_of(request), registration=registration, session_key=session_key_of(request)
        )
    except PlatformError as error:
        if not _editing(registration):
            return _refused(request, error)
        personal = draft.data.get("subject_type") == SubjectType.PERSONAL
        initial = {"phone": draft.data.get("admin_phone", "")}
        form = AdminForm(initial=initial, personal=personal)
        return _admin_page(request, registration, draft, form, ticket_error=error.message())
    messages.success(request, _("The administrator identity is verified."))
    return redirect("console:register_confirm")


def _summary(draft) -> dict:
    data = draft.data
    return {
        "country": dict(_country_choices()).get(data.get("country", ""), data.get("country", "")),
        "subject_type": SubjectType(data["subject_type"]).label,
        "personal": data["subject_type"] == SubjectType.PERSONAL,
        "name": data.get("name", ""),
        "id_number": mask(data.get("id_number", "")) if data.get("id_number") else "",
        "credit_code": data.get("credit_code", ""),
        "verification_method": data.get("verification_method", ""),
        "admin_name": data.get("admin_name", ""),
        "admin_id_number": mask(data.get("admin_id_number", "")),
        "admin_phone": mask(data.get("admin_phone", "")),
        "admin_identity": draft.admin_identity,
    }


@require_http_methods(["GET", "POST"])
def register_confirm(request):
    found = _registering(request)
    if found is None:
        return _not_registering(request)
    account, registration = found
    draft = wizard.draft_of(registration)
    ready = _editing(registration) and wizard.information_step(draft) == wizard.CONFIRM
    form = ConfirmForm(request.POST) if request.method == "POST" else ConfirmForm()
    if request.method == "POST" and (form.is_valid() or not ready):
        try:
            subject = registration_confirm(actor=actor_of(request), registration=registration)
        except PlatformError as error:
            if not _editing(registration):
                return _refused(request, error)
            if not ready:
                messages.error(request, error.message())
                return redirect(wizard.next_url(account))
            attach_error(form, error)
        else:
            # The administrator confirmed by scan in this session moments ago.
            session.remember_identity(request, subject.admin_identity_id)
            registration.refresh_from_db()
            if registration.status == RegistrationStatus.ACTIVE:
                messages.success(request, _("Registration complete. Welcome!"))
                return redirect("console:home")
            return redirect("console:register_status")
    if not ready:
        return redirect(wizard.next_url(account))
    context = {"step": 3, "substep": wizard.CONFIRM, "form": form, "summary": _summary(draft)}
    return render(request, "console/information/confirm.html", context)
