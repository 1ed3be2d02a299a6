"""Plugin usage (PLG-9, PLG-11, B-9): applications, answers, deletion, unbinding and the
owner's approval policy.

Refusals (`UsageError`), after which nothing changed:
- `plugin_apply`: no such plugin: PLUGIN_NOT_FOUND (89239); the applicant owns the
  plugin: OWN_PLUGIN (89236); no released version: NOT_APPLIABLE (89236); the pair
  already approved or applying (not timed out): ALREADY_ADDED (89237, the database's
  one-live-application constraint decides under concurrency); plugins in use or applying
  at `plugin.max_in_use`: IN_USE_LIMIT (89238); the month's `plugin.applications_per_month`
  taken: APPLY_LIMIT (89238); a reason too long: CoreError.FIELD_INVALID.
  A plugin added "by AppID only" is appliable by its AppID (search hides it, nothing more).
- agree / refuse: the application is not applying or has timed out: NOT_APPLYING
  (89240); the AppID has no application: NOT_IN_APPLY_LIST (89242).
- delete: applying: PENDING_NOT_DELETABLE (89243); approved: NOT_DELETABLE (89241).
- unbind: the pair has no approved (or, from the user's side, applying) application:
  NOT_ADDED / NOT_IN_APPLY_LIST (89242).

PLG-9: an application unanswered for `plugin.application_answer_hours` is timed out when
read; a new application of the same pair closes the stale row (EXPIRED, ended_at) in
its own transaction. The limits are counted under the applicant's row lock (PostgreSQL;
SQLite's IMMEDIATE transactions serialise writers), the month's count with
`core.quotas`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction

from miniport.core import audit, clock, events, policy, quotas
from miniport.core.actors import Actor
from miniport.core.errors import CoreError, PlatformError
from miniport.miniprograms.models import MiniProgram
from miniport.plugins.models import (
    ApprovalPolicy,
    Plugin,
    PluginApplication,
    PluginApplicationStatus,
)
from miniport.plugins.usage import notifications as notes
from miniport.plugins.usage import selectors
from miniport.plugins.usage.errors import UsageError
from miniport.releases.services.common import label_of

S = PluginApplicationStatus
REASON_MAX = 500
_APPID = re.compile(r"^wx[0-9a-f]{16}\Z")


def _reason(value: Any, field: str = "reason") -> str:
    text = " ".join(str(value or "").split())
    if len(text) > REASON_MAX:
        raise PlatformError(CoreError.FIELD_INVALID, field=field, reason=f"≤ {REASON_MAX}")
    return text


def _lock(miniprogram: MiniProgram) -> MiniProgram:
    return MiniProgram.objects.select_for_update().get(pk=miniprogram.pk)


def _payload(application: PluginApplication, **extra: Any) -> dict[str, Any]:
    plugin, mp = application.plugin, application.miniprogram
    return {
        "application": application.pk,
        "plugin_appid": plugin.appid,
        "plugin_name": plugin.name,
        "applicant": mp.appid,
        "applicant_name": mp.name,
        "status": application.status,
        **extra,
    }


def _policy_approves(plugin: Plugin, miniprogram: MiniProgram) -> bool:
    """B-9: auto approves every application, allowlist those of listed AppIDs."""
    if plugin.approval_policy == ApprovalPolicy.AUTO:
        return True
    if plugin.approval_policy == ApprovalPolicy.ALLOWLIST:
        return miniprogram.appid in (plugin.allowlist or [])
    return False


def plugin_apply(
    *, actor: Actor, miniprogram: MiniProgram, plugin: Plugin | None, reason: str = ""
) -> PluginApplication:
    """PLG-11: apply to use a plugin; B-9: the owner's policy may approve it at once."""
    if plugin is None:
        raise PlatformError(UsageError.PLUGIN_NOT_FOUND, field="plugin_appid")
    if plugin.owner_id == miniprogram.pk:
        raise PlatformError(UsageError.OWN_PLUGIN, field="plugin_appid")
    if not selectors.has_release(plugin):
        raise PlatformError(UsageError.NOT_APPLIABLE, field="plugin_appid")
    reason = _reason(reason)
    with transaction.atomic():
        mp = _lock(miniprogram)
        now = clock.now()
        live = (
            PluginApplication.objects.select_for_update()
            .filter(plugin=plugin, miniprogram=mp, status__in=(S.APPLYING, S.APPROVED))
            .first()
        )
        if live is not None:
            if selectors.effective_status(live, now) != S.EXPIRED:
                raise PlatformError(UsageError.ALREADY_ADDED, field="plugin_appid")
            # PLG-9: the stale application is closed now that a new one replaces it.
            live.status = S.EXPIRED
            live.ended_at = now
            live.save(update_fields=["status", "ended_at"])
        limit = policy.value("plugin.max_in_use")
        if selectors.in_use_count(mp) >= limit:
            raise PlatformError(UsageError.IN_USE_LIMIT, limit=limit)
        quotas.consume(
            f"plugin-apply:{mp.appid}",
            "plugin.applications_per_month",
            window="month",
            error=UsageError.APPLY_LIMIT,
        )
        approved = _policy_approves(plugin, mp)
        try:
            with transaction.atomic():
                application = PluginApplication.objects.create(
                    plugin=plugin,
                    miniprogram=mp,
                    status=S.APPROVED if approved else S.APPLYING,
                    reason=reason,
                    applied_by=label_of(actor),
                    created_at=now,
                    decided_at=now if approved else None,
                    decided_by=(plugin.approval_policy if approved else ""),
                    decided_by_policy=approved,
                )
        except IntegrityError:
            raise PlatformError(UsageError.ALREADY_ADDED, field="plugin_appid") from None
        payload = _payload(application, reason=reason, policy=plugin.approval_policy)
        audit.record(actor, "plugin.apply", target=application, appid=mp.appid, after=payload)
        events.emit(notes.SUBMITTED, payload, appid=plugin.owner.appid)
        if approved:
            events.emit(notes.APPROVED, payload, appid=mp.appid)
    return application


