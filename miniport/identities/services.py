"""Identities (super-app users) and QR confirmation tickets.

A ticket is requested by one browser session (the console page that shows the QR
code), decided once by an identity on its phone, and used once by the session that
asked, all within `qr.ticket_ttl_seconds`.
"""

from __future__ import annotations

import hmac
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from miniport.core import audit, clock, ids, origin, policy
from miniport.core.actors import Actor
from miniport.core.errors import CoreError, PlatformError, Seconds
from miniport.core.validators import age_on, check_wechat_id, normalize_phone, parse_id_number
from miniport.identities import purposes, selectors, throttle
from miniport.identities.errors import IdentityError
from miniport.identities.models import Identity, QrTicket, SignInFailure, TicketStatus
from miniport.identities.signup import check_password_rule

OPEN_STATUSES = (TicketStatus.PENDING, TicketStatus.SCANNED)


def identity_create(
    *,
    actor: Actor,
    wechat_id: str,
    real_name: str = "",
    id_number: str = "",
    phone: str = "",
    password: str = "",
    nickname: str = "",
    is_demo: bool = False,
) -> Identity:
    wechat_id = check_wechat_id(wechat_id)
    birth_date = None
    if id_number:
        id_number, birth_date = parse_id_number(id_number)
    if phone:
        phone = normalize_phone(phone)
    real_name = (real_name or "").strip()
    if len(real_name) > 64:
        raise PlatformError(
            CoreError.FIELD_INVALID, field="real_name", reason="at most 64 characters"
        )
    if password:
        # The phone sign-up's rule holds for every new identity's password (an identity
        # without one cannot sign in with a password at all).
        password = check_password_rule(password)
    for field, text in (("real_name", real_name), ("nickname", nickname or "")):
        if "\x00" in text:
            raise PlatformError(CoreError.FIELD_INVALID, field=field, reason="control character")
    # One phone per identity (issue 10 item 1): looked up by its digest, the phone sealed.
    phone_digest = ids.digest(phone) if phone else ""
    if phone_digest and Identity.objects.filter(phone_digest=phone_digest).exists():
        raise PlatformError(IdentityError.PHONE_TAKEN, field="phone")
    identity = Identity(
        wechat_id=wechat_id,
        nickname=(nickname or real_name or wechat_id)[:64],
        phone=phone,
        phone_digest=phone_digest,
        real_name=real_name,
        id_number=id_number,
        id_number_digest=ids.digest(id_number) if id_number else "",
        birth_date=birth_date,
        real_name_verified=bool(real_name and id_number),
        is_demo=is_demo,
        created_at=clock.now(),
    )
    if password:
        identity.set_password(password)
    try:
        with transaction.atomic():
            identity.save()
            audit.record(
                actor,
                "identity.create",
                target=identity,
                after={"wechat_id": wechat_id, "is_demo": is_demo},
            )
    except IntegrityError:
        if phone_digest and Identity.objects.filter(phone_digest=phone_digest).exists():
            raise PlatformError(IdentityError.PHONE_TAKEN, field="phone")
        raise PlatformError(IdentityError.WECHAT_ID_TAKEN, field="wechat_id")
    return identity


def identity_authenticate(*, wechat_id: str, password: str) -> Identity:
    """The bare password check, unthrottled; the surfaces sign in through
    `identity_check_password`."""
    identity = selectors.identity_by_wechat_id(wechat_id)
    if identity is None or not identity.password:
        # The same password work, so an unknown WeChat ID answers like a wrong password.
        throttle.check_nobody_password(password)
        raise PlatformError(IdentityError.IDENTITY_LOGIN_FAILED, field="wechat_id")
    if not identity.check_password(password or ""):
        raise PlatformError(IdentityError.IDENTITY_LOGIN_FAILED, field="wechat_id")
    return identity


