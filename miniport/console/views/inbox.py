"""The message centre (B-6, VER-5): what the platform told the mini program (review
results, releases), newest first, with the unread count. Opening the page shows the
messages; "mark all read" (or one message's) records that they were read.

`inbox.view` opens the page and marks messages read; anyone else gets 404.
Templates in `templates/console/inbox/`.
"""

from __future__ import annotations

from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST

from miniport.console.access import actor_of, console_view
from miniport.console.views.common import page
from miniport.core.models import OutboxEvent
from miniport.core.validators import whole_number
from miniport.miniprograms.services import notifications


@console_view(action="inbox.view")
@require_GET
def inbox_page(request):
    """B-6: the messages and how many are unread."""
    mp = request.miniprogram
    return page(
        request,
        "console/inbox/index.html",
        messages_list=_in_page_language(notifications.inbox(mp), mp),
        unread=notifications.unread_count(mp),
    )


def _in_page_language(messages: list, mp) -> list:
    """Messages are stored in the platform's default language; one told of an event is
    worded again from that event in the page's language (issue 10 item 5)."""
    events = OutboxEvent.objects.in_bulk(
        [message.event_id for message in messages if message.event_id]
    )
    for message in messages:
        event = events.get(message.event_id)
        if event is not None:
            worded = notifications.reword(event, mp)
            if worded is not None:
                message.title, message.body = worded
    return messages


@console_view(action="inbox.view")
@require_POST
def inbox_mark_read(request):
    """Mark one message (`id`) or every unread message read."""
    one = whole_number(request.POST.get("id") or "")
    ids = [one] if one is not None else None
    notifications.messages_mark_read(
        actor=actor_of(request), miniprogram=request.miniprogram, ids=ids
    )
    return redirect("console:inbox")
