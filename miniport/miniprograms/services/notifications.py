"""The console's message centre and the administrator's email (B-6, VER-5): the two
notification targets of a mini program that stay inside the platform or its mail backend.

Domains that want to tell a mini program something describe it as a `Notice` (which
events, how they are worded, which console page the message leads to) and register it
with `notice_routes_register`: one delivery route (`core.deliveries`) for the message
centre and one for the administrator's email, both run in workers, never in a web
request. The message centre words a message again in the reader's language from the
same Notice (`reword`). `message_post` is idempotent per event (a repeated
delivery posts no second message). Mail goes through Django's mail backends (files under
var/mail unless EMAIL_URL is set).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from miniport.core import clock, deliveries
from miniport.core.actors import Actor
from miniport.core.models import OutboxEvent
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


# --- notices: a domain's events told to the mini program ------------------------------


@dataclass(frozen=True)
class Notice:
    """How a domain's events reach the mini program: `pattern` the event kinds (as
    `core.deliveries` patterns), `words(event, miniprogram)` their title and body in the
    active language, `link` the URL name of the console page a message leads to.
    Routes are named `<name>.inbox` and `<name>.email`."""

    name: str
    pattern: str
    words: Callable[[OutboxEvent, MiniProgram], tuple[str, str]]
    link: str

    def matches(self, kind: str) -> bool:
        return deliveries.pattern_matches(self.pattern, kind)


NOTICES: dict[str, Notice] = {}


def miniprogram_of_event(event: OutboxEvent) -> MiniProgram:
    """The mini program an event is about; an AppID no mini program has any more ends
    the delivery for good."""
    appid = event.appid or str((event.payload or {}).get("appid", ""))
    miniprogram = (
        MiniProgram.objects.select_related("account", "subject").filter(appid=appid).first()
    )
    if miniprogram is None:
        raise deliveries.DeliveryFailed("no mini program has this AppID", final=True)
    return miniprogram


def _link(notice: Notice) -> str:
    try:
        return reverse(notice.link)
    except NoReverseMatch:
        return ""


@dataclass(frozen=True)
class _ToInbox:
    notice: Notice

    def __call__(self, job: deliveries.Job) -> None:
        miniprogram = miniprogram_of_event(job.event)
        with translation.override(settings.LANGUAGE_CODE):
            title, body = self.notice.words(job.event, miniprogram)
        message_post(
            miniprogram=miniprogram,
            title=title,
            body=body,
            link=_link(self.notice),
            kind=job.event.kind,
            event_id=job.event.pk,
        )


@dataclass(frozen=True)
class _ToEmail:
    notice: Notice

    def __call__(self, job: deliveries.Job) -> None:
        miniprogram = miniprogram_of_event(job.event)
        with translation.override(settings.LANGUAGE_CODE):
            title, body = self.notice.words(job.event, miniprogram)
            subject = f"[{miniprogram.name or miniprogram.appid}] {title}"
        admin_email_send(miniprogram=miniprogram, subject=subject, body=body)


def notice_routes_register(notice: Notice) -> None:
    """Deliver the notice's events to the message centre and the administrator's email.
    Registering the same notice again (ready() may run twice) changes nothing."""
    NOTICES[notice.name] = notice
    deliveries.register(f"{notice.name}.inbox", notice.pattern, _ToInbox(notice))
    deliveries.register(f"{notice.name}.email", notice.pattern, _ToEmail(notice))


def reword(event: OutboxEvent, miniprogram: MiniProgram) -> tuple[str, str] | None:
    """The message of `event` worded in the active language by the notice it came from;
    None when no notice speaks of such events (the stored words stay)."""
    for notice in NOTICES.values():
        if notice.matches(event.kind):
            return notice.words(event, miniprogram)
    return None
