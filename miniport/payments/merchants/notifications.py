"""The merchant application's decisions told to the mini program (PAY-1): the message
centre and the administrator's email, through delivery routes (workers, never the
request that decided).

| event | when |
|---|---|
| `merchant.approved` | the desk approved: the merchant is open (its mch_id) |
| `merchant.material_requested` | the reviewer asks for more material (reasons) |
| `merchant.rejected` | the desk rejected (reasons) |

The API key is in no event, message or mail: the administrator reveals it in the console.
Texts are written in the platform's default language when the message is made.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from miniport.core.models import OutboxEvent
from miniport.miniprograms.models import MiniProgram
from miniport.miniprograms.services import notifications

APPROVED, MATERIAL_REQUESTED, REJECTED = (
    "merchant.approved",
    "merchant.material_requested",
    "merchant.rejected",
)
NOTIFIED = f"{APPROVED}|{MATERIAL_REQUESTED}|{REJECTED}"


def notice(event: OutboxEvent, _miniprogram: MiniProgram) -> tuple[str, str]:
    """The title and body of the message and the email telling of `event`."""
    payload = event.payload or {}
    reason = str(payload.get("reason") or "-")
    if event.kind == APPROVED:
        return _("Payment opened"), _(
            "The application for payment was approved: merchant number %(mch_id)s. The "
            "administrator can see the API key once on the payments page."
        ) % {"mch_id": payload.get("mch_id", "")}
    if event.kind == MATERIAL_REQUESTED:
        return _("More material needed for payment"), _(
            "The reviewer asks for more material: %(reason)s. Add it on the payments page."
        ) % {"reason": reason}
    return _("Payment application rejected"), _(
        "The application for payment was rejected. Reason: %(reason)s"
    ) % {"reason": reason}


NOTICE = notifications.Notice("merchant", NOTIFIED, notice, "console:payments")


def register_routes() -> None:
    notifications.notice_routes_register(NOTICE)
