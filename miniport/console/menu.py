"""The console's left menu (seed 004). One list: later work turns an entry on by giving it
the URL name of its page. An entry without a URL name, or whose URL name does not resolve
yet, is shown greyed with a "coming soon" tag, never as a broken link."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from miniport.miniprograms import permissions


@dataclass(frozen=True)
class Entry:
    key: str
    label: str | Promise
    url_name: str | None = None
    # The permission-table action that lets a role open the page (the one its view is
    # gated by, checked by the permission matrix); entries a role may not open are left
    # out of its menu rather than leading to a 404.
    action: str | None = None


@dataclass(frozen=True)
class Section:
    label: str | Promise | None
    entries: tuple[Entry, ...]


MENU: list[Section] = [
    Section(
        None,
        (
            Entry("home", _("Home"), "console:home", "home.view"),
            Entry("inbox", _("Message centre"), "console:inbox", "inbox.view"),
        ),
    ),
    Section(
        _("Management"),
        (
            Entry("versions", _("Version management"), "console:versions", "versions.view"),
            Entry("members", _("Member management"), "console:members", "members.view"),
            Entry("feedback", _("User feedback")),
        ),
    ),
    Section(_("Statistics"), (Entry("statistics", _("Statistics")),)),
    Section(
        _("Features"),
        (
            Entry("scan_to_open", _("Scan to open")),
            Entry("customer_service", _("Customer service")),
            Entry("subscribe_messages", _("Subscription messages")),
            Entry("page_content", _("Page content access")),
        ),
    ),
    Section(
        _("Development"),
        (
            Entry("dev_management", _("Development management")),
            Entry("dev_tools", _("Development tools")),
        ),
    ),
    Section(
        _("Settings"),
        (
            Entry("basic_settings", _("Basic settings"), "console:basic_settings", "profile.view"),
            Entry(
                "dev_settings",
                _("Development settings"),
                "console:dev_settings",
                "devsettings.view",
            ),
            Entry("third_party_settings", _("Third-party settings")),
            Entry("link_settings", _("Association settings")),
        ),
    ),
]


@dataclass(frozen=True)
class ShownEntry:
    key: str
    label: str | Promise
    url: str | None
    active: bool


def _url(entry: Entry) -> str | None:
    if not entry.url_name:
        return None
    try:
        return reverse(entry.url_name)
    except NoReverseMatch:
        return None


def _entry(key: str) -> Entry | None:
    return next((e for section in MENU for e in section.entries if e.key == key), None)


def entry_allowed(key: str, roles: frozenset[str] | None = None) -> bool:
    """Whether the roles may open the page of a menu entry (no roles given: anyone;
    an entry without an action is no page of anyone's in particular)."""
    entry = _entry(key)
    if entry is None or roles is None or not entry.action:
        return True
    return permissions.allowed(roles, entry.action)


def entry_url(key: str, roles: frozenset[str] | None = None) -> str | None:
    """The URL of a menu entry when its page exists and the roles may open it (used by
    the home checklist too)."""
    entry = _entry(key)
    if entry is None or not entry_allowed(key, roles):
        return None
    return _url(entry)


def build(
    current_view_name: str | None, roles: frozenset[str] | None = None
) -> list[tuple[str | Promise | None, list[ShownEntry]]]:
    shown = []
    for section in MENU:
        visible = [
            entry
            for entry in section.entries
            if roles is None or entry.action is None or permissions.allowed(roles, entry.action)
        ]
        if not visible:
            continue
        entries = [
            ShownEntry(
                key=entry.key,
                label=entry.label,
                url=_url(entry),
                active=bool(entry.url_name) and entry.url_name == current_view_name,
            )
            for entry in visible
        ]
        shown.append((section.label, entries))
    return shown