def _find(plugin: Plugin, application: PluginApplication | None, appid: str) -> PluginApplication:
    if application is not None:
        if application.plugin_id != plugin.pk:
            raise PlatformError(UsageError.NOT_IN_APPLY_LIST, field="appid")
        return application
    appid = (appid or "").strip()
    rows = PluginApplication.objects.filter(
        plugin=plugin, miniprogram__appid=appid, status__in=selectors.LISTED_STATES
    )
    found = rows.filter(status__in=(S.APPLYING, S.APPROVED)).first() or rows.first()
    if found is None:
        raise PlatformError(UsageError.NOT_IN_APPLY_LIST, field="appid")
    return found


def _answer(
    *,
    actor: Actor,
    plugin: Plugin,
    application: PluginApplication | None,
    appid: str,
    approve: bool,
    reason: str,
) -> PluginApplication:
    reason = _reason(reason)
    with transaction.atomic():
        target = _find(plugin, application, appid)
        target = PluginApplication.objects.select_for_update().get(pk=target.pk)
        now = clock.now()
        status = selectors.effective_status(target, now)
        if status != S.APPLYING:
            raise PlatformError(UsageError.NOT_APPLYING, status=S(status).label)
        target.status = S.APPROVED if approve else S.REFUSED
        target.refuse_reason = "" if approve else reason
        target.decided_by = label_of(actor)
        target.decided_at = now
        target.save(update_fields=["status", "refuse_reason", "decided_by", "decided_at"])
        payload = _payload(target, reason=reason)
        action = "plugin.application_agree" if approve else "plugin.application_refuse"
        audit.record(actor, action, target=target, appid=plugin.owner.appid, after=payload)
        events.emit(
            notes.APPROVED if approve else notes.REFUSED, payload, appid=target.miniprogram.appid
        )
    return target


def plugin_application_agree(
    *,
    actor: Actor,
    plugin: Plugin,
    application: PluginApplication | None = None,
    appid: str = "",
    reason: str = "",
) -> PluginApplication:
    """PLG-9: approve an application still applying (not timed out)."""
    return _answer(
        actor=actor,
        plugin=plugin,
        application=application,
        appid=appid,
        approve=True,
        reason=reason,
    )


def plugin_application_refuse(
    *,
    actor: Actor,
    plugin: Plugin,
    application: PluginApplication | None = None,
    appid: str = "",
    reason: str = "",
) -> PluginApplication:
    """PLG-9: refuse an application still applying (not timed out), with a reason."""
    return _answer(
        actor=actor,
        plugin=plugin,
        application=application,
        appid=appid,
        approve=False,
        reason=reason,
    )


