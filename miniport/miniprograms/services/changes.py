"""Lock, compare, save, record: the one way the development settings row of a mini
program changes (the whitelist, the domain lists and message push all go through
`settings_change`).

Inside one transaction `settings_change` selects the row for update, reads the current
values of the fields it changes, asks the caller for the new ones, compares, and only
when something differs lets the caller admit the change (limits, the month's quota),
saves exactly those fields and writes the audit row and the `devsettings.changed`
event. Nothing changed: the caller's refusal (`unchanged`), or, without one, the row
returned untouched with no record.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from miniport.core import audit, events
from miniport.core.actors import Actor
from miniport.core.errors import ErrorCode, PlatformError
from miniport.miniprograms.models import DevSettings, MiniProgram

Values = dict[str, Any]


def settings_for(miniprogram: MiniProgram, *, lock: bool = False) -> DevSettings:
    """The mini program's development settings row, created on first use."""
    DevSettings.objects.get_or_create(miniprogram=miniprogram)
    queryset = DevSettings.objects.select_for_update() if lock else DevSettings.objects
    return queryset.get(miniprogram=miniprogram)


def record_change(
    actor: Actor,
    miniprogram: MiniProgram,
    dev: DevSettings,
    *,
    action: str,
    part: str,
    before: dict,
    after: dict,
) -> None:
    """Audit one change of the development settings and tell listeners which part moved."""
    appid = miniprogram.appid
    audit.record(
        actor, f"devsettings.{action}", target=dev, appid=appid, before=before, after=after
    )
    events.emit("devsettings.changed", {"appid": appid, "part": part}, appid=appid)


@dataclass(frozen=True)
class Change:
    dev: DevSettings
    before: Values
    after: Values
    saved: bool


def settings_change(
    *,
    actor: Actor,
    miniprogram: MiniProgram,
    action: str,
    part: str,
    read: Callable[[DevSettings], Values],
    change: Callable[[Values], Values],
    unchanged: ErrorCode | None = None,
    field: str | None = None,
    admit: Callable[[Values], None] | None = None,
    audited: Sequence[str] | None = None,
    note: Values | None = None,
) -> Change:
    """Change some fields of the locked development settings row.

    `read` gives the current values of the fields from the locked row, `change` the new
    values from those (it may refuse). Equal values: `unchanged` is raised on `field`
    when given, else nothing is saved or recorded. `admit` runs only for a real change,
    before the save (limits, quota). The audit row holds the `audited` fields (default:
    all of them) before and after, the `note` added to the after side; the action is
    `devsettings.<action>` and the event names `part`.
    """
    with transaction.atomic():
        dev = settings_for(miniprogram, lock=True)
        before = read(dev)
        after = change(before)
        if after == before:
            if unchanged is not None:
                raise PlatformError(unchanged, field=field)
            return Change(dev, before, after, saved=False)
        if admit is not None:
            admit(after)
        for name, value in after.items():
            setattr(dev, name, value)
        dev.save(update_fields=[*after, "updated_at"])
        shown = list(audited if audited is not None else after)
        record_change(
            actor,
            miniprogram,
            dev,
            action=action,
            part=part,
            before={name: before[name] for name in shown},
            after={name: after[name] for name in shown} | (note or {}),
        )
    return Change(dev, before, after, saved=True)
