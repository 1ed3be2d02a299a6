"""The desk's decisions on a mini program's name and categories told to the mini program
(INF-1, INF-6): the message centre and the administrator's email, through delivery routes
(workers, never the request that decided), as code review results are told.

| event | ret | message |
|---|---|---|
| `miniprogram.name_audit` | 3 approved, 2 rejected (with the reason) | "Name approved" / "Name rejected" |
| `miniprogram.category_audit` | 3 approved, 2 rejected (with the reason) | "Category approved" / "Category rejected" |

Texts are written in the platform's default language when the message is made.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from miniport.core.models import OutboxEvent
from miniport.miniprograms.models import MiniProgram
from miniport.miniprograms.review_kinds import RET_APPROVED
from miniport.miniprograms.services import notifications

NAME_AUDIT, CATEGORY_AUDIT = "miniprogram.name_audit", "miniprogram.category_audit"


def _reason(payload: dict) -> str:
    return str(payload.get("reason") or "-")


def name_notice(event: OutboxEvent, _miniprogram: MiniProgram) -> tuple[str, str]:
    payload = event.payload or {}
    name = str(payload.get("nickname") or "")
    if payload.get("ret") == RET_APPROVED:
        return _("Name approved"), _(
            "The name %(name)s passed review and is now the mini program's name."
        ) % {"name": name}
    return _("Name rejected"), _(
        "The name %(name)s did not pass review. Reason: %(reason)s. Change it in the basic "
        "settings."
    ) % {"name": name, "reason": _reason(payload)}


def category_notice(event: OutboxEvent, _miniprogram: MiniProgram) -> tuple[str, str]:
    payload = event.payload or {}
    category = str(payload.get("category") or f"{payload.get('first')} > {payload.get('second')}")
    if payload.get("ret") == RET_APPROVED:
        return _("Category approved"), _("The service category %(category)s passed review.") % {
            "category": category
        }
    return _("Category rejected"), _(
        "The service category %(category)s did not pass review. Reason: %(reason)s"
    ) % {"category": category, "reason": _reason(payload)}


NAME_NOTICE = notifications.Notice(
    "profile_names", NAME_AUDIT, name_notice, "console:basic_settings"
)
CATEGORY_NOTICE = notifications.Notice(
    "profile_categories", CATEGORY_AUDIT, category_notice, "console:basic_categories"
)


def register_routes() -> None:
    notifications.notice_routes_register(NAME_NOTICE)
    notifications.notice_routes_register(CATEGORY_NOTICE)
