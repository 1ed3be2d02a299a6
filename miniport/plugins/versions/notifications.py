"""Review results and releases of plugin versions told to the owner mini program's
message centre and administrator's email (PLG-8), like code reviews
(`releases/notifications.py`). Handlers run in a worker (`core.deliveries`)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from miniport.core.models import OutboxEvent
from miniport.miniprograms.models import MiniProgram
from miniport.miniprograms.services import notifications

NOTIFIED = "plugin.audit_success|plugin.audit_fail|plugin.audit_delay|plugin.released"


def notice(event: OutboxEvent) -> tuple[str, str]:
    """The title and body of the message telling of `event`."""
    payload = event.payload or {}
    version = str(payload.get("user_version") or "")
    reason = str(payload.get("reason") or "") or "-"
    if event.kind == "plugin.audit_success":
        title = _("Plugin review approved")
        body = _("The submitted plugin version passed review and can be released.")
    elif event.kind == "plugin.audit_fail":
        title = _("Plugin review rejected")
        body = _("The submitted plugin version did not pass review. Reason: %(reason)s") % {
            "reason": reason
        }
    elif event.kind == "plugin.audit_delay":
        title = _("Plugin review delayed")
        body = _("The review of the submitted plugin version is delayed. Reason: %(reason)s") % {
            "reason": reason
        }
    else:
        title = _("Plugin version released")
        body = _("The plugin version is now online.")
    if version:
        body = _("Version %(version)s") % {"version": version} + f": {body}"
    return title, body


def wording(event: OutboxEvent, _miniprogram: MiniProgram) -> tuple[str, str]:
    return notice(event)


NOTICE = notifications.Notice("plugin_versions", NOTIFIED, wording, "console:plugin_versions")


def register_routes() -> None:
    notifications.notice_routes_register(NOTICE)