def _signin_scopes(wechat_id: str, ip: str) -> list[throttle.Scope]:
    return throttle.sign_in_scopes(
        SignInFailure.objects.all(),
        subject="identity",
        matches={"wechat_id": wechat_id},
        ip=ip,
        per_subject_address=policy.value("identity_signin.max_failures_per_identity_address"),
        per_subject=policy.value("identity_signin.max_failures_per_identity"),
        per_address=policy.value("identity_signin.max_failures_per_address"),
    )


def identity_check_password(*, wechat_id: object, password: object, ip: str) -> Identity:
    """Sign-in of an identity with its WeChat ID and password, for the phone pages and
    the host app (issue 9 item 1). Refusals:

    - IDENTITY_LOGIN_THROTTLED (`seconds`: the longest wait) while, within
      identity_signin.failure_window_seconds, this WeChat ID has
      identity_signin.max_failures_per_identity_address failures from this address, or
      this address identity_signin.max_failures_per_address failures, or this WeChat ID
      identity_signin.max_failures_per_identity failures from all addresses. The
      password is not checked then and nothing is recorded, so a throttled caller
      learns nothing and cannot prolong the throttle. An identity has no second factor,
      so the throttle holds for the right password too.
    - IDENTITY_LOGIN_FAILED for an unknown WeChat ID (after the same password work as a
      known one) or a wrong password: a SignInFailure row is recorded; the failure that
      brings a counter to its limit is audited once as `identity.sign_in_throttled`.

    A successful sign-in forgives the failures of this WeChat ID from this address only;
    failures from elsewhere keep counting."""
    key = selectors.clean_wechat_id(wechat_id) or ""
    ip = (ip or "")[:64]
    window = policy.value("identity_signin.failure_window_seconds")
    waits = throttle.throttled(_signin_scopes(key, ip), window=window)
    if waits:
        raise PlatformError(
            IdentityError.IDENTITY_LOGIN_THROTTLED, seconds=Seconds(max(waits.values()))
        )
    try:
        identity = identity_authenticate(wechat_id=key, password=password)  # type: ignore[arg-type]
    except PlatformError:
        with transaction.atomic():
            SignInFailure.objects.create(wechat_id=key, ip=ip, at=clock.now())
            for scope, count in throttle.just_reached(_signin_scopes(key, ip), window=window):
                audit.record(
                    Actor.anonymous(),
                    "identity.sign_in_throttled",
                    # An address's throttle concerns no one identity.
                    target=(
                        selectors.identity_by_wechat_id(key)
                        if key and scope.name != "address"
                        else None
                    ),
                    after={
                        "wechat_id": key,
                        "ip": ip,
                        "scope": scope.name,
                        "failures": count,
                        "window_seconds": window,
                    },
                )
        raise
    SignInFailure.objects.filter(wechat_id=key, ip=ip).delete()
    return identity


def identity_signed_in(
    *, identity: Identity, method: str, old_session_key: str | None, new_session_key: str | None
) -> None:
    """Record a sign-in on the phone pages.

    Signing in gives the browser a new session key (against session fixation). Tickets
    that this same browser asked for under the old key follow it to the new one, so a
    console page open in another tab keeps polling its QR code.
    """
    with transaction.atomic():
        tickets_follow_session(old_session_key=old_session_key, new_session_key=new_session_key)
        audit.record(
            Actor.for_identity(identity),
            "identity.sign_in",
            target=identity,
            after={"method": method},
        )


def tickets_follow_session(*, old_session_key: str | None, new_session_key: str | None) -> int:
    """Re-bind the unexpired tickets of a browser whose session key was renewed (any
    sign-in renews it); returns how many moved. Never binds to "no session"."""
    if not old_session_key or not new_session_key or old_session_key == new_session_key:
        return 0
    return QrTicket.objects.filter(
        session_digest=ids.digest(old_session_key), expires_at__gt=clock.now()
    ).update(session_digest=ids.digest(new_session_key))


def scan_url(ticket: QrTicket) -> str:
    return f"{settings.SITE_URL}/m/scan/{ticket.token}/"


