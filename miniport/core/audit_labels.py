"""Readable names of audit actions and of the fields their before/after carry
(issue 10 item 5).

The kernel records actions by code (`code.experience_set`); the domain that records an
action names it here, from its `AppConfig.ready()` (its `audit_actions` module), in
translatable words, so the audit pages show "体验版已设置" or "Experience version set"
instead of the code. A family (`review.*`) may be named once for actions whose last
part varies. An action nobody named is shown by the name of its family, else as
"Other action"; the code itself stays available as a reference.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Label = str | Promise

_ACTIONS: dict[str, Label] = {}
_FAMILIES: dict[str, Label] = {}
_FIELDS: dict[str, Label] = {}
_ACTORS: dict[str, Label] = {
    "account": _("Account"),
    "identity": _("Identity"),
    "staff": _("Staff"),
    "system": _("System"),
    "app": _("App"),
    "anonymous": _("Anonymous visitor"),
}


def register(
    actions: Mapping[str, Label] | None = None,
    *,
    families: Mapping[str, Label] | None = None,
    fields: Mapping[str, Label] | None = None,
) -> None:
    """Name actions (`"code.release"`), families (`"review"`: every `review.*` nobody
    named) and before/after fields (`"user_version"`). A name given twice with a
    different label is a mistake and fails at start-up."""
    for table, labels in ((_ACTIONS, actions), (_FAMILIES, families), (_FIELDS, fields)):
        for key, label in (labels or {}).items():
            known = table.get(key)
            if known is not None and str(known) != str(label):
                raise ValueError(f"audit label for {key!r} registered twice")
            table[key] = label


def action_label(action: str) -> str:
    if action in _ACTIONS:
        return str(_ACTIONS[action])
    family = action.split(".", 1)[0]
    if family in _FAMILIES:
        return str(_FAMILIES[family])
    return str(_("Other action"))


def actor_label(kind: str) -> str:
    return str(_ACTORS.get(kind, kind))


def field_label(key: str) -> str | None:
    """The field's name in words, or None when nobody named it (shown as the key)."""
    label = _FIELDS.get(key)
    return None if label is None else str(label)


def known_actions() -> dict[str, str]:
    return {action: str(label) for action, label in _ACTIONS.items()}


@dataclass(frozen=True)
class Change:
    """One field of a before/after pair, for reading."""

    key: str
    label: str | None
    before: Any
    after: Any
    had_before: bool
    has_after: bool


def changes(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> list[Change]:
    """The fields an entry's before and after name, each once, in order: the ones that
    changed (or appear on one side only); a field equal on both sides is left out."""
    before, after = dict(before or {}), dict(after or {})
    keys = list(before) + [key for key in after if key not in before]
    return [
        Change(
            key=key,
            label=field_label(key),
            before=before.get(key),
            after=after.get(key),
            had_before=key in before,
            has_after=key in after,
        )
        for key in keys
        if not (key in before and key in after and before[key] == after[key])
    ]
