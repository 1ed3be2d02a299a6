"""Plugin usage told to the mini programs (PLG-9): a new application to the owner's
message centre (and administrator's email), the answer to the applicant.

| event | to | when |
|---|---|---|
| `plugin.application_submitted` | the plugin's owner | a mini program applied |
| `plugin.application_approved` | the applicant | approved by the owner or its policy |
| `plugin.application_refused` | the applicant | refused (with the reason) |
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from miniport.core.models import OutboxEvent
from miniport.miniprograms.models import MiniProgram
from miniport.miniprograms.services import notifications

SUBMITTED = "plugin.application_submitted"
APPROVED = "plugin.application_approved"
REFUSED = "plugin.application_refused"


def owner_words(event: OutboxEvent, _miniprogram: MiniProgram) -> tuple[str, str]:
    payload = event.payload or {}
    return _("New plugin usage application"), _(
        "%(applicant)s (%(appid)s) applies to use the plugin %(plugin)s. Reason: %(reason)s"
    ) % {
        "applicant": payload.get("applicant_name") or payload.get("applicant", ""),
        "appid": payload.get("applicant", ""),
        "plugin": payload.get("plugin_name", ""),
        "reason": payload.get("reason") or "-",
    }


def applicant_words(event: OutboxEvent, _miniprogram: MiniProgram) -> tuple[str, str]:
    payload = event.payload or {}
    names = {"plugin": payload.get("plugin_name", ""), "appid": payload.get("plugin_appid", "")}
    if event.kind == APPROVED:
        return _("Plugin usage approved"), _(
            "The application to use the plugin %(plugin)s (%(appid)s) was approved."
        ) % names
    return _("Plugin usage refused"), _(
        "The application to use the plugin %(plugin)s (%(appid)s) was refused. Reason: %(reason)s"
    ) % {**names, "reason": payload.get("reason") or "-"}


OWNER_NOTICE = notifications.Notice(
    "plugin_application", SUBMITTED, owner_words, "console:plugin_users"
)
APPLICANT_NOTICE = notifications.Notice(
    "plugin_answer", f"{APPROVED}|{REFUSED}", applicant_words, "console:plugins"
)


def register_routes() -> None:
    notifications.notice_routes_register(OWNER_NOTICE)
    notifications.notice_routes_register(APPLICANT_NOTICE)