def ticket_create(
    *,
    purpose: str,
    session_key: str,
    expected_identity: Identity | None = None,
    requirements: dict[str, Any] | None = None,
    payload: dict[str, Any] | None = None,
    summary: str = "",
) -> QrTicket:
    """A new ticket bound to the browser session that asked for it, for a purpose some
    domain registered (`identities.purposes`); an unregistered one is refused."""
    purposes.require(purpose)
    if not session_key:
        # Binding to "no session" would let every session-less client use the ticket.
        raise ValueError("a ticket needs the requesting browser's session key")
    where = origin.current()
    now = clock.now()
    return QrTicket.objects.create(
        token=ids.new_token(24),
        purpose=purpose,
        session_digest=ids.digest(session_key),
        requester_ip=where.ip,
        requester_agent=where.agent[:300],
        expected_identity=expected_identity,
        requirements=requirements or {},
        payload=payload or {},
        summary=summary[:300],
        created_at=now,
        expires_at=now + timedelta(seconds=policy.value("qr.ticket_ttl_seconds")),
    )


def _refuse_closed(ticket: QrTicket) -> None:
    """Raise the reason a ticket can no longer be decided on the phone."""
    if ticket.status == TicketStatus.DENIED:
        raise PlatformError(IdentityError.TICKET_DENIED)
    if ticket.status in (TicketStatus.CONFIRMED, TicketStatus.CONSUMED):
        raise PlatformError(IdentityError.TICKET_USED)
    if clock.now() >= ticket.expires_at:
        raise PlatformError(IdentityError.TICKET_EXPIRED)


def _open_ticket(token: str) -> QrTicket:
    ticket = selectors.ticket_by_token(token)
    if ticket is None:
        raise PlatformError(IdentityError.TICKET_INVALID)
    _refuse_closed(ticket)
    return ticket


def _check_decider(ticket: QrTicket, identity: Identity) -> None:
    if ticket.expected_identity_id and ticket.expected_identity_id != identity.pk:
        raise PlatformError(IdentityError.TICKET_WRONG_IDENTITY)
    purpose = purposes.get(ticket.purpose)
    if purpose is not None and purpose.admits is not None:
        purpose.admits(ticket, identity)


def _decide(ticket: QrTicket, identity: Identity, to: str) -> None:
    """Move an open ticket to `to` once; a concurrent decision or the expiry wins."""
    now = clock.now()
    moved = QrTicket.objects.filter(
        pk=ticket.pk, status__in=OPEN_STATUSES, expires_at__gt=now
    ).update(status=to, confirmed_by=identity, decided_at=now)
    if not moved:
        ticket.refresh_from_db()
        _refuse_closed(ticket)
        raise PlatformError(IdentityError.TICKET_USED)


def check_requirements(identity: Identity, requirements: dict[str, Any]) -> None:
    """The administrator identity check of REG-5/REG-8: a real-name verified adult whose
    name and ID number are the ones given."""
    if not requirements:
        return
    if not identity.real_name_verified or not identity.id_number or not identity.real_name:
        raise PlatformError(IdentityError.IDENTITY_NOT_REAL_NAME)
    min_age = policy.value("registration.min_age_years")
    if identity.birth_date is None or age_on(identity.birth_date, clock.today()) < min_age:
        raise PlatformError(IdentityError.IDENTITY_UNDERAGE, age=min_age)
    # A present but empty expectation must not pass as "anything goes".
    if (
        "real_name" in requirements
        and identity.real_name.strip() != str(requirements["real_name"] or "").strip()
    ):
        raise PlatformError(IdentityError.IDENTITY_MISMATCH)
    if "id_number_digest" in requirements and not hmac.compare_digest(
        ids.digest(identity.id_number), str(requirements["id_number_digest"] or "")
    ):
        raise PlatformError(IdentityError.IDENTITY_MISMATCH)


