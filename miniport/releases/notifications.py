"""Review results and releases told to the mini program (B-6, VER-5): the releases
domain's delivery routes, registered from its AppConfig.ready().

| event | message centre | administrator's email | message push (WeChat format) |
|---|---|---|---|
| `code.audit_success` | yes | yes | `weapp_audit_success` (SuccTime) |
| `code.audit_fail` | yes | yes | `weapp_audit_fail` (Reason, FailTime, ScreenShot) |
| `code.audit_delay` | yes | yes | `weapp_audit_delay` (Reason, DelayTime) |
| `code.released` | yes | yes | no (WeChat pushes no release event) |

Signed webhooks receive these and every other event of the mini program through
miniprograms' own route. Payloads carry the AppID and, for a failure or a delay, `reason`
and `screenshots` (a list of media ids or URLs; WeChat joins them with "|"). Every handler
runs in a worker (`core.deliveries`), never in the request that decided the review.
Texts are written in the platform's default language when the message is made.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from miniport.core import deliveries
from miniport.core.models import OutboxEvent
from miniport.miniprograms.models import MiniProgram
from miniport.miniprograms.services import notifications, push_events
from miniport.releases import catalog

NOTIFIED = "code.audit_success|code.audit_fail|code.audit_delay|code.released"
PUSHED = "code.audit_success|code.audit_fail|code.audit_delay"
ROUTE_INBOX = "releases.inbox"
ROUTE_EMAIL = "releases.email"
ROUTE_PUSH = "releases.push"

WECHAT_EVENTS = {
    "code.audit_success": "weapp_audit_success",
    "code.audit_fail": "weapp_audit_fail",
    "code.audit_delay": "weapp_audit_delay",
}


def _appid(event: OutboxEvent) -> str:
    return event.appid or str((event.payload or {}).get("appid", ""))


def _screenshots(payload: dict[str, Any]) -> list[str]:
    shots = payload.get("screenshots") or []
    if isinstance(shots, str):
        shots = [part for part in shots.split("|") if part]
    return [str(shot) for shot in shots]


def _version(payload: dict[str, Any]) -> str:
    return str(payload.get("user_version") or payload.get("version") or "")


def _reason(payload: dict[str, Any]) -> str:
    """The review's reason in the active language: the payload's `reason` is one text
    worded when the review was decided, in the platform's default language; the stored
    reasons beside it (catalog keys or free text) are worded again, a key as its title
    in the reader's language (the message centre rewords each message for its page)."""
    reasons = payload.get("reasons")
    if isinstance(reasons, list) and reasons:
        lang = get_language()
        return "\n".join(catalog.reason_text(item, lang) for item in reasons)
    return str(payload.get("reason") or "")


def notice(event: OutboxEvent) -> tuple[str, str]:
    """The title and body of the message and the email telling of `event`."""
    payload = event.payload or {}
    version = _version(payload)
    reason = _reason(payload)
    when = _("Version %(version)s") % {"version": version} if version else ""
    if event.kind == "code.audit_success":
        title = _("Code review approved")
        body = _("The submitted code passed review and can be released.")
    elif event.kind == "code.audit_fail":
        title = _("Code review rejected")
        body = _("The submitted code did not pass review. Reason: %(reason)s") % {
            "reason": reason or "-"
        }
        shots = _screenshots(payload)
        if shots:
            body += "\n" + _("Screenshots: %(shots)s") % {"shots": ", ".join(shots)}
    elif event.kind == "code.audit_delay":
        title = _("Code review delayed")
        body = _("The review of the submitted code is delayed. Reason: %(reason)s") % {
            "reason": reason or "-"
        }
    else:
        title = _("Version released")
        body = _("The version is now online.")
    if when:
        body = f"{when}: {body}"
    return title, body


def wording(event: OutboxEvent, _miniprogram: MiniProgram) -> tuple[str, str]:
    return notice(event)


NOTICE = notifications.Notice("releases", NOTIFIED, wording, "console:versions")


def push_fields(event: OutboxEvent) -> tuple[str, dict[str, Any]]:
    """WeChat's event name and fields for a review result (wechat-api.md §4.14)."""
    payload = event.payload or {}
    at = int(event.created_at.timestamp())
    name = WECHAT_EVENTS[event.kind]
    if event.kind == "code.audit_success":
        return name, {"SuccTime": at}
    if event.kind == "code.audit_fail":
        return name, {
            "Reason": str(payload.get("reason") or ""),
            "FailTime": at,
            "ScreenShot": "|".join(_screenshots(payload)),
        }
    return name, {"Reason": str(payload.get("reason") or ""), "DelayTime": at}


def push_recipients(event: OutboxEvent) -> list[str]:
    return [""] if push_events.push_target(_appid(event)) is not None else []


def to_push(job: deliveries.Job) -> deliveries.Sent:
    name, fields = push_fields(job.event)
    status = push_events.push_event(
        _appid(job.event), name, fields, create_time=int(job.event.created_at.timestamp())
    )
    return deliveries.Sent(status_code=status)


def register_routes() -> None:
    notifications.notice_routes_register(NOTICE)
    deliveries.register(ROUTE_PUSH, PUSHED, to_push, recipients=push_recipients)
