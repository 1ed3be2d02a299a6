"""The console's message centre and the administrator's email (B-6, VER-5): the two
notification targets of a mini program that stay inside the platform or its mail backend.

Domains that want to tell a mini program something register a delivery route
(`core.deliveries`) whose handler calls `message_post` or `admin_email_send`; both run
in workers, never in a web request. `message_post` is idempotent per event (a repeated
delivery posts no second message). Mail goes through Django's mail backends (files under
var/mail unless EMAIL_URL is set).
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from miniport.core import clock
from miniport.core.actors import Actor
from miniport.miniprograms.models import Message, MiniProgram


def message_post(
    *,
    miniprogram: MiniProgram,
    title: str,
    body: str = "",
    link: str = "",
    kind: str = "",
    event_id: int | None = None,
) -> Message:
    """Put a message in the mini program's message centre (once per event)."""
    if event_id is not None:
        existing = Message.objects.filter(miniprogram=miniprogram, event_id=event_id).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            return Message.objects.create(
                miniprogram=miniprogram,
                kind=kind[:100],
                title=title[:200],
                body=body,
                link=link[:500],
                event_id=event_id,
                created_at=clock.now(),
            )
    except IntegrityError:  # a concurrent repeat of the same event got there first
        return Message.objects.get(miniprogram=miniprogram, event_id=event_id)


def messages_mark_read(
    *, actor: Actor, miniprogram: MiniProgram, ids: list[int] | None = None
) -> int:
    """Mark the given messages (all unread ones when None) read; returns how many."""
    unread = Message.objects.filter(miniprogram=miniprogram, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=clock.now())


def inbox(miniprogram: MiniProgram, *, limit: int = 100) -> list[Message]:
    return list(Message.objects.filter(miniprogram=miniprogram)[:limit])


def unread_count(miniprogram: MiniProgram) -> int:
    return Message.objects.filter(miniprogram=miniprogram, read_at__isnull=True).count()


def admin_email(miniprogram: MiniProgram) -> str:
    """The administrator's account email, where the platform's notices are mailed."""
    account = getattr(miniprogram, "account", None)
    return (getattr(account, "email", "") or "").strip()


def admin_email_send(*, miniprogram: MiniProgram, subject: str, body: str) -> bool:
    """Mail the administrator's account; False when the account has no email."""
    to = admin_email(miniprogram)
    if not to:
        return False
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to], fail_silently=False)
    return True
