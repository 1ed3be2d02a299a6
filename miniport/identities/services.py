"""Identities (super-app users) and QR confirmation tickets."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from miniport.core import audit, clock, ids, origin, policy
from miniport.core.actors import Actor
from miniport.core.errors import ErrorCode, PlatformError
from miniport.core.validators import age_on, check_wechat_id, normalize_phone, parse_id_number
from miniport.identities.models import Identity, QrTicket, TicketPurpose, TicketStatus


def identity_create(
    *,
    actor: Actor,
    wechat_id: str,
    real_name: str = "",
    id_number: str = "",
    phone: str = "",
    password: str = "",
    nickname: str = "",
) -> Identity:
    wechat_id = check_wechat_id(wechat_id)
    birth_date = None
    if id_number:
        id_number, birth_date = parse_id_number(id_number)
    if phone:
        phone = normalize_phone(phone)
    real_name = (real_name or "").strip()
    if len(real_name) > 64:
        raise PlatformError(ErrorCode.FIELD_INVALID, field="real_name", reason="at most 64 characters")
    identity = Identity(
        wechat_id=wechat_id,
        nickname=(nickname or real_name or wechat_id)[:64],
        phone=phone,
        real_name=real_name,
        id_number=id_number,
        birth_date=birth_date,
        real_name_verified=bool(real_name and id_number),
        created_at=clock.now(),
    )
    if password:
        identity.set_password(password)
    try:
        with transaction.atomic():
            identity.save()
            audit.record(actor, "identity.create", target=identity, after={"wechat_id": wechat_id})
    except IntegrityError:
        raise PlatformError(ErrorCode.WECHAT_ID_TAKEN, field="wechat_id")
    return identity


def identity_authenticate(*, wechat_id: str, password: str) -> Identity:
    identity = Identity.objects.filter(wechat_id=(wechat_id or "").strip()).first()
    if identity is None or not identity.check_password(password or ""):
        raise PlatformError(ErrorCode.IDENTITY_LOGIN_FAILED, field="wechat_id")
    return identity


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
    """A new ticket bound to the browser session that asked for it."""
    if purpose not in TicketPurpose.values:
        raise ValueError(f"unknown ticket purpose {purpose!r}")
    where = origin.current()
    now = clock.now()
    return QrTicket.objects.create(
        token=ids.new_token(24),
        purpose=purpose,
        session_digest=ids.digest(session_key),
        requester_ip=where.ip,
        requester_agent=where.agent,
        expected_identity=expected_identity,
        requirements=requirements or {},
        payload=payload or {},
        summary=summary[:300],
        created_at=now,
        expires_at=now + timedelta(seconds=policy.value("qr.ticket_ttl_seconds")),
    )


def _open_ticket(token: str) -> QrTicket:
    ticket = QrTicket.objects.select_related("expected_identity").filter(token=token or "").first()
    if ticket is None:
        raise PlatformError(ErrorCode.TICKET_INVALID)
    if ticket.status == TicketStatus.CONSUMED:
        raise PlatformError(ErrorCode.TICKET_USED)
    if ticket.status == TicketStatus.DENIED:
        raise PlatformError(ErrorCode.TICKET_DENIED)
    if ticket.status == TicketStatus.CONFIRMED:
        raise PlatformError(ErrorCode.TICKET_USED)
    if clock.now() >= ticket.expires_at:
        raise PlatformError(ErrorCode.TICKET_EXPIRED)
    return ticket


def ticket_for_scan(*, identity: Identity, token: str) -> QrTicket:
    """The ticket as shown on the phone; marks it scanned."""
    ticket = _open_ticket(token)
    if ticket.status == TicketStatus.PENDING:
        QrTicket.objects.filter(pk=ticket.pk, status=TicketStatus.PENDING).update(status=TicketStatus.SCANNED)
        ticket.status = TicketStatus.SCANNED
    return ticket


def check_requirements(identity: Identity, requirements: dict[str, Any]) -> None:
    """The administrator identity check of REG-5/REG-8: real-name, adult, same name and ID number."""
    if not requirements:
        return
    if not identity.real_name_verified or not identity.id_number:
        raise PlatformError(ErrorCode.IDENTITY_NOT_REAL_NAME)
    min_age = policy.value("registration.min_age_years")
    if identity.birth_date is None or age_on(identity.birth_date, clock.today()) < min_age:
        raise PlatformError(ErrorCode.IDENTITY_UNDERAGE, age=min_age)
    if requirements.get("real_name") and identity.real_name != requirements["real_name"]:
        raise PlatformError(ErrorCode.IDENTITY_MISMATCH)
    if requirements.get("id_number_digest") and ids.digest(identity.id_number) != requirements["id_number_digest"]:
        raise PlatformError(ErrorCode.IDENTITY_MISMATCH)


def ticket_confirm(*, identity: Identity, token: str) -> QrTicket:
    with transaction.atomic():
        ticket = _open_ticket(token)
        if ticket.expected_identity_id and ticket.expected_identity_id != identity.pk:
            raise PlatformError(ErrorCode.TICKET_WRONG_IDENTITY)
        check_requirements(identity, ticket.requirements)
        now = clock.now()
        moved = QrTicket.objects.filter(
            pk=ticket.pk, status__in=[TicketStatus.PENDING, TicketStatus.SCANNED]
        ).update(status=TicketStatus.CONFIRMED, confirmed_by=identity, decided_at=now)
        if not moved:
            raise PlatformError(ErrorCode.TICKET_USED)
        audit.record(
            Actor.for_identity(identity),
            "qr_ticket.confirm",
            target=ticket,
            after={"purpose": ticket.purpose, "summary": ticket.summary},
        )
    ticket.refresh_from_db()
    return ticket


def ticket_deny(*, identity: Identity, token: str) -> QrTicket:
    with transaction.atomic():
        ticket = _open_ticket(token)
        if ticket.expected_identity_id and ticket.expected_identity_id != identity.pk:
            raise PlatformError(ErrorCode.TICKET_WRONG_IDENTITY)
        QrTicket.objects.filter(pk=ticket.pk, status__in=[TicketStatus.PENDING, TicketStatus.SCANNED]).update(
            status=TicketStatus.DENIED, confirmed_by=identity, decided_at=clock.now()
        )
        audit.record(Actor.for_identity(identity), "qr_ticket.deny", target=ticket, after={"purpose": ticket.purpose})
    ticket.refresh_from_db()
    return ticket


def _owned_ticket(token: str, session_key: str, purpose: str | None) -> QrTicket:
    ticket = QrTicket.objects.select_related("confirmed_by").filter(token=token or "").first()
    if ticket is None or (purpose and ticket.purpose != purpose):
        raise PlatformError(ErrorCode.TICKET_INVALID)
    if ticket.session_digest != ids.digest(session_key or ""):
        raise PlatformError(ErrorCode.TICKET_FOREIGN_SESSION)
    return ticket


def ticket_status(*, token: str, session_key: str, purpose: str | None = None) -> str:
    """Polled by the requesting page; never reveals a foreign session's ticket."""
    ticket = _owned_ticket(token, session_key, purpose)
    if ticket.status in (TicketStatus.PENDING, TicketStatus.SCANNED) and clock.now() >= ticket.expires_at:
        return "expired"
    return ticket.status


def ticket_consume(*, token: str, session_key: str, purpose: str) -> QrTicket:
    """Use a confirmed ticket once, from the session that asked for it."""
    ticket = _owned_ticket(token, session_key, purpose)
    if ticket.status == TicketStatus.CONSUMED:
        raise PlatformError(ErrorCode.TICKET_USED)
    if ticket.status == TicketStatus.DENIED:
        raise PlatformError(ErrorCode.TICKET_DENIED)
    if ticket.status != TicketStatus.CONFIRMED:
        if clock.now() >= ticket.expires_at:
            raise PlatformError(ErrorCode.TICKET_EXPIRED)
        raise PlatformError(ErrorCode.TICKET_PENDING)
    # Confirmed tickets stay usable only until their expiry as well.
    if clock.now() >= ticket.expires_at:
        raise PlatformError(ErrorCode.TICKET_EXPIRED)
    taken = QrTicket.objects.filter(pk=ticket.pk, status=TicketStatus.CONFIRMED).update(
        status=TicketStatus.CONSUMED, consumed_at=clock.now()
    )
    if not taken:
        raise PlatformError(ErrorCode.TICKET_USED)
    ticket.refresh_from_db()
    return ticket
