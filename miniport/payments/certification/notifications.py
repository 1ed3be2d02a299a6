"""Certification told to the mini program: the message centre and the administrator's
email, through delivery routes (workers, never the request that decided).

| event | when |
|---|---|
| `certification.fee_paid` | the fee arrived, the review starts |
| `certification.material_requested` | the reviewer asks for more material (reasons) |
| `certification.approved` / `certification.rejected` | the decision (reasons) |
| `certification.reminder` | N days before the certification runs out (`reminders`) |
| `certification.expired` | it ran out |

Texts are written in the platform's default language when the message is made.
"""

from __future__ import annotations

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from miniport.core.models import OutboxEvent
from miniport.miniprograms.models import MiniProgram
from miniport.miniprograms.services import notifications
from miniport.payments.certification.selectors import day

NOTIFIED = (
    "certification.fee_paid|certification.material_requested|certification.approved"
    "|certification.rejected|certification.reminder|certification.expired"
)


def notice(event: OutboxEvent, mp: MiniProgram) -> tuple[str, str]:
    """The title and body of the message and the email telling of `event`."""
    payload = event.payload or {}
    reason = str(payload.get("reason") or "-")
    if event.kind == "certification.fee_paid":
        return _("Certification fee received"), _(
            "The certification fee was received; the application is under review."
        )
    if event.kind == "certification.material_requested":
        return _("More certification material needed"), _(
            "The reviewer asks for more material: %(reason)s. Add it on the certification page."
        ) % {"reason": reason}
    if event.kind == "certification.approved":
        return _("Certification approved"), _("Certified until %(date)s.") % {
            "date": day(mp.subject.certified_until)
        }
    if event.kind == "certification.rejected":
        return _("Certification rejected"), _(
            "The certification application was rejected. Reason: %(reason)s"
        ) % {"reason": reason}
    until = parse_datetime(str(payload.get("certified_until") or ""))
    if event.kind == "certification.expired":
        return _("Certification expired"), _(
            "The certification ended on %(date)s. Renew it to keep the certified functions."
        ) % {"date": day(until)}
    days = int(payload.get("days") or 0)
    return _("Certification expires soon"), ngettext(
        "The certification ends on %(date)s, in %(n)s day. Renew it in time.",
        "The certification ends on %(date)s, in %(n)s days. Renew it in time.",
        days,
    ) % {"date": day(until), "n": days}


NOTICE = notifications.Notice("certification", NOTIFIED, notice, "console:basic_certification")


def register_routes() -> None:
    notifications.notice_routes_register(NOTICE)