def ticket_for_scan(*, identity: Identity, token: str) -> QrTicket:
    """The ticket as shown on the phone; marks it scanned.

    Only an identity that may confirm marks it: a wrong or unqualified identity is told
    why and leaves the ticket as it was.
    """
    ticket = _open_ticket(token)
    _check_decider(ticket, identity)
    check_requirements(identity, ticket.requirements)
    if ticket.status == TicketStatus.PENDING:
        QrTicket.objects.filter(
            pk=ticket.pk, status=TicketStatus.PENDING, expires_at__gt=clock.now()
        ).update(status=TicketStatus.SCANNED)
        ticket.status = TicketStatus.SCANNED
    return ticket


def ticket_confirm(*, identity: Identity, token: str) -> QrTicket:
    with transaction.atomic():
        ticket = _open_ticket(token)
        _check_decider(ticket, identity)
        check_requirements(identity, ticket.requirements)
        _decide(ticket, identity, TicketStatus.CONFIRMED)
        audit.record(
            Actor.for_identity(identity),
            "qr_ticket.confirm",
            target=ticket,
            after={"purpose": ticket.purpose, "summary": ticket.summary},
        )
        ticket.refresh_from_db()
        # What confirming does for this purpose, in the same transaction: its refusal
        # undoes the confirmation.
        purpose = purposes.get(ticket.purpose)
        if purpose is not None and purpose.on_confirm is not None:
            purpose.on_confirm(ticket)
    return ticket


def ticket_deny(*, identity: Identity, token: str) -> QrTicket:
    with transaction.atomic():
        ticket = _open_ticket(token)
        _check_decider(ticket, identity)
        _decide(ticket, identity, TicketStatus.DENIED)
        audit.record(
            Actor.for_identity(identity),
            "qr_ticket.deny",
            target=ticket,
            after={"purpose": ticket.purpose},
        )
    ticket.refresh_from_db()
    return ticket


def _owned_ticket(token: str, session_key: str | None, purpose: str | None) -> QrTicket:
    ticket = selectors.ticket_by_token(token)
    if ticket is None or (purpose and ticket.purpose != purpose):
        raise PlatformError(IdentityError.TICKET_INVALID)
    if not selectors.session_owns(ticket, session_key):
        raise PlatformError(IdentityError.TICKET_FOREIGN_SESSION)
    return ticket


def ticket_status(*, token: str, session_key: str | None, purpose: str | None = None) -> str:
    """Polled by the requesting page; never reveals a foreign session's ticket.

    A ticket past its expiry reads "expired" unless it was used or denied: a confirmed
    ticket can no longer be used then either.
    """
    ticket = _owned_ticket(token, session_key, purpose)
    closed = (TicketStatus.CONSUMED, TicketStatus.DENIED)
    if ticket.status not in closed and clock.now() >= ticket.expires_at:
        return "expired"
    return ticket.status


def ticket_consume(*, token: str, session_key: str | None, purpose: str) -> QrTicket:
    """Use a confirmed ticket once, from the session that asked for it, before it expires."""
    with transaction.atomic():
        ticket = _owned_ticket(token, session_key, purpose)
        if ticket.status == TicketStatus.CONSUMED:
            raise PlatformError(IdentityError.TICKET_USED)
        if ticket.status == TicketStatus.DENIED:
            raise PlatformError(IdentityError.TICKET_DENIED)
        now = clock.now()
        if now >= ticket.expires_at:
            raise PlatformError(IdentityError.TICKET_EXPIRED)
        if ticket.status != TicketStatus.CONFIRMED:
            raise PlatformError(IdentityError.TICKET_PENDING)
        taken = QrTicket.objects.filter(
            pk=ticket.pk, status=TicketStatus.CONFIRMED, expires_at__gt=now
        ).update(status=TicketStatus.CONSUMED, consumed_at=now)
        if not taken:
            raise PlatformError(IdentityError.TICKET_USED)
    ticket.refresh_from_db()
    return ticket