def plugin_application_delete(
    *,
    actor: Actor,
    plugin: Plugin,
    application: PluginApplication | None = None,
    appid: str = "",
) -> int:
    """PLG-9: delete refused or timed-out applications: the one given (or the AppID's),
    or, with neither, every refused or timed-out one of the plugin. Returns how many."""
    with transaction.atomic():
        if application is None and not (appid or "").strip():
            rows = [
                row
                for row in selectors.plugin_users(plugin).select_for_update()
                if selectors.effective_of(row) in (S.REFUSED, S.EXPIRED)
            ]
        else:
            target = _find(plugin, application, appid)
            status = selectors.effective_status(target)
            if status == S.APPLYING:
                raise PlatformError(UsageError.PENDING_NOT_DELETABLE)
            if status not in (S.REFUSED, S.EXPIRED):
                raise PlatformError(UsageError.NOT_DELETABLE)
            rows = [target]
        for row in rows:
            audit.record(
                actor,
                "plugin.application_delete",
                target=row,
                appid=plugin.owner.appid,
                before={
                    "applicant": row.miniprogram.appid,
                    "status": selectors.effective_status(row),
                },
            )
        PluginApplication.objects.filter(pk__in=[row.pk for row in rows]).delete()
    return len(rows)


def plugin_unbind(
    *, actor: Actor, miniprogram: MiniProgram, plugin: Plugin | None, by_owner: bool = False
) -> PluginApplication:
    """PLG-11: the using mini program removes a plugin (an approved one, or withdraws its
    application); the owner unbinds a user (approved only). The row becomes unbound with
    `ended_at`; a new application may follow."""
    if plugin is None:
        raise PlatformError(UsageError.PLUGIN_NOT_FOUND, field="plugin_appid")
    error = UsageError.NOT_IN_APPLY_LIST if by_owner else UsageError.NOT_ADDED
    with transaction.atomic():
        _lock(miniprogram)
        live = (
            PluginApplication.objects.select_for_update()
            .filter(plugin=plugin, miniprogram=miniprogram, status__in=(S.APPLYING, S.APPROVED))
            .first()
        )
        allowed = (S.APPROVED,) if by_owner else (S.APPROVED, S.APPLYING)
        if live is None or selectors.effective_status(live) not in allowed:
            raise PlatformError(error, field="appid" if by_owner else "plugin_appid")
        before = live.status
        live.status = S.UNBOUND
        live.ended_at = clock.now()
        live.save(update_fields=["status", "ended_at"])
        audit.record(
            actor,
            "plugin.unbind",
            target=live,
            appid=(plugin.owner.appid if by_owner else miniprogram.appid),
            before={"status": before},
            after={
                "plugin_appid": plugin.appid,
                "applicant": miniprogram.appid,
                "by_owner": by_owner,
            },
        )
    return live


def clean_allowlist(values: Iterable[str] | str) -> list[str]:
    """B-9: the allowlist's AppIDs, one per line or comma, deduplicated in order."""
    if isinstance(values, str):
        values = re.split(r"[\s,，;；]+", values)
    clean: list[str] = []
    for raw in values:
        appid = str(raw).strip()
        if not appid:
            continue
        if not _APPID.match(appid):
            raise PlatformError(UsageError.ALLOWLIST_INVALID, field="allowlist", appid=appid[:40])
        if appid not in clean:
            clean.append(appid)
    limit = policy.value("plugin.allowlist_max")
    if len(clean) > limit:
        raise PlatformError(UsageError.ALLOWLIST_TOO_LONG, field="allowlist", limit=limit)
    return clean


def plugin_policy_update(
    *, actor: Actor, plugin: Plugin, approval_policy: str, allowlist: Iterable[str] | str = ()
) -> Plugin:
    """B-9: the owner's policy for applications: manual, auto or allowlist (with AppIDs)."""
    if approval_policy not in ApprovalPolicy.values:
        raise PlatformError(CoreError.FIELD_INVALID, field="approval_policy", reason="")
    clean = clean_allowlist(allowlist)
    if approval_policy == ApprovalPolicy.ALLOWLIST and not clean:
        raise PlatformError(CoreError.FIELD_REQUIRED, field="allowlist")
    with transaction.atomic():
        before = {"approval_policy": plugin.approval_policy, "allowlist": plugin.allowlist}
        plugin.approval_policy = approval_policy
        plugin.allowlist = clean
        plugin.updated_at = clock.now()
        plugin.save(update_fields=["approval_policy", "allowlist", "updated_at"])
        audit.record(
            actor,
            "plugin.policy_update",
            target=plugin,
            appid=plugin.owner.appid,
            before=before,
            after={"approval_policy": approval_policy, "allowlist": clean},
        )
    return plugin
